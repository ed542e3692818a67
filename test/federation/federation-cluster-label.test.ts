import { FederationClusterLabel } from '../../src';

describe('FederationClusterLabel', () => {
  test('target label by default, or the workload\'s external label', () => {
    expect(FederationClusterLabel.targetLabel()).toMatchObject({ labelName: 'cluster', onTargets: true });
    expect(FederationClusterLabel.workloadExternalLabel('k8s_cluster')).toMatchObject({ labelName: 'k8s_cluster', onTargets: false });
  });

  test.each([['k8s-cluster'], ['__cluster'], ['']])('rejects the label name %j', (name) => {
    expect(() => FederationClusterLabel.targetLabel(name)).toThrow(`FederationClusterLabel.targetLabel: labelName is ${JSON.stringify(name)}; expected a`);
  });
});
