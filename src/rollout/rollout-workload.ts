import { ApiObject, ApiObjectMetadata, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ROLLOUT_POD_TEMPLATE_PROPS, ROLLOUT_WORKLOAD_REFERENCE_OPTIONS } from './input-shapes';
import { checkLabelKey, checkLabelValue } from '../core/names';
import { Problem, show } from '../core/problem';
import { checkStruct, required } from '../core/struct-shape';

/**
 * What happens to the referenced Deployment while the Rollout takes over (`workloadRef.scaleDown`).
 */
export enum WorkloadScaleDown {
  /** Leave the Deployment as it is (`never`; the controller's default). */
  NEVER = 'never',
  /** Scale the Deployment to 0 once the Rollout is healthy (`onsuccess`). */
  ON_SUCCESS = 'onsuccess',
  /** Scale the Deployment down as the Rollout scales up (`progressively`). */
  PROGRESSIVELY = 'progressively',
}

/**
 * Options of `RolloutWorkload.fromDeployment`.
 */
export interface RolloutWorkloadReferenceOptions {
  /**
   * How the Rollout scales the Deployment down (`workloadRef.scaleDown`). Only matters when the Deployment runs
   * pods; the usual migration keeps the Deployment at `replicas: 0`.
   *
   * @default - not rendered (the controller's default, `never`)
   */
  readonly scaleDown?: WorkloadScaleDown;
}

/**
 * A pod template built from cdk8s-plus containers (everything `kplus.AbstractPodProps` offers) plus its labels.
 * The inherited `metadata` is not used (the Rollout has its own `metadata`; pod labels and annotations go to
 * `podMetadata`).
 */
export interface RolloutPodTemplateProps extends kplus.AbstractPodProps {
  /**
   * Labels the Rollout selects its pods by (`spec.selector.matchLabels`); added to the pod template. The selector
   * is immutable once applied.
   *
   * @default { app: <rollout name> }
   */
  readonly selectorLabels?: { [key: string]: string };

  /**
   * Further pod metadata (labels, annotations).
   *
   * @default - only the selector labels
   */
  readonly podMetadata?: ApiObjectMetadata;
}

/** @internal what the rollout needs from a workload */
export interface BoundWorkload {
  readonly selector: { [key: string]: string };
  /** `{ workloadRef }` or `{ template }` of the Rollout spec */
  readonly toKube: () => any;
  /** problems, given the Rollout's resolved namespace */
  readonly problems: (rolloutNamespace: string | undefined) => Problem[];
  readonly warnings: () => string[];
  /** the first container port, for Services */
  readonly port: () => number | undefined;
  /** the detached pod-template factory (fromPodTemplate only) */
  readonly podTemplate?: kplus.Deployment;
}

/**
 * The pods a `CanaryRollout` runs: a reference to a cdk8s-plus `Deployment` (`workloadRef`), or a pod template
 * built from cdk8s-plus containers.
 */
export class RolloutWorkload {
  /**
   * Reference a cdk8s-plus Deployment (`spec.workloadRef`); the Deployment is synthesized unchanged next to the
   * Rollout, and the Rollout selects its pod labels. Give the Deployment `replicas: 0` (or a `scaleDown` mode) so
   * the two do not both run pods.
   */
  public static fromDeployment(deployment: kplus.Deployment, options: RolloutWorkloadReferenceOptions = {}): RolloutWorkload {
    checkStruct('RolloutWorkload.fromDeployment', 'options', options, ROLLOUT_WORKLOAD_REFERENCE_OPTIONS);
    return new RolloutWorkload(deployment, options, undefined);
  }

  /**
   * Embed a pod template built from cdk8s-plus containers (`spec.template`). The template is rendered lazily from
   * a cdk8s-plus Deployment that is never synthesized itself, bypassing the generated Rollout mappers, so
   * int-or-string values such as probe ports survive. Note: objects cdk8s-plus would create next to a Deployment
   * (e.g. for `dockerRegistryAuth`) are not emitted; reference existing ones.
   */
  public static fromPodTemplate(props: RolloutPodTemplateProps): RolloutWorkload {
    checkStruct('RolloutWorkload.fromPodTemplate', 'props', props, required(ROLLOUT_POD_TEMPLATE_PROPS));
    return new RolloutWorkload(undefined, {}, props);
  }

  private constructor(
    private readonly deployment: kplus.Deployment | undefined,
    private readonly refOptions: RolloutWorkloadReferenceOptions,
    private readonly templateProps: RolloutPodTemplateProps | undefined,
  ) {}

  /**
   * Whether this is a `workloadRef` to a Deployment.
   */
  public get isWorkloadRef(): boolean {
    return this.deployment !== undefined;
  }

  /** @internal */
  public _bind(scope: Construct, rolloutName: string): BoundWorkload {
    const dep = this.deployment;
    if (dep) {
      const selector = dep.matchLabels;
      return {
        selector,
        toKube: () => ({
          workloadRef: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: dep.name,
            ...(this.refOptions.scaleDown ? { scaleDown: this.refOptions.scaleDown } : {}),
          },
        }),
        problems: (rolloutNamespace) => {
          const p: Problem[] = [];
          const depNs = dep.metadata.namespace;
          if ((depNs ?? '') !== (rolloutNamespace ?? '')) {
            p.push({
              prop: 'workload',
              given: `Deployment "${dep.name}" ${nsText(depNs)} while the Rollout is ${nsText(rolloutNamespace)}`,
              expected: 'the Deployment in the Rollout\'s namespace (workloadRef has no namespace: the controller looks the '
                + 'Deployment up in the Rollout\'s namespace)',
              fix: 'put the Deployment and the Rollout into the same namespace (same metadata.namespace or chart namespace)',
            });
          }
          if (Object.keys(dep.matchLabels).length === 0) {
            p.push({
              prop: 'workload',
              given: `Deployment "${dep.name}" without matchLabels`,
              expected: 'a Deployment that selects its pods by labels',
              fix: 'keep the Deployment\'s default select: true or call deployment.select(...)',
            });
          }
          if (dep.matchExpressions.length > 0) {
            p.push({
              prop: 'workload',
              given: `Deployment "${dep.name}" with matchExpressions`,
              expected: 'a Deployment selecting by matchLabels only',
              fix: 'select the pods by labels',
            });
          }
          return p;
        },
        // scaleDown NEVER (the controller's default) leaves the Deployment's pods running
        warnings: () => (dep.replicas === 0 || scalesDown(this.refOptions.scaleDown)) ? [] : [
          `workload: Deployment "${dep.name}" runs ${dep.replicas ?? 2} replicas next to the Rollout`
            + `${this.refOptions.scaleDown === WorkloadScaleDown.NEVER ? ' and scaleDown is never' : ''}, so both run pods. `
            + 'Set the Deployment\'s replicas to 0 or pass scaleDown (WorkloadScaleDown.PROGRESSIVELY) to RolloutWorkload.fromDeployment',
        ],
        port: () => firstContainerPort(dep.containers),
      };
    }

    const props = this.templateProps!;
    const selector = { ...(props.selectorLabels ?? { app: rolloutName }) };
    // a detached app/chart: the Deployment is only a pod template factory and is never synthesized
    const chart = new Chart(new App(), `tmpl-${scope.node.addr}`);
    const { selectorLabels: _s, podMetadata, ...podProps } = props;
    const tmpl = new kplus.Deployment(chart, 'Template', {
      ...podProps,
      select: false,
      podMetadata: { ...podMetadata, labels: { ...(podMetadata?.labels ?? {}), ...selector } },
    });
    tmpl.select(kplus.LabelSelector.of({ labels: selector }));
    return {
      selector,
      toKube: () => {
        const t = ApiObject.of(tmpl).toJson().spec.template;
        // cdk8s-plus stamps its address label on every pod template for its own selectors; here it would name the
        // detached template factory, so it is dropped unless the user selects by it
        const labels = t.metadata?.labels ?? {};
        if (kplus.Pod.ADDRESS_LABEL in labels && !(kplus.Pod.ADDRESS_LABEL in selector)) {
          delete labels[kplus.Pod.ADDRESS_LABEL];
        }
        return { template: t };
      },
      problems: () => {
        const p: Problem[] = [];
        if (Object.keys(selector).length === 0) {
          p.push({ prop: 'workload.selectorLabels', given: '{}', expected: 'at least one label (an empty selector selects every pod)', fix: 'pass labels such as { app: "my-service" }' });
        }
        for (const [k, v] of Object.entries(selector)) {
          const err = checkLabelKey(k) ?? checkLabelValue(v);
          if (err) {
            p.push({ prop: `workload.selectorLabels["${k}"]`, given: show(v), expected: err, fix: 'use a valid label key and value' });
          }
        }
        const podLabels = podMetadata?.labels ?? {};
        for (const [k, v] of Object.entries(podLabels)) {
          if (k in selector && selector[k] !== v) {
            p.push({
              prop: `workload.podMetadata.labels["${k}"]`,
              given: show(v),
              expected: `the selector label value ${show(selector[k])}`,
              fix: 'remove the label from podMetadata or make it equal',
            });
          }
        }
        if (tmpl.containers.length === 0) {
          p.push({ prop: 'workload.containers', given: 'empty', expected: 'at least one container', fix: 'pass containers: [{ image: ... }]' });
        }
        return p;
      },
      warnings: () => [],
      port: () => firstContainerPort(tmpl.containers),
      podTemplate: tmpl,
    };
  }
}

/** The first container port: `portNumber`, or the first entry of `ports` (e.g. a named port). */
function firstContainerPort(containers: kplus.Container[]): number | undefined {
  for (const c of containers) {
    const port = c.portNumber ?? c.ports[0]?.number;
    if (port !== undefined) return port;
  }
  return undefined;
}

function nsText(ns: string | undefined): string {
  return ns === undefined ? 'without a namespace' : `in namespace ${show(ns)}`;
}

/** Whether the scale-down mode stops the Deployment's pods (`never`, the controller's default, does not). */
function scalesDown(mode: WorkloadScaleDown | undefined): boolean {
  return mode !== undefined && mode !== WorkloadScaleDown.NEVER;
}
