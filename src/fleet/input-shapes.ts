import type { FleetClusterProps, FleetProps } from './fleet';
import { required, StructShape } from '../core/struct-shape';

export const FLEET_CLUSTER_PROPS: StructShape<FleetClusterProps> = {
  name: required('string'),
  server: required('string'),
  labels: 'map',
  metricsEndpoint: 'string',
};

export const FLEET_PROPS: StructShape<FleetProps> = {
  clusters: required([FLEET_CLUSTER_PROPS]),
};
