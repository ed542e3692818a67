import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Fleet } from '../../src';

/** The example fleet: three regions, one canary cluster. */
export const fleet = new Fleet({
  clusters: [
    { name: 'seoul-1', server: 'https://seoul-1.example.com', labels: { region: 'ap-northeast-2', env: 'canary' }, metricsEndpoint: 'prometheus.seoul-1.internal:9090' },
    { name: 'seoul-2', server: 'https://seoul-2.example.com', labels: { region: 'ap-northeast-2', env: 'production' }, metricsEndpoint: 'prometheus.seoul-2.internal:9090' },
    { name: 'tokyo-1', server: 'https://tokyo-1.example.com', labels: { region: 'ap-northeast-1', env: 'production' }, metricsEndpoint: 'prometheus.tokyo-1.internal:9090' },
  ],
});

/** Builds the example app; `main.ts` synthesizes it. */
export function buildApp(outdir = 'dist/examples'): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'my-service');
  new kplus.Deployment(chart, 'web', {
    replicas: 0,
    containers: [{ image: 'ghcr.io/my-org/my-service:1.2.3', portNumber: 8080, securityContext: { ensureNonRoot: false } }],
  });
  return app;
}

/** What the example prints after synth. */
export function describeFleet(): string {
  return fleet.clusters.map(c => `${c.name}\t${c.server}\t${Object.entries(c.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}`).join('\n');
}
