import { Duration } from 'cdk8s';
import { AnalysisArgValue } from './analysis-arg-value';
import { PassedAnalysisArg } from './analysis-args';
import { goRegexProblem } from './go-regex';
import { CANARY_ANALYSIS_OPTIONS, SET_CANARY_SCALE_OPTIONS, SET_HEADER_ROUTE_OPTIONS, SET_MIRROR_ROUTE_OPTIONS } from './input-shapes';
import { StringMatch } from './string-match';
import { IAnalysisTemplate } from '../analysis/analysis-template';
import { int32Problems, wholeSecondsProblems } from '../core/bounds';
import { toGoDuration } from '../core/duration';
import { checkLabelKey, checkLabelValue } from '../core/names';
import { Problem, show } from '../core/problem';
import { checkStruct, required } from '../core/struct-shape';

/**
 * Options of an analysis run by a Rollout: a step analysis (`CanaryStep.analysis`) or the background analysis.
 */
export interface CanaryAnalysisOptions {
  /**
   * The (Cluster)AnalysisTemplates merged into one AnalysisRun. Their metric names must be unique and their arg
   * defaults must agree (checked at synth).
   */
  readonly templates: IAnalysisTemplate[];

  /**
   * Literal arg values by arg name (`args[].value`), e.g. `{ 'service-name': 'my-service' }`. Every arg a template
   * declares without a default must be passed here or in `argsFrom`; an arg no template declares, or an empty
   * value, is a synth error (the controller would ignore it or substitute the empty string).
   *
   * @default - no literal args
   */
  readonly args?: { [name: string]: string };

  /**
   * Arg values resolved by the controller (`args[].valueFrom`) or literal, by arg name:
   * `AnalysisArgValue.podTemplateHash(PodTemplateHash.LATEST)`, `AnalysisArgValue.fieldRef('metadata.namespace')`,
   * `AnalysisArgValue.of('x')`. A name may not appear in both `args` and `argsFrom`.
   *
   * @default - no resolved args
   */
  readonly argsFrom?: { [name: string]: AnalysisArgValue };

  /**
   * Metric names (Go RE2 regular expressions, unanchored) whose failures do not fail the run (`dryRun[].metricName`).
   * `.*` means every metric; a bare `*` is rejected (it is an invalid regex that matches nothing). Go syntax applies:
   * flag groups such as `(?i)` are fine, lookarounds and backreferences are rejected.
   *
   * @default - no dry-run metrics
   */
  readonly dryRunMetrics?: string[];

  /**
   * Labels added to the AnalysisRun (`analysisRunMetadata.labels`).
   *
   * @default - none
   */
  readonly analysisRunLabels?: { [key: string]: string };

  /**
   * Annotations added to the AnalysisRun (`analysisRunMetadata.annotations`).
   *
   * @default - none
   */
  readonly analysisRunAnnotations?: { [key: string]: string };

  /**
   * How long the analysis is expected to run at least (e.g. count × interval of its metrics), used only for the
   * rollout's duration facts (`CanaryRollout.canaryDuration`). Not rendered.
   *
   * @default - the longest `IAnalysisTemplate.minimumDuration` of the templates when every template knows it, else unknown
   */
  readonly expectedDuration?: Duration;
}

/**
 * Options of `CanaryStep.setCanaryScale`: exactly one of `weight`, `replicas` or `matchTrafficWeight`.
 */
export interface SetCanaryScaleOptions {
  /**
   * Scale the canary to this percentage of `replicas`, independent of the traffic weight.
   *
   * @default - not set
   */
  readonly weight?: number;

  /**
   * Scale the canary to this many pods.
   *
   * @default - not set
   */
  readonly replicas?: number;

  /**
   * Go back to scaling the canary with the traffic weight (cancels a previous setCanaryScale).
   *
   * @default false
   */
  readonly matchTrafficWeight?: boolean;
}

/**
 * One header match of a managed header route.
 */
export interface HeaderRouteMatch {
  /** The HTTP header name, e.g. `x-canary`. */
  readonly headerName: string;
  /** How the header value is matched. ALB supports `StringMatch.exact` only. */
  readonly headerValue: StringMatch;
}

/**
 * Options of `CanaryStep.setHeaderRoute`.
 */
export interface SetHeaderRouteOptions {
  /**
   * The managed route name; it is listed in `trafficRouting.managedRoutes`.
   */
  readonly name: string;

  /**
   * Requests matching all of these are sent to the canary. Omit to remove the route again.
   *
   * @default - removes the header route
   */
  readonly match?: HeaderRouteMatch[];
}

/**
 * One match of a managed mirror route. Every field set must match.
 */
export interface MirrorRouteMatch {
  /**
   * The HTTP method, e.g. `StringMatch.exact('POST')`.
   *
   * @default - any method
   */
  readonly method?: StringMatch;

  /**
   * The request path, e.g. `StringMatch.prefix('/color')`.
   *
   * @default - any path
   */
  readonly path?: StringMatch;

  /**
   * Header matches by header name.
   *
   * @default - any headers
   */
  readonly headers?: { [name: string]: StringMatch };
}

/**
 * Options of `CanaryStep.setMirrorRoute` (Istio only).
 */
export interface SetMirrorRouteOptions {
  /**
   * The managed route name; it is listed in `trafficRouting.managedRoutes`.
   */
  readonly name: string;

  /**
   * Matching requests are mirrored to the canary. Omit to remove the route again.
   *
   * @default - removes the mirror route
   */
  readonly match?: MirrorRouteMatch[];

  /**
   * Percentage (0..100) of the matching requests to mirror.
   *
   * @default - 100 (Istio's default)
   */
  readonly percentage?: number;
}

/**
 * The kinds of canary step.
 */
export enum CanaryStepType {
  /** `setWeight` */
  SET_WEIGHT = 'setWeight',
  /** `pause` */
  PAUSE = 'pause',
  /** `analysis` */
  ANALYSIS = 'analysis',
  /** `setCanaryScale` */
  SET_CANARY_SCALE = 'setCanaryScale',
  /** `setHeaderRoute` */
  SET_HEADER_ROUTE = 'setHeaderRoute',
  /** `setMirrorRoute` */
  SET_MIRROR_ROUTE = 'setMirrorRoute',
}

/** @internal context of the rollout a step is validated in */
export interface StepContext {
  readonly maxTrafficWeight: number;
}

function isInt(n: number): boolean {
  return Number.isInteger(n);
}

/**
 * One step of a canary (`spec.strategy.canary.steps[]`). Each factory produces a step with exactly one key.
 *
 * @see https://argoproj.github.io/argo-rollouts/features/canary/
 */
export class CanaryStep {
  /**
   * Send this percentage of traffic to the canary (`setWeight`), from this step on. With a traffic router the
   * router splits traffic; without one this only sets the canary/stable pod ratio, which the construct rejects
   * unless `TrafficRouting.replicaCountApproximation()` is chosen.
   *
   * The same as `CanaryStep.setWeight` (the TypeScript name; jsii reserves `setXxx` names for Java setters).
   *
   * @param weight an integer 0..100 (0..maxTrafficWeight)
   */
  public static trafficWeight(weight: number): CanaryStep {
    return new CanaryStep(CanaryStepType.SET_WEIGHT, { weight });
  }

  /**
   * `setWeight` step; TypeScript alias of `CanaryStep.trafficWeight`.
   *
   * @jsii ignore
   */
  public static setWeight(weight: number): CanaryStep {
    return CanaryStep.trafficWeight(weight);
  }

  /**
   * Pause the rollout (`pause`). Without a duration the pause is indefinite: a manual gate that waits for
   * `kubectl argo rollouts promote`; meanwhile the Argo CD Application is `Suspended`, which blocks an
   * ApplicationSet RollingSync wave (see `CanaryRollout.manualGates`).
   *
   * @param duration how long to pause, in whole seconds
   * @default - pause until promoted
   */
  public static pause(duration?: Duration): CanaryStep {
    return new CanaryStep(CanaryStepType.PAUSE, { duration });
  }

  /**
   * Run an analysis and wait for its result (`analysis`): Successful continues, Failed/Error aborts the rollout,
   * Inconclusive pauses it.
   */
  public static analysis(options: CanaryAnalysisOptions): CanaryStep {
    checkStruct('CanaryStep.analysis', 'options', options, required(CANARY_ANALYSIS_OPTIONS));
    return new CanaryStep(CanaryStepType.ANALYSIS, { analysis: options });
  }

  /**
   * Scale the canary independently of the traffic weight (`setCanaryScale`); requires a traffic router.
   * TypeScript alias: `CanaryStep.setCanaryScale`.
   */
  public static canaryScale(options: SetCanaryScaleOptions): CanaryStep {
    checkStruct('CanaryStep.canaryScale', 'options', options, required(SET_CANARY_SCALE_OPTIONS));
    return new CanaryStep(CanaryStepType.SET_CANARY_SCALE, { canaryScale: options });
  }

  /**
   * `setCanaryScale` step; TypeScript alias of `CanaryStep.canaryScale`.
   *
   * @jsii ignore
   */
  public static setCanaryScale(options: SetCanaryScaleOptions): CanaryStep {
    checkStruct('CanaryStep.setCanaryScale', 'options', options, required(SET_CANARY_SCALE_OPTIONS));
    return CanaryStep.canaryScale(options);
  }

  /**
   * Route requests with matching headers to the canary (`setHeaderRoute`); Istio, ALB or the Gateway API plugin.
   * TypeScript alias: `CanaryStep.setHeaderRoute`.
   */
  public static headerRoute(options: SetHeaderRouteOptions): CanaryStep {
    checkStruct('CanaryStep.headerRoute', 'options', options, required(SET_HEADER_ROUTE_OPTIONS));
    return new CanaryStep(CanaryStepType.SET_HEADER_ROUTE, { headerRoute: options });
  }

  /**
   * `setHeaderRoute` step; TypeScript alias of `CanaryStep.headerRoute`.
   *
   * @jsii ignore
   */
  public static setHeaderRoute(options: SetHeaderRouteOptions): CanaryStep {
    checkStruct('CanaryStep.setHeaderRoute', 'options', options, required(SET_HEADER_ROUTE_OPTIONS));
    return CanaryStep.headerRoute(options);
  }

  /**
   * Mirror matching requests to the canary (`setMirrorRoute`); Istio only.
   * TypeScript alias: `CanaryStep.setMirrorRoute`.
   */
  public static mirrorRoute(options: SetMirrorRouteOptions): CanaryStep {
    checkStruct('CanaryStep.mirrorRoute', 'options', options, required(SET_MIRROR_ROUTE_OPTIONS));
    return new CanaryStep(CanaryStepType.SET_MIRROR_ROUTE, { mirrorRoute: options });
  }

  /**
   * `setMirrorRoute` step; TypeScript alias of `CanaryStep.mirrorRoute`.
   *
   * @jsii ignore
   */
  public static setMirrorRoute(options: SetMirrorRouteOptions): CanaryStep {
    checkStruct('CanaryStep.setMirrorRoute', 'options', options, required(SET_MIRROR_ROUTE_OPTIONS));
    return CanaryStep.mirrorRoute(options);
  }

  /** The step kind. */
  public readonly type: CanaryStepType;

  /** @internal */
  public readonly _data: {
    readonly weight?: number;
    readonly duration?: Duration;
    readonly analysis?: CanaryAnalysisOptions;
    readonly canaryScale?: SetCanaryScaleOptions;
    readonly headerRoute?: SetHeaderRouteOptions;
    readonly mirrorRoute?: SetMirrorRouteOptions;
  };

  private constructor(type: CanaryStepType, data: CanaryStep['_data']) {
    this.type = type;
    this._data = data;
  }

  /**
   * The weight of a `setWeight` step.
   */
  public get weight(): number | undefined {
    return this._data.weight;
  }

  /**
   * The duration of a timed `pause` step.
   */
  public get duration(): Duration | undefined {
    return this._data.duration;
  }

  /**
   * Whether this is an indefinite pause (a manual gate).
   */
  public get isManualGate(): boolean {
    return this.type === CanaryStepType.PAUSE && this._data.duration === undefined;
  }

  /**
   * The name of the managed route of a `setHeaderRoute` / `setMirrorRoute` step.
   */
  public get routeName(): string | undefined {
    return this._data.headerRoute?.name ?? this._data.mirrorRoute?.name;
  }

  /**
   * The templates of an `analysis` step.
   */
  public get analysisTemplates(): IAnalysisTemplate[] {
    return [...(this._data.analysis?.templates ?? [])];
  }

  /**
   * Problems of the step on its own (no traffic-router context).
   *
   * @internal
   */
  public _problems(prop: string, ctx: StepContext): Problem[] {
    const d = this._data;
    switch (this.type) {
      case CanaryStepType.SET_WEIGHT:
        if (!isInt(d.weight!) || d.weight! < 0 || d.weight! > ctx.maxTrafficWeight) {
          return [{
            prop: `${prop}.setWeight`,
            given: show(d.weight),
            expected: `an integer 0..${ctx.maxTrafficWeight}${ctx.maxTrafficWeight === 100 ? '' : ' (maxTrafficWeight)'}`
              + ` (controller: SetWeight needs to be between 0 and ${ctx.maxTrafficWeight})`,
            fix: `use a whole percentage between 0 and ${ctx.maxTrafficWeight}`,
          }];
        }
        return [];
      case CanaryStepType.PAUSE:
        return d.duration ? wholeSecondsProblems(`${prop}.pause.duration`, d.duration) : [];
      case CanaryStepType.ANALYSIS:
        return analysisOptionsProblems(`${prop}.analysis`, d.analysis!);
      case CanaryStepType.SET_CANARY_SCALE:
        return canaryScaleProblems(`${prop}.setCanaryScale`, d.canaryScale!);
      case CanaryStepType.SET_HEADER_ROUTE:
        return headerRouteProblems(`${prop}.setHeaderRoute`, d.headerRoute!);
      case CanaryStepType.SET_MIRROR_ROUTE:
        return mirrorRouteProblems(`${prop}.setMirrorRoute`, d.mirrorRoute!);
    }
  }

  /** @internal */
  public _toKube(): any {
    const d = this._data;
    switch (this.type) {
      case CanaryStepType.SET_WEIGHT:
        return { setWeight: d.weight };
      case CanaryStepType.PAUSE:
        return { pause: d.duration ? { duration: toGoDuration(d.duration) } : {} };
      case CanaryStepType.ANALYSIS:
        return { analysis: analysisToKube(d.analysis!) };
      case CanaryStepType.SET_CANARY_SCALE: {
        const s = d.canaryScale!;
        return {
          setCanaryScale: s.matchTrafficWeight
            ? { matchTrafficWeight: true }
            : s.replicas !== undefined ? { replicas: s.replicas } : { weight: s.weight },
        };
      }
      case CanaryStepType.SET_HEADER_ROUTE: {
        const h = d.headerRoute!;
        return {
          setHeaderRoute: {
            name: h.name,
            ...(h.match ? { match: h.match.map(m => ({ headerName: m.headerName, headerValue: m.headerValue._toKube() })) } : {}),
          },
        };
      }
      case CanaryStepType.SET_MIRROR_ROUTE: {
        const m = d.mirrorRoute!;
        return {
          setMirrorRoute: {
            name: m.name,
            ...(m.match ? { match: m.match.map(mirrorMatchToKube) } : {}),
            ...(m.percentage !== undefined ? { percentage: m.percentage } : {}),
          },
        };
      }
    }
  }
}

function mirrorMatchToKube(m: MirrorRouteMatch): any {
  const out: any = {};
  if (m.method) out.method = m.method._toKube();
  if (m.path) out.path = m.path._toKube();
  if (m.headers) out.headers = Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, v._toKube()]));
  return out;
}

/** @internal the args of an analysis in order: `args` then `argsFrom` */
export function passedArgs(o: CanaryAnalysisOptions): PassedAnalysisArg[] {
  return [
    ...Object.entries(o.args ?? {}).map(([name, v]) => ({ name, value: AnalysisArgValue.of(v) })),
    ...Object.entries(o.argsFrom ?? {}).map(([name, value]) => ({ name, value })),
  ];
}

/** @internal */
export function analysisToKube(o: CanaryAnalysisOptions): any {
  const args = passedArgs(o).map(a => a.value._toKube(a.name));
  const meta: any = {};
  if (o.analysisRunLabels && Object.keys(o.analysisRunLabels).length > 0) meta.labels = { ...o.analysisRunLabels };
  if (o.analysisRunAnnotations && Object.keys(o.analysisRunAnnotations).length > 0) meta.annotations = { ...o.analysisRunAnnotations };
  return {
    templates: o.templates.map(t => ({ templateName: t.templateName, ...(t.clusterScope ? { clusterScope: true } : {}) })),
    ...(args.length > 0 ? { args } : {}),
    ...(o.dryRunMetrics && o.dryRunMetrics.length > 0 ? { dryRun: o.dryRunMetrics.map(metricName => ({ metricName })) } : {}),
    ...(Object.keys(meta).length > 0 ? { analysisRunMetadata: meta } : {}),
  };
}

/** @internal single-prop problems of analysis options */
export function analysisOptionsProblems(prop: string, o: CanaryAnalysisOptions): Problem[] {
  const problems: Problem[] = [];
  if (!o.templates || o.templates.length === 0) {
    problems.push({ prop: `${prop}.templates`, given: 'empty', expected: 'at least one analysis template', fix: 'pass templates: [yourTemplate]' });
  }
  for (const name of Object.keys(o.args ?? {})) {
    if (o.argsFrom && name in o.argsFrom) {
      problems.push({
        prop: `${prop}.argsFrom["${name}"]`,
        given: 'also given in args',
        expected: 'each arg in either args or argsFrom',
        fix: 'remove one of the two',
      });
    }
  }
  for (const name of [...Object.keys(o.args ?? {}), ...Object.keys(o.argsFrom ?? {})]) {
    if (name.trim() === '') {
      problems.push({ prop: `${prop}.args`, given: 'an empty arg name', expected: 'the name of a declared template arg', fix: 'name the arg' });
    }
  }
  (o.dryRunMetrics ?? []).forEach((m, i) => {
    const why = goRegexProblem(m);
    if (m.trim() === '' || why !== undefined) {
      problems.push({
        prop: `${prop}.dryRunMetrics[${i}]`,
        given: show(m),
        expected: 'a metric name or Go (RE2) regular expression (`.*` for all metrics)'
          + (why !== undefined && m.trim() !== '*' ? `; this is ${why}` : ''),
        fix: m.trim() === '*' ? 'use ".*" to dry-run every metric' : 'use a valid Go regular expression (e.g. "(?i)latency", no lookarounds or backreferences)',
      });
    }
  });
  if (o.expectedDuration) problems.push(...wholeSecondsProblems(`${prop}.expectedDuration`, o.expectedDuration));
  problems.push(...metadataMapProblems(`${prop}.analysisRunLabels`, o.analysisRunLabels, 'label'));
  problems.push(...metadataMapProblems(`${prop}.analysisRunAnnotations`, o.analysisRunAnnotations, 'annotation'));
  return problems;
}

function canaryScaleProblems(prop: string, s: SetCanaryScaleOptions): Problem[] {
  const set = [s.weight !== undefined ? 'weight' : undefined, s.replicas !== undefined ? 'replicas' : undefined, s.matchTrafficWeight ? 'matchTrafficWeight' : undefined]
    .filter(x => x !== undefined);
  if (set.length !== 1) {
    return [{
      prop,
      given: set.length === 0 ? 'empty' : `setting ${set.join(' and ')}`,
      expected: 'exactly one of weight, replicas or matchTrafficWeight: true (replicas would silently win over weight)',
      fix: 'keep one of them',
    }];
  }
  if (s.weight !== undefined && (!isInt(s.weight) || s.weight < 0 || s.weight > 100)) {
    return [{ prop: `${prop}.weight`, given: show(s.weight), expected: 'an integer percentage 0..100', fix: 'use a whole percentage' }];
  }
  if (s.replicas !== undefined && (!isInt(s.replicas) || s.replicas < 0)) {
    return [{ prop: `${prop}.replicas`, given: show(s.replicas), expected: 'a non-negative integer', fix: 'use a whole pod count' }];
  }
  return int32Problems(`${prop}.replicas`, s.replicas);
}

function routeNameProblems(prop: string, name: string): Problem[] {
  if (typeof name !== 'string' || name.trim() === '') {
    return [{ prop: `${prop}.name`, given: show(name), expected: 'a managed route name', fix: 'name the route, e.g. "canary-header"' }];
  }
  return [];
}

function stringMatchProblems(prop: string, m: StringMatch | undefined): Problem[] {
  if (m === undefined) {
    return [{
      prop,
      given: 'missing',
      expected: 'a StringMatch (controller: StringMatch value missed, match value must have one of the following: exact, regex, prefix)',
      fix: 'use StringMatch.exact/prefix/regex',
    }];
  }
  if (m.value === '') {
    return [{ prop: `${prop}.${m.type}`, given: '""', expected: 'a non-empty value to match', fix: 'give the value to match' }];
  }
  if (/[\r\n\0]/.test(m.value)) {
    return [{
      prop: `${prop}.${m.type}`,
      given: show(m.value),
      expected: 'a value without CR, LF or NUL (they cannot appear in an HTTP header)',
      fix: 'remove the control characters',
    }];
  }
  return [];
}

function headerRouteProblems(prop: string, h: SetHeaderRouteOptions): Problem[] {
  const problems = routeNameProblems(prop, h.name);
  if (h.match && h.match.length === 0) {
    problems.push({ prop: `${prop}.match`, given: 'empty', expected: 'at least one header match, or no match to remove the route', fix: 'add a match or omit it' });
  }
  (h.match ?? []).forEach((m, i) => {
    if (!m.headerName || m.headerName.trim() === '') {
      problems.push({ prop: `${prop}.match[${i}].headerName`, given: show(m.headerName), expected: 'an HTTP header name', fix: 'name the header' });
    }
    problems.push(...stringMatchProblems(`${prop}.match[${i}].headerValue`, m.headerValue));
  });
  return problems;
}

function mirrorRouteProblems(prop: string, m: SetMirrorRouteOptions): Problem[] {
  const problems = routeNameProblems(prop, m.name);
  if (m.percentage !== undefined && (!isInt(m.percentage) || m.percentage < 0 || m.percentage > 100)) {
    problems.push({ prop: `${prop}.percentage`, given: show(m.percentage), expected: 'an integer 0..100', fix: 'use a whole percentage' });
  }
  if (m.match && m.match.length === 0) {
    problems.push({ prop: `${prop}.match`, given: 'empty', expected: 'at least one match, or no match to remove the route', fix: 'add a match or omit it' });
  }
  (m.match ?? []).forEach((x, i) => {
    if (x.method) problems.push(...stringMatchProblems(`${prop}.match[${i}].method`, x.method));
    if (x.path) problems.push(...stringMatchProblems(`${prop}.match[${i}].path`, x.path));
    for (const [k, v] of Object.entries(x.headers ?? {})) problems.push(...stringMatchProblems(`${prop}.match[${i}].headers["${k}"]`, v));
  });
  return problems;
}

/**
 * Keys (and, for labels, values) of a labels or annotations map: label keys are qualified names, annotation keys too.
 *
 * @internal
 */
export function metadataMapProblems(prop: string, map: { [key: string]: string } | undefined, kind: 'label' | 'annotation'): Problem[] {
  const problems: Problem[] = [];
  for (const [k, v] of Object.entries(map ?? {})) {
    const keyErr = checkLabelKey(k);
    if (keyErr) {
      problems.push({
        prop,
        given: `key ${show(k)}`,
        expected: kind === 'label' ? keyErr : `an annotation key (label-key syntax), i.e. ${keyErr}`,
        fix: `use a ${kind} key such as "example.com/team" or "team"`,
      });
      continue;
    }
    const valueErr = kind === 'label' ? checkLabelValue(v) : undefined;
    if (valueErr) problems.push({ prop: `${prop}["${k}"]`, given: show(v), expected: valueErr, fix: 'use a valid label value' });
  }
  return problems;
}
