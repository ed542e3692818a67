import { required, StructShape } from '../core/struct-shape';
import type { FleetClusterProps, FleetProps } from './fleet';

export const FLEET_CLUSTER_PROPS: StructShape<FleetClusterProps> = {
  name: required('string'),
  server: required('string'),
  labels: 'map',
  metricsEndpoint: 'string',
};

export const FLEET_PROPS: StructShape<FleetProps> = {
  clusters: required([FLEET_CLUSTER_PROPS]),
};
