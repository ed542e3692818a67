import { Testing } from 'cdk8s';
import { CanaryRollout, CanaryRolloutProps, RolloutWorkload } from '../../src';

/** A rollout `web` (pod template on port 8080) in a fresh chart; throws constructor (single-prop) errors. */
export function build(props: Partial<CanaryRolloutProps>) {
  const chart = Testing.chart();
  const r = new CanaryRollout(chart, 'web', {
    metadata: { name: 'web' },
    workload: RolloutWorkload.fromPodTemplate({ containers: [{ image: 'img', portNumber: 8080 }] }),
    ...props,
  });
  return { chart, r };
}

/** The synth-time (cross-object) error text, or '' when synth passes. */
export function synthError(props: Partial<CanaryRolloutProps>): string {
  const { chart } = build(props);
  try {
    Testing.synth(chart);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}
