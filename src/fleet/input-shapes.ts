import type { FleetClusterProps, FleetProps } from './fleet';
import { required, StructShape } from '../core/struct-shape';

/*
 * The shapes of the fleet folder's public props/options structs, one `StructShape<T>` per struct (exactly T's keys,
 * checked by the compiler): each constructor and factory taking one checks it in its first line with `checkStruct` or
 * `checkArgs` (src/core/struct-shape.ts) — unknown keys and wrong types from callers without TypeScript become
 * ValidationErrors. test/core/input-structs.test.ts fails when a public input struct has no shape here.
 */

export const FLEET_CLUSTER_PROPS: StructShape<FleetClusterProps> = {
  name: required('string'),
  server: required('string'),
  labels: 'map',
  metricsEndpoint: 'string',
};

export const FLEET_PROPS: StructShape<FleetProps> = {
  clusters: required([FLEET_CLUSTER_PROPS]),
};
