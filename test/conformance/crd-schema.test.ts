import { Duration, Testing } from 'cdk8s';
import { CanaryRollout, CanaryServices, CanaryStep, RolloutWorkload, TrafficRouting } from '../../src';
import { runConformance } from '../harness/conformance';

/**
 * Custom resources as the Kubernetes API server checks them on create, with k8s.io/apiextensions-apiserver's own
 * code over the vendored CRDs (conformance/rollouts/cmd/crd-validate): structural schema, pruning, defaulting,
 * OpenAPI validation and the CEL rules (x-kubernetes-validations, e.g. Gateway API's HTTPRoute rules).
 */

function libraryObjects(): any[] {
  const chart = Testing.chart();
  new CanaryRollout(chart, 'web', {
    metadata: { name: 'web' },
    workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'ghcr.io/acme/web:1.0.0', portNumber: 8080 }] }),
    services: CanaryServices.create(),
    trafficRouting: TrafficRouting.gatewayApi({
      httpRoute: 'web',
      createHttpRoute: { parentRefs: [{ name: 'edge', namespace: 'gateways' }], hostnames: ['web.example.com'], pathPrefix: '/' },
    }),
    steps: [CanaryStep.setWeight(10), CanaryStep.pause(Duration.minutes(1)), CanaryStep.setWeight(50), CanaryStep.pause()],
  });
  return Testing.synth(chart);
}

const check = (objects: any[]) => runConformance('crd-validate', [{ source: 'crd-schema', objects }]);

test('the library\'s Rollout and HTTPRoute pass the API server\'s checks, with nothing pruned', () => {
  const objs = libraryObjects();
  const kinds = objs.filter(o => o.apiVersion.includes('/')).map(o => o.kind).sort();
  expect(kinds).toEqual(['HTTPRoute', 'Rollout']);
  const rep = check(objs);
  expect(rep.crdVersions).toBeGreaterThan(5);
  expect(rep.objectsChecked).toBe(2);
  expect(rep.results).toEqual([]);
});

test('an unknown field is pruned silently by the API server (reported by the harness)', () => {
  const [ro] = libraryObjects().filter(o => o.kind === 'Rollout');
  const rep = check([{ ...ro, spec: { ...ro.spec, strategy: { canary: { ...ro.spec.strategy.canary, stepz: [] } } } }]);
  expect(rep.results).toHaveLength(1);
  expect(rep.results[0].pruned).toEqual(['spec.strategy.canary.stepz']);
  expect(rep.results[0].errors).toEqual([]);
});

test('a CEL rule of Gateway API\'s HTTPRoute rejects a Service backendRef without a port', () => {
  const [route] = libraryObjects().filter(o => o.kind === 'HTTPRoute');
  const bad = JSON.parse(JSON.stringify(route));
  for (const r of bad.spec.rules) for (const b of r.backendRefs ?? []) delete b.port;
  expect(bad.spec.rules[0].backendRefs.length).toBeGreaterThan(0);
  const rep = check([bad]);
  expect(rep.results).toHaveLength(1);
  expect(rep.results[0].errors.join('\n')).toContain('Must have port for Service reference');
});

test('the OpenAPI schema rejects a wrong type (setWeight as a string)', () => {
  const [ro] = libraryObjects().filter(o => o.kind === 'Rollout');
  const bad = JSON.parse(JSON.stringify(ro));
  bad.spec.strategy.canary.steps[0].setWeight = 'ten';
  const rep = check([bad]);
  expect(rep.results[0].errors.join('\n')).toMatch(/setWeight: Invalid value: "string": .*must be of type integer/);
});
