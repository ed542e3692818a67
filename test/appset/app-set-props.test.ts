import { Duration } from 'cdk8s';
import { example1, synthAppSet } from './app-set-fixtures';
import { ApplicationsSyncPolicy, DeletionOrder, MaxUpdate, RollingSyncStep } from '../../src';

describe('MultiClusterAppSet props: each prop lands in the ApplicationSet', () => {
  test('template props: labels, project, helm, kustomize, sync options, prune, retry, deletionOrder, applicationsSync', () => {
    const obj = synthAppSet(example1({
      metadata: { name: 'svc', namespace: 'argocd-apps' },
      labels: { team: 'payments' },
      annotations: { 'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'deploys' },
      project: 'payments',
      steps: [RollingSyncStep.whereIn('team', ['payments'], MaxUpdate.percent(20))],
      source: {
        repoUrl: 'https://charts.example.com',
        chart: 'svc',
        targetRevision: '1.2.3',
        helm: { releaseName: 'svc', valueFiles: ['values-{{.env}}.yaml'], parameters: { 'image.tag': '1.2.3', 'cluster': '{{.name}}' }, values: 'a: 1\n' },
      },
      destinationNamespace: 'svc-{{.env}}',
      syncOptions: ['ServerSideApply=true'],
      prune: true,
      retryLimit: 3,
      retryBackoffDuration: Duration.seconds(10),
      retryBackoffFactor: 2,
      retryBackoffMaxDuration: Duration.minutes(5),
      deletionOrder: DeletionOrder.REVERSE,
      applicationsSync: ApplicationsSyncPolicy.CREATE_UPDATE,
      preserveResourcesOnDeletion: true,
    }));
    expect(obj.metadata).toEqual({ name: 'svc', namespace: 'argocd-apps' });
    expect(obj.spec.strategy.deletionOrder).toBe('Reverse');
    expect(obj.spec.syncPolicy).toEqual({ applicationsSync: 'create-update', preserveResourcesOnDeletion: true });
    expect(obj.spec.template.metadata.labels).toEqual({ env: '{{.env}}', cluster: '{{.nameNormalized}}', team: 'payments' });
    expect(obj.spec.template.metadata.annotations).toEqual({ 'notifications.argoproj.io/subscribe.on-sync-failed.slack': 'deploys' });
    expect(obj.spec.template.spec).toEqual({
      project: 'payments',
      source: {
        repoURL: 'https://charts.example.com',
        chart: 'svc',
        targetRevision: '1.2.3',
        helm: { releaseName: 'svc', valueFiles: ['values-{{.env}}.yaml'], parameters: [{ name: 'image.tag', value: '1.2.3' }, { name: 'cluster', value: '{{.name}}' }], values: 'a: 1\n' },
      },
      destination: { server: '{{.server}}', namespace: 'svc-{{.env}}' },
      syncPolicy: {
        automated: { prune: true },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        retry: { limit: 3, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
      },
    });
  });

  test('kustomize options and destinationName', () => {
    const obj = synthAppSet(example1({
      createNamespace: false,
      source: {
        repoUrl: 'https://github.com/my-org/svc',
        path: 'k8s',
        kustomize: {
          namePrefix: 'a-',
          nameSuffix: '-b',
          images: ['svc:1.2.3'],
          commonLabels: { app: 'svc' },
          commonAnnotations: { 'example.com/cluster': '{{.name}}' },
        },
      },
      destinationName: '{{.name}}',
      destinationNamespace: 'svc-{{.env}}',
    }));
    expect(obj.spec.template.spec.source.kustomize).toEqual({
      namePrefix: 'a-',
      nameSuffix: '-b',
      images: ['svc:1.2.3'],
      commonLabels: { app: 'svc' },
      commonAnnotations: { 'example.com/cluster': '{{.name}}' },
    });
    expect(obj.spec.template.spec.destination).toEqual({ name: '{{.name}}', namespace: 'svc-{{.env}}' });
    expect(obj.spec.template.spec.syncPolicy).toBeUndefined();
  });

  test('retryLimit accepts a negative value: Argo CD retries without limit', () => {
    const obj = synthAppSet(example1({ retryLimit: -1 }));
    expect(obj.spec.template.spec.syncPolicy.retry).toEqual({ limit: -1 });
  });

  test('prune is emitted as automated: {prune: true} with enabled unset, the form RollingSync syncs prune with (issue 11 item 1)', () => {
    // Argo CD's progressive sync reads automated.prune only if IsAutomatedSyncEnabled(), which is false when
    // `enabled` is explicitly false: `{enabled: false, prune: true}` would sync every step without pruning
    const obj = synthAppSet(example1({ prune: true }));
    expect(obj.spec.template.spec.syncPolicy.automated).toEqual({ prune: true });
    expect(obj.spec.template.spec.syncPolicy.automated).not.toHaveProperty('enabled');
    // without prune there is no automated block at all
    expect(synthAppSet(example1()).spec.template.spec.syncPolicy).toEqual({ syncOptions: ['CreateNamespace=true'] });
  });

  test('DeletionOrder and ApplicationsSyncPolicy carry the manifest values', () => {
    expect([DeletionOrder.ALL_AT_ONCE, DeletionOrder.REVERSE].map(d => d.value)).toEqual(['AllAtOnce', 'Reverse']);
    const policies = [
      ApplicationsSyncPolicy.SYNC, ApplicationsSyncPolicy.CREATE_UPDATE, ApplicationsSyncPolicy.CREATE_ONLY, ApplicationsSyncPolicy.CREATE_DELETE,
    ];
    expect(policies.map(p => p.value)).toEqual(['sync', 'create-update', 'create-only', 'create-delete']);
    // AllAtOnce is the controller default and not emitted
    expect(synthAppSet(example1({ deletionOrder: DeletionOrder.ALL_AT_ONCE })).spec.strategy).not.toHaveProperty('deletionOrder');
  });
});
