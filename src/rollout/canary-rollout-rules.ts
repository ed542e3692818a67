import { analysisArgsProblems } from './analysis-args';
import { CanaryRolloutState } from './canary-facts';
import type { CanaryRolloutProps } from './canary-rollout';
import { CanaryAnalysisOptions, CanaryStepType, passedArgs, analysisOptionsProblems, metadataMapProblems } from './canary-step';
import { goRegexProblem } from './go-regex';
import { commonShapeProblems, factoryProblems, hasMethod, identityProblems, antiAffinityProblems, plainValue, timingProblems } from './rollout-rules';
import { maxTrafficWeightUnsupported } from './traffic-routing';
import { int32Problems } from '../core/bounds';
import { Problem, show } from '../core/problem';
import { goRegExp } from '../core/re2';

/*
 * The rules a CanaryRollout enforces. Where the Argo Rollouts controller has the rule, the message quotes the
 * controller's own text; docs/rules/rollouts.md lists those rules with their upstream source.
 */

/**
 * The single-prop rules of a canary rollout (thrown in its constructor).
 *
 * @param p the props
 * @param name the Rollout's `metadata.name`
 * @internal
 */
export function propProblems(p: CanaryRolloutProps, name: string): Problem[] {
  const shape = shapeProblems(p);
  if (shape.length > 0) return shape; // the checks below assume the shapes
  const problems: Problem[] = [...identityProblems(p, name)];
  if (p.maxTrafficWeight !== undefined && (!Number.isInteger(p.maxTrafficWeight) || p.maxTrafficWeight < 1)) {
    problems.push({ prop: 'maxTrafficWeight', given: show(p.maxTrafficWeight), expected: 'a positive integer', fix: 'use e.g. 1000 for 0.1 % steps' });
  }
  problems.push(...int32Problems('maxTrafficWeight', p.maxTrafficWeight));
  for (const [k, v] of Object.entries({ maxSurge: p.maxSurge, maxUnavailable: p.maxUnavailable })) {
    if (v === undefined) continue;
    const val = v.value;
    const ok = typeof val === 'number'
      ? Number.isInteger(val) && val >= 0
      : /^\d+%$/.test(val) && parseInt(val, 10) <= 100;
    if (!ok) problems.push({ prop: k, given: show(val), expected: 'a non-negative integer or a percentage 0..100', fix: 'use PercentOrAbsolute.absolute(n) or .percent(n)' });
    if (typeof val === 'number') problems.push(...int32Problems(k, val));
  }
  if (p.maxSurge?.isZero() && p.maxUnavailable?.isZero()) {
    problems.push({
      prop: 'maxSurge',
      given: `${show(p.maxSurge.value)} with maxUnavailable ${show(p.maxUnavailable.value)}`,
      expected: 'at least one of them above zero (controller: MaxSurge and MaxUnavailable both can not be zero)',
      fix: 'allow one surge pod (PercentOrAbsolute.absolute(1)) or one unavailable pod',
    });
  }
  problems.push(...antiAffinityProblems(p.antiAffinity));
  problems.push(...timingProblems(p, { scaleDownDelay: p.scaleDownDelay, abortScaleDownDelay: p.abortScaleDownDelay }));
  if (p.minPodsPerReplicaSet !== undefined && (!Number.isInteger(p.minPodsPerReplicaSet) || p.minPodsPerReplicaSet < 1)) {
    problems.push({ prop: 'minPodsPerReplicaSet', given: show(p.minPodsPerReplicaSet), expected: 'a positive integer', fix: 'use a whole pod count' });
  }
  problems.push(...int32Problems('minPodsPerReplicaSet', p.minPodsPerReplicaSet));
  for (const [k, m] of Object.entries({ canaryMetadata: p.canaryMetadata, stableMetadata: p.stableMetadata })) {
    problems.push(...metadataMapProblems(`${k}.labels`, m?.labels, 'label'));
    problems.push(...metadataMapProblems(`${k}.annotations`, m?.annotations, 'annotation'));
  }
  if (p.trafficRouting) problems.push(...p.trafficRouting._problems('trafficRouting'));
  (p.managedRoutes ?? []).forEach((r, i) => {
    if (r.trim() === '') problems.push({ prop: `managedRoutes[${i}]`, given: '""', expected: 'a route name', fix: 'name the route' });
    if (p.managedRoutes!.indexOf(r) !== i) problems.push({ prop: `managedRoutes[${i}]`, given: show(r), expected: 'unique names', fix: 'list each route once' });
  });
  const bg = p.backgroundAnalysis;
  if (bg) {
    problems.push(...analysisOptionsProblems('backgroundAnalysis', bg));
    if (bg.startingStep !== undefined && (!Number.isInteger(bg.startingStep) || bg.startingStep < 0)) {
      problems.push({ prop: 'backgroundAnalysis.startingStep', given: show(bg.startingStep), expected: 'a step index (integer ≥ 0)', fix: 'use the index of a step' });
    }
    problems.push(...int32Problems('backgroundAnalysis.startingStep', bg.startingStep));
  }
  return problems;
}

/**
 * The step at `prop` is a CanaryStep (made by its factories), not a plain object.
 *
 * @internal
 */
export function stepShapeProblems(prop: string, step: unknown): Problem[] {
  return hasMethod(step, '_problems') ? [] : [plainValue(prop, step, 'a CanaryStep made by its factories, e.g. CanaryStep.trafficWeight(10)')];
}

/** Props whose type a caller without TypeScript may get wrong, where a wrong type would crash later checks. */
function shapeProblems(p: CanaryRolloutProps): Problem[] {
  const problems: Problem[] = [
    ...commonShapeProblems(p, { scaleDownDelay: p.scaleDownDelay, abortScaleDownDelay: p.abortScaleDownDelay }),
    ...factoryProblems('trafficRouting', p.trafficRouting, '_bind', 'a TrafficRouting made by its factories, e.g. TrafficRouting.istio({ ... })'),
    ...factoryProblems('services', p.services, '_bind', 'CanaryServices made by its factories, e.g. CanaryServices.create()'),
  ];
  for (const [k, v] of Object.entries({ maxSurge: p.maxSurge, maxUnavailable: p.maxUnavailable })) {
    problems.push(...factoryProblems(k, v, 'isZero', 'a PercentOrAbsolute, e.g. PercentOrAbsolute.absolute(1)'));
  }
  if (p.steps !== undefined && !Array.isArray(p.steps)) problems.push(plainValue('steps', p.steps, 'a list of CanaryStep'));
  if (Array.isArray(p.steps)) p.steps.forEach((st, i) => problems.push(...stepShapeProblems(`steps[${i}]`, st)));
  if (p.managedRoutes !== undefined && !Array.isArray(p.managedRoutes)) problems.push(plainValue('managedRoutes', p.managedRoutes, 'a list of route names'));
  if (Array.isArray(p.managedRoutes)) {
    p.managedRoutes.forEach((r, i) => {
      if (typeof r !== 'string') problems.push(plainValue(`managedRoutes[${i}]`, r, 'a route name (a string)'));
    });
  }
  return problems;
}

/**
 * The cross-object rules of a canary rollout (checked at synth, after every `addStep`): steps against the traffic
 * router, Services and analyses. The router's own rules come from its binding.
 *
 * @param state the rollout
 * @param rolloutNamespace the Rollout's resolved namespace (metadata.namespace or the chart's)
 * @internal
 */
export function synthProblems(state: CanaryRolloutState, rolloutNamespace: string | undefined): Problem[] {
  const p: Problem[] = [];
  const routing = state.routing;
  const routes = routing?.routesTraffic === true;
  const noRouter = 'no traffic router';
  const routerName = routing ? routing.provider : 'none';
  const explicitRoutes = state.props.managedRoutes;

  state.steps.forEach((s, i) => {
    const prop = `steps[${i}]`;
    switch (s.type) {
      case CanaryStepType.SET_WEIGHT:
        if (!routing) {
          p.push({
            prop: `${prop}.setWeight`,
            given: `${s.weight} with ${noRouter}`,
            expected: 'a traffic router: without one, setWeight only sets the ratio of canary to stable pods and traffic is only '
              + 'roughly proportional to pod counts',
            fix: 'set trafficRouting to TrafficRouting.istio/nginx/gatewayApi/smi/alb(...), or accept the pod-ratio approximation explicitly '
              + 'with TrafficRouting.replicaCountApproximation()',
          });
        }
        break;
      case CanaryStepType.SET_CANARY_SCALE:
        if (!routes) {
          p.push({
            prop: `${prop}.setCanaryScale`,
            given: `used with ${noRouter}`,
            expected: 'a traffic router (controller: SetCanaryScale requires TrafficRouting to be set)',
            fix: 'configure trafficRouting or remove the step',
          });
        }
        break;
      case CanaryStepType.SET_HEADER_ROUTE:
        if (!routing || !routing._supports.headerRoute) {
          p.push({
            prop: `${prop}.setHeaderRoute`,
            given: `used with traffic router ${show(routerName)}`,
            expected: 'Istio, ALB or the Gateway API plugin (controller: SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix)',
            fix: 'use TrafficRouting.istio/alb/gatewayApi or remove the step',
          });
        }
        break;
      case CanaryStepType.SET_MIRROR_ROUTE:
        if (!routing || !routing._supports.mirrorRoute) {
          p.push({
            prop: `${prop}.setMirrorRoute`,
            given: `used with traffic router ${show(routerName)}`,
            expected: 'Istio (controller: SetMirrorRoute requires TrafficRouting, supports Istio only)',
            fix: 'use TrafficRouting.istio or remove the step',
          });
        }
        break;
      case CanaryStepType.ANALYSIS: {
        const o = s._data.analysis!;
        p.push(...analysisArgsProblems(`${prop}.analysis`, o.templates, passedArgs(o)));
        p.push(...dryRunProblems(`${prop}.analysis`, o));
        p.push(...openEndedProblems(`${prop}.analysis`, o));
        break;
      }
      default:
        break;
    }
    if (explicitRoutes && s.routeName !== undefined) {
      if (explicitRoutes.length === 0) {
        p.push({
          prop: 'managedRoutes',
          given: 'empty',
          expected: `the route of ${prop} (controller: Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes')`,
          fix: `list ${show(s.routeName)} in managedRoutes, or omit managedRoutes to derive it from the steps`,
        });
      } else if (!explicitRoutes.includes(s.routeName)) {
        p.push({
          prop: `${prop}.${s.type}.name`,
          given: show(s.routeName),
          expected: `one of managedRoutes ${show(explicitRoutes)} (controller: Steps define a route that does not exist in `
            + 'spec.strategy.canary.trafficRouting.managedRoutes)',
          fix: `add ${show(s.routeName)} to managedRoutes`,
        });
      }
    }
  });

  const pr = state.props;
  if (!routes) {
    if (pr.scaleDownDelay !== undefined) {
      p.push({
        prop: 'scaleDownDelay',
        given: `set with ${noRouter}`,
        expected: 'a traffic router (controller: Canary scaleDownDelaySeconds can only be used with traffic routing)',
        fix: 'remove scaleDownDelay or configure trafficRouting',
      });
    }
    if (pr.dynamicStableScale) {
      p.push({
        prop: 'dynamicStableScale',
        given: `true with ${noRouter}`,
        expected: 'a traffic router (controller: Canary dynamicStableScale can only be used with traffic routing)',
        fix: 'remove dynamicStableScale or configure trafficRouting',
      });
    }
    if (explicitRoutes && explicitRoutes.length > 0) {
      p.push({ prop: 'managedRoutes', given: show(explicitRoutes), expected: 'a traffic router to manage the routes', fix: 'configure trafficRouting or remove managedRoutes' });
    }
  } else if (pr.dynamicStableScale && pr.scaleDownDelay !== undefined) {
    p.push({
      prop: 'dynamicStableScale',
      given: 'true with scaleDownDelay',
      expected: 'one of them (controller: Canary dynamicStableScale cannot be used with scaleDownDelaySeconds)',
      fix: 'remove scaleDownDelay (dynamicStableScale scales stable down as traffic shifts)',
    });
  }
  if (pr.maxTrafficWeight !== undefined) {
    const problem = routing ? routing._maxTrafficWeightProblem(pr.maxTrafficWeight) : maxTrafficWeightUnsupported(pr.maxTrafficWeight, routerName);
    if (problem) p.push(problem);
  }
  const pingPong = state.services.pingName !== undefined;
  if (pingPong && !(routing && routing._supports.pingPong)) {
    p.push({
      prop: 'services',
      given: `CanaryServices.pingPong() with traffic router ${show(routerName)}`,
      expected: 'ALB or Istio (controller: Ping-pong feature works with the ALB and Istio traffic routers only)',
      fix: 'use TrafficRouting.alb/istio, or stable and canary Services',
    });
  }
  if (routing?._requiresServices && state.services.stableName === undefined && !pingPong) {
    p.push({
      prop: 'services',
      given: `CanaryServices.none() with traffic router ${show(routerName)}`,
      expected: 'stable and canary Services (controller: Canary service and Stable service must to be set to use Traffic Routing)',
      fix: 'use CanaryServices.create() or CanaryServices.fromNames(stable, canary)',
    });
  }

  const bg = pr.backgroundAnalysis;
  if (bg) {
    p.push(...analysisArgsProblems('backgroundAnalysis', bg.templates, passedArgs(bg)));
    p.push(...dryRunProblems('backgroundAnalysis', bg));
    if (bg.startingStep !== undefined && bg.startingStep >= state.steps.length) {
      p.push({
        prop: 'backgroundAnalysis.startingStep',
        given: String(bg.startingStep),
        expected: state.steps.length === 0
          ? 'no startingStep: the canary has no steps (from a later index the analysis never runs)'
          : `a step index 0..${state.steps.length - 1} (from a later index the analysis never runs)`,
        fix: 'start it at an existing step',
      });
    }
  }
  p.push(...(state.boundRouting?.problems?.({ steps: state.steps, pingPong }) ?? []));
  p.push(...state.workload.problems(rolloutNamespace));
  return p;
}

/**
 * A step analysis must end, so no metric may run indefinitely (interval without count): rule R8 in
 * docs/rules/rollouts.md.
 *
 * @internal
 */
export function openEndedProblems(prop: string, o: CanaryAnalysisOptions): Problem[] {
  const p: Problem[] = [];
  o.templates.forEach((t, j) => {
    const open = t.openEndedMetricNames ?? [];
    if (open.length === 0) return;
    p.push({
      prop: `${prop}.templates[${j}]`,
      given: `template ${show(t.templateName)} with metric(s) ${show(open)} that run indefinitely (interval without count)`,
      expected: `metrics that end, because the step waits for the AnalysisRun to complete (controller: AnalysisTemplate ${t.templateName} `
        + `has metric ${open[0]} which runs indefinitely. Invalid value for count: <nil>)`,
      fix: 'give each metric a count (e.g. count: 5 with interval 1m), or run the template as backgroundAnalysis, where open-ended metrics are allowed',
    });
  });
  return p;
}

/**
 * Each dry-run rule must match a metric of the analysis (the AnalysisRun errors otherwise).
 *
 * @internal
 */
export function dryRunProblems(prop: string, o: CanaryAnalysisOptions): Problem[] {
  const metrics = o.templates.flatMap(t => t.metricNames);
  const p: Problem[] = [];
  (o.dryRunMetrics ?? []).forEach((m, i) => {
    if (goRegexProblem(m) !== undefined) return; // reported in the constructor
    const re = goRegExp(m); // the controller's regexp.MatchString: RE2, linear in the name (never a backtracking RegExp)
    if (!metrics.some(x => re?.test(x) ?? false)) {
      p.push({
        prop: `${prop}.dryRunMetrics[${i}]`,
        given: show(m),
        expected: `a regex matching one of the metrics ${show(metrics)} (the AnalysisRun errors: Rule didn't match any metric name(s))`,
        fix: 'fix the metric name',
      });
    }
  });
  return p;
}
