import type { ReleaseEstimateOptions, UpdateFacts } from './release-estimate';
import type { PlannedApplication } from './rollout-plan';
import { required, StructShape } from '../core/struct-shape';

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

export const PLANNED_APPLICATION: StructShape<PlannedApplication> = {
  name: required('string'),
  labels: 'map',
};
