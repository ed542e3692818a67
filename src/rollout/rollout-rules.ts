import { Duration } from 'cdk8s';
import { CanaryAntiAffinity } from './canary-anti-affinity';
import type { ProgressiveRolloutProps } from './progressive-rollout';
import { int32Problems, wholeSecondsProblems } from '../core/bounds';
import { checkDns1123Label, checkDns1123Subdomain } from '../core/names';
import { Problem, show } from '../core/problem';

/*
 * The single-prop rules every Rollout of this library enforces, whatever its strategy (docs/rules/rollouts.md).
 */

/**
 * Whether `value` is an object with the method a class of this library (or cdk8s) has: callers without TypeScript
 * (plain JavaScript, jsii languages) may pass a plain object instead. Not `instanceof`, which two copies of a
 * package defeat.
 *
 * @internal
 */
export function hasMethod(value: unknown, method: string): boolean {
  return typeof value === 'object' && value !== null && typeof (value as any)[method] === 'function';
}

/** @internal */
export function plainValue(prop: string, value: unknown, expected: string): Problem {
  return { prop, given: `a plain value ${show(value)}`, expected, fix: 'build the value with the factory named above' };
}

/**
 * A value that must come from a factory of this library (or cdk8s): a plain value is a problem.
 *
 * @internal
 */
export function factoryProblems(prop: string, value: unknown, method: string, expected: string): Problem[] {
  return value !== undefined && !hasMethod(value, method) ? [plainValue(prop, value, expected)] : [];
}

/**
 * The shapes of the props every rollout has: the workload, the anti-affinity and the durations (`durations` adds the
 * strategy's own).
 *
 * @internal
 */
export function commonShapeProblems(p: ProgressiveRolloutProps, durations: { [prop: string]: Duration | undefined }): Problem[] {
  return [
    ...factoryProblems('workload', p.workload ?? null, '_bind', 'a RolloutWorkload made by its factories, e.g. RolloutWorkload.fromPodTemplate({ containers })'),
    ...factoryProblems('antiAffinity', p.antiAffinity, '_toKube', 'a CanaryAntiAffinity made by its factories, e.g. CanaryAntiAffinity.preferred(50)'),
    ...Object.entries({ ...durations, progressDeadline: p.progressDeadline, minReady: p.minReady })
      .flatMap(([k, d]) => factoryProblems(k, d, 'toMilliseconds', 'a Duration, e.g. Duration.seconds(30)')),
  ];
}

/**
 * `metadata.name`, `metadata.namespace` and `replicas` (rule S1).
 *
 * @internal
 */
export function identityProblems(p: ProgressiveRolloutProps, name: string): Problem[] {
  const problems: Problem[] = [];
  const nameErr = checkDns1123Subdomain(name);
  if (nameErr) problems.push({ prop: 'metadata.name', given: show(name), expected: nameErr, fix: 'use a lowercase DNS name' });
  const namespace = p.metadata?.namespace;
  const nsErr = namespace !== undefined ? checkDns1123Label(namespace) : undefined;
  if (nsErr) problems.push({ prop: 'metadata.namespace', given: show(namespace), expected: nsErr, fix: 'use a namespace name such as "shop"' });
  const replicas = p.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 0) {
    problems.push({ prop: 'replicas', given: show(p.replicas), expected: 'a non-negative integer', fix: 'use a whole pod count' });
  }
  problems.push(...int32Problems('replicas', p.replicas));
  return problems;
}

/**
 * The anti-affinity weight (rule C39, the same for both strategies).
 *
 * @internal
 */
export function antiAffinityProblems(a: CanaryAntiAffinity | undefined): Problem[] {
  const w = a?.weight;
  if (w === undefined || (Number.isInteger(w) && w >= 1 && w <= 100)) return [];
  return [{
    prop: 'antiAffinity.weight',
    given: show(w),
    expected: 'an integer 1..100 (controller: AntiAffinity weight must be between 1-100)',
    fix: 'use CanaryAntiAffinity.preferred(1..100)',
  }];
}

/**
 * Whole-second durations (the strategy's own in `durations`, then `progressDeadline` and `minReady`), the progress
 * deadline above `minReady` (rule S8) and `revisionHistoryLimit` (rule S7).
 *
 * @internal
 */
export function timingProblems(p: ProgressiveRolloutProps, durations: { [prop: string]: Duration | undefined }): Problem[] {
  const problems: Problem[] = [];
  let wholeSeconds = true;
  for (const [k, d] of Object.entries({ ...durations, progressDeadline: p.progressDeadline, minReady: p.minReady })) {
    const dp = d ? wholeSecondsProblems(k, d) : [];
    if (dp.length > 0) wholeSeconds = false;
    problems.push(...dp);
  }
  const deadline = p.progressDeadline?.toMilliseconds({ integral: false }) ?? 600_000;
  const minReady = p.minReady?.toMilliseconds({ integral: false }) ?? 0;
  if (wholeSeconds && deadline <= minReady) {
    problems.push({
      prop: 'progressDeadline',
      given: `${deadline / 1000}s with minReady ${minReady / 1000}s`,
      expected: 'more than minReady (controller: progressDeadlineSeconds must be greater than minReadySeconds)',
      fix: 'raise progressDeadline or lower minReady',
    });
  }
  if (p.revisionHistoryLimit !== undefined && (!Number.isInteger(p.revisionHistoryLimit) || p.revisionHistoryLimit < 0)) {
    problems.push({ prop: 'revisionHistoryLimit', given: show(p.revisionHistoryLimit), expected: 'a non-negative integer', fix: 'use a whole number' });
  }
  problems.push(...int32Problems('revisionHistoryLimit', p.revisionHistoryLimit));
  return problems;
}
