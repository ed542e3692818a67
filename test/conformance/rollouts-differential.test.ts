import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT, RolloutVerdict, runConformance } from '../harness/conformance';

/**
 * The differential: for every rule the library enforces in the name of the Argo Rollouts controller, the offending
 * object is written raw (bypassing the library) and handed to the controller's own validation
 * (validation.ValidateRollout + ValidateRolloutReferencedResources, Argo Rollouts v1.9.1). The controller must reject
 * it with the message the library quotes. A rule the controller does not have is listed as the library's own.
 *
 * The table in docs/conformance.md is generated from these cases (CONFORMANCE_UPDATE_DOCS=1 rewrites it); the test
 * fails when it is stale.
 */

const NS = 'shop';
const labels = { app: 'checkout' };

function service(name: string, extra: any = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, ...(extra.metadata ?? {}) },
    spec: { selector: { ...labels }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

function template(name: string, spec: any): any {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name, namespace: NS }, spec };
}

const promMetric = (name: string, query = 'sum(rate(http_requests_total{service="checkout"}[1m]))') => ({
  name,
  count: 3,
  interval: '1m',
  successCondition: 'result[0] >= 0.99',
  failureLimit: 1,
  provider: { prometheus: { address: 'http://prometheus.monitoring:9090', query } },
});

/** A Rollout the controller accepts: canary over Istio with its Services, VirtualService and an analysis. */
function baseRollout(): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'checkout', namespace: NS },
    spec: {
      replicas: 4,
      selector: { matchLabels: { ...labels } },
      template: {
        metadata: { labels: { ...labels } },
        spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/checkout:1.2.3', ports: [{ containerPort: 8080 }] }] },
      },
      strategy: {
        canary: {
          stableService: 'checkout-stable',
          canaryService: 'checkout-canary',
          trafficRouting: { istio: { virtualService: { name: 'checkout', routes: ['primary'] } } },
          steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { analysis: { templates: [{ templateName: 'success-rate' }] } }],
        },
      },
    },
  };
}

function baseObjects(): any[] {
  return [
    service('checkout-stable'), service('checkout-canary'), service('checkout-root'), service('checkout-ping'), service('checkout-pong'),
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'checkout', namespace: NS },
      spec: {
        hosts: ['checkout'],
        http: [{
          name: 'primary',
          route: [{ destination: { host: 'checkout-stable' }, weight: 100 }, { destination: { host: 'checkout-canary' }, weight: 0 }],
        }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'checkout', namespace: NS },
      spec: {
        rules: [{
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'checkout-stable', port: { number: 80 } } } },
              { path: '/root', pathType: 'Prefix', backend: { service: { name: 'checkout-root', port: { number: 80 } } } },
            ],
          },
        }],
      },
    },
    template('success-rate', { metrics: [promMetric('success-rate')] }),
  ];
}

type Mutate = (ro: any, objs: any[]) => void;

interface Case {
  /** The rule's id in /work/shared/notes/argo-rollouts.md §2 (a copy of the facts kept with the tests). */
  readonly id: string;
  /** Where the library enforces it. */
  readonly library: string;
  /** What the raw object does wrong. */
  readonly offence: string;
  /** What the controller must answer (substring of its message). */
  readonly controller: string;
  readonly mutate: Mutate;
}

const canary = (ro: any) => ro.spec.strategy.canary;
const nginx = (ro: any) => { canary(ro).trafficRouting = { nginx: { stableIngress: 'checkout' } }; };
const alb = (ro: any, extra: any = {}) => { canary(ro).trafficRouting = { alb: { ingress: 'checkout', servicePort: 80, ...extra } }; };
const noRouting = (ro: any) => { delete canary(ro).trafficRouting; };
const headerStep = (name: string, headerValue: any) => ({ setHeaderRoute: { name, match: [{ headerName: 'x-canary', headerValue }] } });

const CASES: Case[] = [
  {
    id: 'S8',
    library: 'CanaryRollout (progressDeadline)',
    offence: 'progressDeadlineSeconds 10 with minReadySeconds 20',
    controller: 'must be greater than minReadySeconds',
    mutate: ro => { ro.spec.minReadySeconds = 20; ro.spec.progressDeadlineSeconds = 10; },
  },
  {
    id: 'C11',
    library: 'CanaryRollout (maxSurge/maxUnavailable)',
    offence: 'maxSurge 0 and maxUnavailable "0%"',
    controller: 'MaxSurge and MaxUnavailable both can not be zero',
    mutate: ro => { canary(ro).maxSurge = 0; canary(ro).maxUnavailable = '0%'; },
  },
  {
    id: 'C12',
    library: 'CanaryServices',
    offence: 'canaryService equal to stableService',
    controller: 'This rollout uses the same service for the stable and canary services, but two different services are required.',
    mutate: ro => { canary(ro).canaryService = 'checkout-stable'; },
  },
  {
    id: 'C13',
    library: 'CanaryRollout (pingPong)',
    offence: 'pingPong over NGINX',
    controller: 'Ping-pong feature works with the ALB and Istio traffic routers only',
    mutate: ro => { nginx(ro); canary(ro).pingPong = { pingService: 'checkout-ping', pongService: 'checkout-pong' }; },
  },
  {
    id: 'C14',
    library: 'CanaryRollout (pingPong)',
    offence: 'pingPong without pongService',
    controller: 'Ping service and Pong service must to be set to use Ping-Pong feature',
    mutate: ro => { canary(ro).pingPong = { pingService: 'checkout-ping' }; },
  },
  {
    id: 'C15',
    library: 'CanaryRollout (pingPong)',
    offence: 'pingService equal to pongService',
    controller: 'This rollout uses the same service for the ping and pong services, but two different services are required.',
    mutate: ro => { canary(ro).pingPong = { pingService: 'checkout-ping', pongService: 'checkout-ping' }; },
  },
  {
    id: 'C16',
    library: 'CanaryRollout (pingPong + ALB)',
    offence: 'pingPong over ALB without rootService',
    controller: 'Root service field is required for the configuration with ALB and ping-pong feature enabled',
    mutate: ro => { alb(ro); canary(ro).pingPong = { pingService: 'checkout-ping', pongService: 'checkout-pong' }; },
  },
  {
    id: 'C18',
    library: 'CanaryRollout (traffic routing services)',
    offence: 'NGINX routing without canaryService',
    controller: 'Canary service and Stable service must to be set to use Traffic Routing',
    mutate: ro => { nginx(ro); delete canary(ro).canaryService; },
  },
  {
    id: 'C19',
    library: 'CanaryRollout (scaleDownDelay)',
    offence: 'scaleDownDelaySeconds without traffic routing',
    controller: 'Canary scaleDownDelaySeconds can only be used with traffic routing',
    mutate: ro => { noRouting(ro); canary(ro).scaleDownDelaySeconds = 30; },
  },
  {
    id: 'C20',
    library: 'CanaryRollout (dynamicStableScale)',
    offence: 'dynamicStableScale without traffic routing',
    controller: 'Canary dynamicStableScale can only be used with traffic routing',
    mutate: ro => { noRouting(ro); canary(ro).dynamicStableScale = true; },
  },
  {
    id: 'C21',
    library: 'CanaryRollout (dynamicStableScale)',
    offence: 'dynamicStableScale with scaleDownDelaySeconds',
    controller: 'Canary dynamicStableScale cannot be used with scaleDownDelaySeconds',
    mutate: ro => { canary(ro).dynamicStableScale = true; canary(ro).scaleDownDelaySeconds = 30; },
  },
  {
    id: 'C22',
    library: 'CanaryRollout (maxTrafficWeight)',
    offence: 'maxTrafficWeight over Istio',
    controller: 'Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins',
    mutate: ro => { canary(ro).trafficRouting.maxTrafficWeight = 1000; },
  },
  {
    id: 'C25',
    library: 'CanaryStep.setWeight',
    offence: 'setWeight 120',
    controller: 'SetWeight needs to be between 0 and 100',
    mutate: ro => { canary(ro).steps[0] = { setWeight: 120 }; },
  },
  {
    id: 'C27',
    library: 'CanaryStep.setCanaryScale',
    offence: 'setCanaryScale without traffic routing',
    controller: 'SetCanaryScale requires TrafficRouting to be set',
    mutate: ro => { noRouting(ro); canary(ro).steps.unshift({ setCanaryScale: { replicas: 1 } }); },
  },
  {
    id: 'C28',
    library: 'CanaryStep.setHeaderRoute',
    offence: 'setHeaderRoute over NGINX',
    controller: 'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix',
    mutate: ro => { nginx(ro); canary(ro).trafficRouting.managedRoutes = [{ name: 'hdr' }]; canary(ro).steps.unshift(headerStep('hdr', { exact: 'yes' })); },
  },
  {
    id: 'C29',
    library: 'CanaryStep.setHeaderRoute (ALB)',
    offence: 'ALB header route matching by prefix',
    controller: 'SetHeaderRoute match value invalid. ALB supports \'exact\' value only',
    mutate: ro => { alb(ro); canary(ro).trafficRouting.managedRoutes = [{ name: 'hdr' }]; canary(ro).steps.unshift(headerStep('hdr', { prefix: 'y' })); },
  },
  {
    id: 'C30',
    library: 'HeaderMatch / StringMatch',
    offence: 'header route with an empty StringMatch',
    controller: 'StringMatch value missed, match value must have one of the following: exact, regex, prefix',
    mutate: ro => { canary(ro).trafficRouting.managedRoutes = [{ name: 'hdr' }]; canary(ro).steps.unshift(headerStep('hdr', {})); },
  },
  {
    id: 'C31',
    library: 'CanaryStep.setMirrorRoute',
    offence: 'setMirrorRoute over ALB',
    controller: 'SetMirrorRoute requires TrafficRouting, supports Istio only',
    mutate: ro => {
      alb(ro); canary(ro).trafficRouting.managedRoutes = [{ name: 'mirror' }];
      canary(ro).steps.unshift({ setMirrorRoute: { name: 'mirror', percentage: 10, match: [{ method: { exact: 'GET' } }] } });
    },
  },
  {
    id: 'C33',
    library: 'CanaryRollout (managedRoutes)',
    offence: 'setHeaderRoute without managedRoutes',
    controller: 'Rollout has missing field \'spec.strategy.canary.trafficRouting.managedRoutes\'',
    mutate: ro => { canary(ro).steps.unshift(headerStep('hdr', { exact: 'yes' })); },
  },
  {
    id: 'C34',
    library: 'CanaryRollout (managedRoutes)',
    offence: 'setHeaderRoute naming a route not in managedRoutes',
    controller: 'Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes',
    mutate: ro => { canary(ro).trafficRouting.managedRoutes = [{ name: 'other' }]; canary(ro).steps.unshift(headerStep('hdr', { exact: 'yes' })); },
  },
  {
    id: 'C37',
    library: 'AnalysisArgs (fieldRef)',
    offence: 'step analysis arg from metadata.generation',
    controller: 'Analyses arguments must refer to valid object metadata supported by downwardAPI',
    mutate: ro => { canary(ro).steps[2].analysis.args = [{ name: 'gen', valueFrom: { fieldRef: { fieldPath: 'metadata.generation' } } }]; },
  },
  {
    id: 'C39',
    library: 'CanaryAntiAffinity',
    offence: 'preferred anti-affinity weight 0',
    controller: 'AntiAffinity weight must be between 1-100',
    mutate: ro => { canary(ro).antiAffinity = { preferredDuringSchedulingIgnoredDuringExecution: { weight: 0 } }; },
  },
  {
    id: 'B1',
    library: 'BlueGreenServices',
    offence: 'blueGreen with previewService equal to activeService',
    controller: 'This rollout uses the same service for the active and preview services, but two different services are required.',
    mutate: ro => { ro.spec.strategy = { blueGreen: { activeService: 'checkout-stable', previewService: 'checkout-stable' } }; },
  },
  {
    id: 'B2',
    library: 'BlueGreenRollout (scaleDownDelayRevisionLimit)',
    offence: 'blueGreen scaleDownDelayRevisionLimit 11 with the default revisionHistoryLimit 10',
    controller: 'This rollout\'s revision history limit can not be smaller than the rollout\'s scale down limit',
    mutate: ro => {
      ro.spec.strategy = { blueGreen: { activeService: 'checkout-stable', previewService: 'checkout-canary', scaleDownDelayRevisionLimit: 11 } };
    },
  },
  {
    id: 'R3',
    library: 'CanaryRollout (Service per Rollout)',
    offence: 'stable Service annotated as managed by another Rollout',
    controller: 'Service "checkout-stable" is managed by another Rollout',
    mutate: (_ro, objs) => { objs[0].metadata.annotations = { 'argo-rollouts.argoproj.io/managed-by-rollouts': 'payments' }; },
  },
  {
    id: 'R5',
    library: 'AnalysisArgs (required args)',
    offence: 'template arg without value the Rollout does not pass',
    controller: 'args.service was not resolved',
    mutate: (_ro, objs) => { objs[objs.length - 1].spec.args = [{ name: 'service' }]; },
  },
  {
    id: 'R6',
    library: 'AnalysisArgs (merged args)',
    offence: 'two templates declare one arg with different values',
    controller: 'specified multiple times with different values',
    mutate: (ro, objs) => {
      objs[objs.length - 1].spec.args = [{ name: 'window', value: '1m' }];
      objs.push(template('latency', { args: [{ name: 'window', value: '5m' }], metrics: [promMetric('latency')] }));
      canary(ro).steps[2].analysis.templates.push({ templateName: 'latency' });
    },
  },
  {
    id: 'R7',
    library: 'AnalysisArgs (metric names)',
    offence: 'two templates of one analysis with the same metric name',
    controller: 'two metrics have the same name \'success-rate\'',
    mutate: (ro, objs) => {
      objs.push(template('success-rate-copy', { metrics: [promMetric('success-rate')] }));
      canary(ro).steps[2].analysis.templates.push({ templateName: 'success-rate-copy' });
    },
  },
  {
    id: 'R8',
    library: 'CanaryRollout (step analysis must end)',
    offence: 'step analysis metric with interval and no count',
    controller: 'AnalysisTemplate success-rate has metric success-rate which runs indefinitely. Invalid value for count: <nil>',
    mutate: (_ro, objs) => { delete objs[objs.length - 1].spec.metrics[0].count; },
  },
  {
    id: 'R9',
    library: 'PrometheusAnalysis (placeholders)',
    offence: 'query placeholder naming no declared arg',
    controller: 'failed to resolve {{args.service}}',
    mutate: (_ro, objs) => { objs[objs.length - 1].spec.metrics[0].provider.prometheus.query = 'sum(up{service="{{args.service}}"})'; },
  },
  {
    id: 'R10',
    library: 'AnalysisTemplateRef (arg value)',
    offence: 'template arg with both value and valueFrom',
    controller: 'has both Value and ValueFrom fields',
    mutate: (_ro, objs) => {
      objs[objs.length - 1].spec.args = [{ name: 'ns', value: 'shop', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }];
    },
  },
  {
    id: 'R12',
    library: 'TrafficRouting.nginx',
    offence: 'both stableIngress and stableIngresses',
    controller: 'Either StableIngress or StableIngresses must be configured. Both are configured.',
    mutate: ro => { nginx(ro); canary(ro).trafficRouting.nginx.stableIngresses = ['checkout']; },
  },
  {
    id: 'R13',
    library: 'TrafficRouting.alb',
    offence: 'neither ingress nor ingresses',
    controller: 'Either Ingress or Ingresses must be configured. Neither are configured.',
    mutate: ro => { canary(ro).trafficRouting = { alb: { servicePort: 80 } }; },
  },
  {
    id: 'R15',
    library: 'TrafficRouting.istio',
    offence: 'neither virtualService nor virtualServices',
    controller: 'either VirtualService or VirtualServices must be configured',
    mutate: ro => { canary(ro).trafficRouting = { istio: {} }; },
  },
];

function verdict(mutate?: Mutate): RolloutVerdict {
  const ro = baseRollout();
  const objs = baseObjects();
  mutate?.(ro, objs);
  const [res] = runConformance('rollouts-validate', [{ source: 'differential', objects: [ro, ...objs] }]).results;
  return res;
}

const verdicts = new Map<string, RolloutVerdict>();
beforeAll(() => {
  // One Go process for the control and every case: each case is its own batch (its own cluster).
  const batches = [{ source: 'control', objects: [baseRollout(), ...baseObjects()] }];
  for (const c of CASES) {
    const ro = baseRollout();
    const objs = baseObjects();
    c.mutate(ro, objs);
    batches.push({ source: c.id, objects: [ro, ...objs] });
  }
  for (const r of runConformance('rollouts-validate', batches).results) verdicts.set(r.source, r);
});

test('control: the base Rollout and its references pass the controller\'s validation', () => {
  const v = verdicts.get('control')!;
  expect(v.errors).toEqual([]);
  expect(v.referenced).toEqual({ services: 2, analysisTemplates: 1, clusterAnalysisTemplates: 0, ingresses: 0, virtualServices: 1 });
  expect(verdict().errors).toEqual([]);
});

test.each(CASES.map(c => [c.id, c] as const))('%s: the controller rejects the raw offending object too', (_id, c) => {
  const v = verdicts.get(c.id)!;
  const messages = v.errors.map(e => e.message);
  expect(messages.join('\n')).toContain(c.controller);
});

test('every controller message the library quotes in src/ has a differential case', () => {
  const quoted: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {walk(p);} else if (p.endsWith('.ts')) {
        for (const m of fs.readFileSync(p, 'utf-8').matchAll(/\(controller: ([^)$`'"]{12,})/g)) quoted.push(m[1].trim());
      }
    }
  };
  walk(path.join(REPO_ROOT, 'src'));
  expect(quoted.length).toBeGreaterThan(15);
  // A quoted message is covered when a case's controller text contains (the first 30 characters of) it, or the other
  // way round (the library may quote the field path with the message).
  const norm = (s: string) => s.replace(/\\'/g, '\'').replace(/[;,.]$/, '');
  const covers = (c: Case, q: string) => norm(c.controller).includes(norm(q).slice(0, 30)) || norm(q).includes(norm(c.controller).slice(0, 30));
  const uncovered = quoted.filter(q => !CASES.some(c => covers(c, q)));
  expect(uncovered).toEqual([]);
});

const DOC = path.join(REPO_ROOT, 'docs', 'conformance.md');
const BEGIN = '<!-- differential:begin (generated by test/conformance/rollouts-differential.test.ts) -->';
const END = '<!-- differential:end -->';

test('docs/conformance.md carries the differential table', () => {
  const rows = CASES.map(c => {
    const v = verdicts.get(c.id)!;
    const hit = v.errors.find(e => e.message.includes(c.controller));
    const where = hit ? `${hit.stage}${hit.field ? ` \`${hit.field}\`` : ''}` : 'not rejected';
    return `| ${c.id} | ${c.library} | ${c.offence} | ${hit ? 'rejects' : '**accepts**'} (${where}) | ${c.controller.replace(/\|/g, '\\|')} |`;
  });
  const table = [BEGIN, '| rule | library | raw offending object | Argo Rollouts v1.9.1 | controller message |', '|---|---|---|---|---|', ...rows, END].join('\n');
  const doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf-8') : '';
  const current = doc.includes(BEGIN) ? doc.slice(doc.indexOf(BEGIN), doc.indexOf(END) + END.length) : '';
  if (process.env.CONFORMANCE_UPDATE_DOCS && current !== table) {
    fs.writeFileSync(DOC, doc.includes(BEGIN) ? doc.replace(current, table) : `${doc}\n${table}\n`);
    return;
  }
  expect(current).toEqual(table);
});
