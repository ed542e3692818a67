import { ApiObject, Testing } from 'cdk8s';
import { KubeDeployment } from 'cdk8s-plus-28/lib/imports/k8s';
import { knownCustomKinds, validateObject, validateObjects } from './schema';
import { Rollout, RolloutSpecStrategyCanaryStepsPauseDuration } from '../../imports/rollouts-argoproj.io';

function rollout(canary: any): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] } },
      strategy: { canary },
    },
  };
}

describe('strict CRD schema harness', () => {
  test('knows every vendored kind', () => {
    expect(knownCustomKinds()).toEqual(expect.arrayContaining([
      'argoproj.io/v1alpha1/ApplicationSet', 'argoproj.io/v1alpha1/Application', 'argoproj.io/v1alpha1/AppProject',
      'argoproj.io/v1alpha1/Rollout', 'argoproj.io/v1alpha1/AnalysisTemplate', 'argoproj.io/v1alpha1/ClusterAnalysisTemplate',
      'networking.istio.io/v1/VirtualService', 'networking.istio.io/v1beta1/DestinationRule',
      'gateway.networking.k8s.io/v1/HTTPRoute', 'monitoring.coreos.com/v1alpha1/ScrapeConfig',
    ]));
  });

  test('accepts a valid canary Rollout', () => {
    expect(validateObject(rollout({ steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { pause: {} }] }))).toEqual([]);
  });

  test('fails on a misspelled field (unknown fields are errors)', () => {
    expect(validateObject(rollout({ stepz: [{ setWeight: 20 }] })))
      .toEqual(['/spec/strategy/canary must NOT have additional properties ("stepz")']);
  });

  test('fails on a wrong type', () => {
    expect(validateObject(rollout({ steps: [{ setWeight: '20' }] })))
      .toEqual(['/spec/strategy/canary/steps/0/setWeight must be integer']);
  });

  test('fails on a missing required field', () => {
    const r = rollout({ analysis: { templates: [{ templateName: 'a' }] }, trafficRouting: { istio: { virtualService: {} } } });
    expect(validateObject(r)).toEqual(["/spec/strategy/canary/trafficRouting/istio/virtualService must have required property 'name'"]);
  });

  test('honours int-or-string: both forms are valid, other types are not', () => {
    expect(validateObject(rollout({ maxSurge: 1, steps: [{ pause: { duration: 30 } }] }))).toEqual([]);
    expect(validateObject(rollout({ maxSurge: '25%', steps: [{ pause: { duration: '30s' } }] }))).toEqual([]);
    expect(validateObject(rollout({ maxSurge: true }))).toEqual(expect.arrayContaining(['/spec/strategy/canary/maxSurge must be integer']));
  });

  test('honours x-kubernetes-preserve-unknown-fields', () => {
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'guestbook' },
      spec: {
        project: 'default',
        destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
        source: { repoURL: 'https://github.com/argoproj/argocd-example-apps', path: 'helm-guestbook', helm: { valuesObject: { any: { thing: [1] } } } },
      },
    };
    expect(validateObject(app)).toEqual([]);
    app.spec.source.helm = { valuesObjekt: {} } as any;
    expect(validateObject(app)).toEqual(['/spec/source/helm must NOT have additional properties ("valuesObjekt")']);
  });

  test('checks metadata and names like the API server', () => {
    const r = rollout({ steps: [] });
    r.metadata = { name: 'Web_1', labels: { a: 1 } };
    expect(validateObject(r)).toEqual(['/metadata/labels/a must be string', '/metadata/name "Web_1" must be a DNS-1123 subdomain']);
  });

  test('validates core kinds with the Kubernetes OpenAPI schemas (kubernetes-models)', () => {
    const dep = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 'three', selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web' }] } } },
    };
    expect(validateObject(dep)).toEqual(['/spec/replicas must be integer']);
    expect(validateObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80, protocol: 'SCTPX' }] } }))
      .toEqual(['/spec/ports/0/protocol must be equal to one of the allowed values']);
  });

  test('fails on a kind it has no schema for', () => {
    expect(validateObjects([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]))
      .toEqual(['Widget/w: / no schema for example.com/v1/Widget: vendor its CRD into crds/ or use a core kind']);
  });

  test('every Testing.synth() in the suite is validated: an invalid object fails the synth', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'bad', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'bad' }, spec: { replicas: -1, stepz: 1 } } as any);
    expect(() => Testing.synth(chart)).toThrow(/schema validation failed[\s\S]*Rollout\/bad: \/spec must NOT have additional properties \("stepz"\)/);
  });

  test('the generated L1s and cdk8s-plus core L1s synthesize valid objects', () => {
    const chart = Testing.chart();
    new Rollout(chart, 'r', {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        strategy: { canary: { steps: [{ setWeight: 10 }, { pause: { duration: RolloutSpecStrategyCanaryStepsPauseDuration.fromString('1m') } }] } },
      },
    });
    new KubeDeployment(chart, 'd', {
      metadata: { name: 'web' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    });
    const objs = Testing.synth(chart);
    expect(objs.map(o => o.kind)).toEqual(['Rollout', 'Deployment']);
    expect(objs[0].spec.strategy.canary.steps).toEqual([{ setWeight: 10 }, { pause: { duration: '1m' } }]);
  });
});

test('apiVersion and kind are implicit at the root of every CRD (Istio lists only spec/status)', () => {
  const vs = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'vs' },
    spec: { hosts: ['web'], http: [{ name: 'primary', route: [{ destination: { host: 'web-stable' }, weight: 100 }] }] },
  };
  expect(validateObject(vs)).toEqual([]);
  expect(validateObject({ ...vs, spek: {} })).toEqual(['/ must NOT have additional properties ("spek")']);
});
