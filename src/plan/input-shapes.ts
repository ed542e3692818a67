import type { ReleaseEstimateOptions, UpdateFacts } from './release-estimate';
import type { PlannedApplication, RolloutPlanOptions } from './rollout-plan';
import { required, StructShape } from '../core/struct-shape';

/*
 * The shapes of the plan folder's public props/options structs, one `StructShape<T>` per struct (exactly T's keys,
 * checked by the compiler): each constructor and factory taking one checks it in its first line with `checkStruct` or
 * `checkArgs` (src/core/struct-shape.ts) — unknown keys and wrong types from callers without TypeScript become
 * ValidationErrors. test/core/input-structs.test.ts fails when a public input struct has no shape here.
 */

export const UPDATE_FACTS: StructShape<UpdateFacts> = {
  minimum: required('duration'),
  exact: 'boolean',
  manualGates: 'number',
  inconclusivePauses: 'number',
};

export const RELEASE_ESTIMATE_OPTIONS: StructShape<ReleaseEstimateOptions> = {
  update: required(UPDATE_FACTS),
  startup: 'duration',
};

export const ROLLOUT_PLAN_OPTIONS: StructShape<RolloutPlanOptions> = {
  frozen: 'boolean',
};

export const PLANNED_APPLICATION: StructShape<PlannedApplication> = {
  name: required('string'),
  labels: 'map',
};
