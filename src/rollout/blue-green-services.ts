import * as kplus from 'cdk8s-plus-28';
import { BLUE_GREEN_SERVICES_OPTIONS } from './input-shapes';
import { createRolloutServices, RolloutServicesHost, serviceNameProblems } from './rollout-services';
import { Problem, show, throwIfProblems } from '../core/problem';
import { checkArgs, checkStruct, required } from '../core/struct-shape';

/**
 * Options of `BlueGreenServices.create`.
 */
export interface BlueGreenServicesOptions {
  /**
   * Name of the active Service (production traffic).
   *
   * @default '<rollout name>-active'
   */
  readonly activeName?: string;
  /**
   * Name of the preview Service (the new version before the switch).
   *
   * @default '<rollout name>-preview'
   */
  readonly previewName?: string;
  /**
   * Whether to create the preview Service. Without it the new version is reachable only through its pods until the
   * switch.
   *
   * @default true
   */
  readonly preview?: boolean;
  /**
   * The Service port.
   *
   * @default - the first container port of the workload
   */
  readonly port?: number;
  /**
   * The container port traffic goes to.
   *
   * @default - the workload's first container port (or `port` when its containers expose none)
   */
  readonly targetPort?: number;
}

/**
 * The Services of a blue-green rollout once bound.
 *
 * @internal
 */
export interface BoundBlueGreenServices {
  readonly activeName: string;
  readonly previewName?: string;
  /** Whether the construct creates the Services. */
  readonly created: boolean;
  readonly activeService?: kplus.Service;
  readonly previewService?: kplus.Service;
}

/**
 * The active and preview Services the controller pins to the current and the new version's pods
 * (`activeService` / `previewService`).
 */
export abstract class BlueGreenServices {
  /**
   * Create the active and (unless `preview: false`) the preview Service, selecting the Rollout's pod labels (the
   * controller adds the `rollouts-pod-template-hash` selector at runtime).
   */
  public static create(options: BlueGreenServicesOptions = {}): BlueGreenServices {
    checkStruct('BlueGreenServices.create', 'options', options, BLUE_GREEN_SERVICES_OPTIONS);
    return new CreatedBlueGreenServices(options);
  }

  /**
   * Use existing Services. Their selectors must be a subset of the Rollout's pod labels (the controller rejects
   * `Service "<svc>" has unmatch label "<k>" in rollout`), which cannot be checked at synth.
   *
   * @param activeName the active Service
   * @param previewName the preview Service; none when omitted
   */
  public static fromNames(activeName: string, previewName?: string): BlueGreenServices {
    checkArgs('BlueGreenServices.fromNames', { activeName: [activeName, required('string')], previewName: [previewName, 'string'] });
    return new ExistingBlueGreenServices(activeName, previewName);
  }

  /**
   * Names the Services (creating them where asked) for the rollout; throws a `ValidationError` for a bad name.
   *
   * @internal
   */
  public abstract _bind(host: RolloutServicesHost): BoundBlueGreenServices;
}

class CreatedBlueGreenServices extends BlueGreenServices {
  constructor(private readonly options: BlueGreenServicesOptions) {
    super();
  }

  public _bind(host: RolloutServicesHost): BoundBlueGreenServices {
    // the options were checked by BlueGreenServices.create() (BLUE_GREEN_SERVICES_OPTIONS)
    const o = this.options;
    const activeName = o.activeName ?? `${host.rolloutName}-active`;
    const previewName = o.preview === false ? undefined : o.previewName ?? `${host.rolloutName}-preview`;
    const problems = activePreviewProblems(activeName, previewName,
      'pass BlueGreenServices.create({ activeName, previewName }) with short lowercase names (the defaults are <rollout name>-active/-preview)');
    if (o.preview === false && o.previewName !== undefined) {
      problems.push({
        prop: 'services.previewName',
        given: `${show(o.previewName)} with preview: false`,
        expected: 'no preview name when no preview Service is created',
        fix: 'drop previewName, or drop preview: false',
      });
    }
    throwIfProblems(host.scope, problems);
    const { services } = createRolloutServices(host, o, [
      { id: 'ActiveService', name: activeName },
      ...(previewName !== undefined ? [{ id: 'PreviewService', name: previewName }] : []),
    ], 'BlueGreenServices.create');
    return { activeName, previewName, created: true, activeService: services[0], previewService: services[1] };
  }
}

class ExistingBlueGreenServices extends BlueGreenServices {
  constructor(private readonly activeName: string, private readonly previewName: string | undefined) {
    super();
  }

  public _bind(host: RolloutServicesHost): BoundBlueGreenServices {
    // the names' types were checked by BlueGreenServices.fromNames()
    throwIfProblems(host.scope, activePreviewProblems(this.activeName, this.previewName, 'pass the names of the Services, e.g. BlueGreenServices.fromNames("web-active", "web-preview")'));
    return { activeName: this.activeName, previewName: this.previewName, created: false };
  }
}

/** Service names, and the two different (rule B1). */
function activePreviewProblems(activeName: string, previewName: string | undefined, fix: string): Problem[] {
  const problems: Problem[] = [
    ...serviceNameProblems('services.activeName', activeName, fix),
    ...(previewName !== undefined ? serviceNameProblems('services.previewName', previewName, fix) : []),
  ];
  if (activeName === previewName) {
    problems.push({
      prop: 'services',
      given: `active and preview both ${show(activeName)}`,
      expected: 'two different Services (controller: This rollout uses the same service for the active and preview services, '
        + 'but two different services are required.)',
      fix: 'name two different Services, or omit the preview Service',
    });
  }
  return problems;
}
