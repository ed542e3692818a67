import { Problem } from '../../core/problem';
import { blankName, BoundTrafficRouting, commonToKube, TrafficRouting } from '../traffic-routing';

/**
 * Options of `TrafficRouting.smi`.
 */
export interface SmiTrafficRoutingOptions {
  /**
   * The root Service clients call.
   *
   * @default - the stable Service
   */
  readonly rootService?: string;
  /**
   * The TrafficSplit the controller creates.
   *
   * @default - the Rollout name
   */
  readonly trafficSplitName?: string;
}

/**
 * SMI (`trafficRouting.smi`, e.g. Linkerd): the controller manages a TrafficSplit.
 *
 * @internal
 */
export class SmiTrafficRouting extends TrafficRouting {
  public readonly provider = 'smi';

  constructor(private readonly options: SmiTrafficRoutingOptions) {
    super();
  }

  public _problems(prop: string): Problem[] {
    const s = this.options;
    return [
      ...blankName(`${prop}.smi.rootService`, s.rootService, 'a Service name'),
      ...blankName(`${prop}.smi.trafficSplitName`, s.trafficSplitName, 'a TrafficSplit name'),
    ];
  }

  public _bind(): BoundTrafficRouting {
    const s = this.options;
    return {
      toKube: (managedRoutes, maxTrafficWeight) => ({
        ...commonToKube(managedRoutes, maxTrafficWeight),
        smi: {
          ...(s.rootService ? { rootService: s.rootService } : {}),
          ...(s.trafficSplitName ? { trafficSplitName: s.trafficSplitName } : {}),
        },
      }),
    };
  }
}
