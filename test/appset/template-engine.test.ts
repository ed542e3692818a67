import * as fs from 'fs';
import * as path from 'path';
import { TemplateResult, compileDeep, fieldReferences, renderDeep, renderString } from '../../src/appset/template-engine';

const go = { goTemplate: true, missingKeyError: true };
const fast = { goTemplate: false, missingKeyError: false };

/** The value of a result (a failure fails the test with its message). */
const value = <T>(r: TemplateResult<T>): T => {
  if (!r.ok) throw new Error(`expected a value, got ${r.failure.kind}: ${r.failure.message}`);
  return r.value;
};
const failure = (kind: 'invalid' | 'unsupported', message: string) => ({ ok: false, failure: { kind, message: expect.stringContaining(message) } });

describe('template engine', () => {
  const params = { name: 'seoul-1', env: 'prod', metadata: { labels: { 'topology.kubernetes.io/region': 'kr' } }, n: 3 };
  test.each([
    ['{{.name}}-{{.env}}', 'seoul-1-prod'],
    ['{{ .name | upper }}', 'SEOUL-1'],
    ['{{index .metadata.labels "topology.kubernetes.io/region"}}', 'kr'],
    ['{{- .name -}} x', 'seoul-1x'],
    ['{{ normalize "Seoul_1" }}', 'seoul-1'],
    ['{{ printf "%s-%d" .name .n }}', 'seoul-1-3'],
    ['{{ .missing | default "d" }}'.replace('.missing', '"x"'), 'x'],
    ['{{ trunc 3 .name }}', 'seo'],
    ['{{ replace "-" "_" .name }}', 'seoul_1'],
  ])('renders %s', (t, want) => {
    expect(value(renderString(t, params, go))).toBe(want);
  });

  test('missingkey=error fails, the default renders <no value>', () => {
    expect(renderString('{{.nope}}', params, go)).toEqual(failure('invalid', 'map has no entry for key "nope"'));
    expect(value(renderString('{{.nope}}', params, { goTemplate: true, missingKeyError: false }))).toBe('<no value>');
  });

  test('fasttemplate substitutes known string keys and leaves the rest verbatim', () => {
    expect(value(renderString('{{ name }}-{{unknown}}', { name: 'a' }, fast))).toBe('a-{{unknown}}');
  });

  test('syntax errors and unsupported constructs are told apart', () => {
    expect(fieldReferences('{{.a-b}}')).toEqual(failure('invalid', 'bad field chain ".a-b"'));
    expect(fieldReferences('{{ "unterminated }}')).toEqual(failure('invalid', 'unterminated quoted string'));
    expect(fieldReferences('{{ | lower }}')).toEqual(failure('invalid', 'missing command before "|"'));
    expect(value(fieldReferences('{{ if .a }}x{{ end }}{{ .b.c }}'))).toEqual([['a'], ['b', 'c']]);
    expect(renderString('{{ with .a }}x{{ end }}', { a: 1 }, go)).toEqual(failure('unsupported', 'control structure "with"'));
    expect(renderString('{{ if .a }}x{{ else if .b }}y{{ end }}', { a: 1 }, go)).toEqual(failure('unsupported', 'control structure "else if"'));
    expect(renderString('{{ sha256sum .a }}', {}, go)).toEqual(failure('unsupported', 'function "sha256sum"'));
  });

  test('if/else/end and range with variables, as Go text/template evaluates them (truth, sorted map keys, dot in range)', () => {
    const p = { autoSync: true, prune: false, files: ['a.yaml', 'b.yaml'], empty: [], m: { z: 1, a: 2 }, env: 'prod' };
    expect(value(renderString('{{ if .autoSync }}on{{ else }}off{{ end }}', p, go))).toBe('on');
    expect(value(renderString('{{ if .prune }}on{{ else }}off{{ end }}', p, go))).toBe('off');
    expect(value(renderString('{{ if .empty }}x{{ else }}none{{ end }}', p, go))).toBe('none');
    expect(value(renderString('{{ if eq .env "prod" "staging" }}p{{ end }}{{ if not .prune }}!{{ end }}', p, go))).toBe('p!');
    expect(value(renderString('{{ if and .autoSync .prune }}x{{ else }}{{ or .prune "d" }}{{ end }}', p, go))).toBe('d');
    // and/or stop at the first argument that decides (Go 1.18+): the missing key after it is never read
    expect(value(renderString('{{ if and .prune .missing }}x{{ else }}y{{ end }}{{ or .autoSync .missing }}', p, go))).toBe('ytrue');
    expect(value(renderString('{{- range $f := .files }}\n- {{ $f }}{{- end }}', p, go))).toBe('\n- a.yaml\n- b.yaml');
    expect(value(renderString('{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}', p, go))).toBe('a=2;z=1;');
    expect(value(renderString('{{ range .files }}[{{ . }}|{{ $.env }}]{{ end }}', p, go))).toBe('[a.yaml|prod][b.yaml|prod]');
    expect(value(renderString('{{ range .empty }}x{{ else }}nothing{{ end }}', p, go))).toBe('nothing');
    expect(renderString('{{ if .nope }}x{{ end }}', p, go)).toEqual(failure('invalid', 'map has no entry for key "nope"'));
    expect(renderString('{{ if .a }}x', p, go)).toEqual(failure('invalid', 'unexpected EOF: {{if}} without {{end}}'));
    expect(renderString('x{{ end }}', p, go)).toEqual(failure('invalid', 'unexpected {{end}}'));
    expect(renderString('{{ $nope }}', p, go)).toEqual(failure('invalid', 'undefined variable "$nope"'));
    // the params a template reads: condition fields count; fields inside a range body are the element's
    expect(value(fieldReferences('{{ if .autoSync }}{{ .prune }}{{ end }}{{ range $f := .files }}{{ .x }}{{ $f }}{{ end }}'))).toEqual([['autoSync'], ['prune'], ['files']]);
  });

  test('a malformed string literal is a template error, not a crash', () => {
    expect(renderString('{{ "a\\qb" }}', {}, go)).toEqual(failure('invalid', 'bad quoted string "a\\qb"'));
    expect(value(renderString('{{ "a\\"b" }}', {}, go))).toBe('a"b');
  });

  test('renderDeep renders only what holds an action: a subtree without one is the same object, one with one is new', () => {
    const source = { repoURL: 'https://github.com/example/gitops', helm: { valueFiles: ['a.yaml'] }, path: 'k8s/{{.env}}' };
    const labels = { team: 'payments' };
    const template = { metadata: { name: '{{.name}}-{{.env}}', labels }, spec: { source } };
    const first = value(renderDeep(template, params, go));
    const second = value(renderDeep(template, { ...params, env: 'dev' }, go));
    expect(first).toEqual({ metadata: { name: 'seoul-1-prod', labels: { team: 'payments' } }, spec: { source: { ...source, path: 'k8s/prod' } } });
    expect(second.spec.source.path).toBe('k8s/dev');
    expect(first.metadata.labels).toBe(labels);
    expect(first.spec.source.helm).toBe(source.helm);
    expect(first.spec.source).not.toBe(source);
    expect(first.metadata).not.toBe(second.metadata);
    // a templated map key makes its object templated
    expect(value(renderDeep({ static: { '{{.env}}': 'x' } }, params, go))).toEqual({ static: { prod: 'x' } });
    expect(value(renderDeep({ static: { '{{env}}': 'x' } }, { env: 'prod' }, fast))).toEqual({ static: { prod: 'x' } });
  });

  test('renderDeep renders keys and values and names the string that failed', () => {
    expect(value(renderDeep({ '{{.env}}': ['{{.name}}', 3, true] }, params, go))).toEqual({ prod: ['seoul-1', 3, true] });
    expect(renderDeep({ a: 'ok', b: { c: 'x-{{.nope}}' } }, params, go))
      .toEqual({ ok: false, failure: { kind: 'invalid', message: 'map has no entry for key "nope"', template: 'x-{{.nope}}' } });
  });

  test('compileDeep renders what renderDeep renders: values, shared static subtrees, the first failure and its string', () => {
    const labels = { team: 'payments' };
    const helm = { valueFiles: ['a.yaml'] };
    const values: any[] = [
      { metadata: { name: '{{.name}}-{{.env}}', labels }, spec: { source: { helm, path: 'k8s/{{.env}}' }, n: 3, on: true, none: null } },
      { '{{.env}}': ['{{.name}}', 3, true, { '{{.name}}': '{{ .env | upper }}' }], '{{.name}}': 'later key wins', 'seoul-1': 'x' },
      { a: 'ok', b: { c: 'x-{{.nope}}' }, d: '{{ bad syntax' },
      { a: '{{ if .env }}{{ range $k, $v := .metadata.labels }}{{ $k }}={{ $v }}{{ end }}{{ else }}none{{ end }}' },
      { a: '{{ with .env }}{{ . }}{{ end }}', b: '{{.nope}}' },
      { a: '{{ "unterminated }}' },
      ['{{.n}}', '{{ .metadata.labels }}', 'static', '{{.name.x}}', '{{.nil.x}}', '{{.missing.x}}-{{.metadata.labels.nope}}'],
      '{{.name}}', 'plain', 7, null,
    ];
    const paramSets = [params, { ...params, env: '' }, { name: 'x', env: 'dev', nil: null, missing: {} }, {}];
    for (const opts of [go, { goTemplate: true, missingKeyError: false }]) {
      for (const v of values) {
        const render = compileDeep(v, opts);
        for (const p of paramSets) expect(render(p)).toEqual(renderDeep(v, p, opts));
      }
    }
    const fastValues = [{ '{{env}}': ['{{name}}', '{{ missing }}', '{{.dotted}}'], 's': 'static {{ }}', 'n': 1 }, '{{env}}-{{name}}'];
    for (const v of fastValues) {
      const render = compileDeep(v, fast);
      for (const p of [{ env: 'prod', name: 'seoul-1' }, { env: 3 }]) expect(render(p)).toEqual(renderDeep(v, p, fast));
    }
    // static subtrees are shared, templated ones are new for every param set
    const template = values[0];
    const render = compileDeep(template, go);
    const first = value(render(params));
    const second = value(render({ ...params, env: 'dev' }));
    expect(first.metadata.labels).toBe(labels);
    expect(first.spec.source.helm).toBe(helm);
    expect(first.metadata).not.toBe(second.metadata);
    expect(second.spec.source.path).toBe('k8s/dev');
  });

  test('nothing in the engine throws for a template (results only)', () => {
    const src = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'appset', 'template-engine.ts'), 'utf8');
    expect(src).not.toMatch(/\bthrow\b/);
    expect(src).not.toMatch(/\bcatch\b/);
  });
});
