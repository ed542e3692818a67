import { secretMountDir } from '../../src/federation/secret-mount';

test('Secrets are mounted where the prometheus-operator mounts Prometheus.spec.secrets', () => {
  expect(secretMountDir('fed-token')).toBe('/etc/prometheus/secrets/fed-token');
});
