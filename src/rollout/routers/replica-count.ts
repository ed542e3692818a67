import { Problem } from '../../core/problem';
import { BoundTrafficRouting, TrafficRouting } from '../traffic-routing';

/**
 * No traffic router (`TrafficRouting.replicaCountApproximation()`): setWeight only sets the ratio of canary to
 * stable pods, and nothing is rendered under `trafficRouting`.
 *
 * @internal
 */
export class ReplicaCountApproximation extends TrafficRouting {
  public readonly provider = 'replicaCount';

  public get routesTraffic(): boolean {
    return false;
  }

  public get _requiresServices(): boolean {
    return false;
  }

  public _problems(): Problem[] {
    return [];
  }

  public _bind(): BoundTrafficRouting {
    return { toKube: () => undefined };
  }
}
