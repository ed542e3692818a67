import { GeneratedApplication } from './app-set-props';
import { Generator } from './generator';
import { TemplateOptions, renderDeep } from './template-engine';
import { Problem, show } from '../core/problem';
import { Fleet } from '../fleet/fleet';

/**
 * What the ApplicationSet controller generates for a fleet, computed at synth time: the Applications, the param
 * sets the controller would fail on, or why the generators cannot be evaluated statically.
 *
 * @internal
 */
export interface Simulation {
  /** The Applications of every param set that renders, in generator order. */
  readonly apps: GeneratedApplication[];
  /**
   * Why the Applications cannot be rendered at synth time (a git generator, a template function this evaluator does
   * not know); `apps` is empty then.
   */
  readonly unsupported?: string;
  /** Generators and param sets the controller would fail on (`ApplicationGenerationFromParamsError`, `RenderTemplateParamsError`). */
  readonly problems: Problem[];
}

/** @internal What the simulation reads. */
export interface SimulationInput {
  readonly generators: readonly Generator[];
  /** `spec.template` of the ApplicationSet. */
  readonly template: any;
  readonly fleet: Fleet;
  readonly opts: TemplateOptions;
}

/**
 * Renders the Applications the controller would generate: every generator's param sets for the fleet, the template
 * rendered with each. Linear in the number of param sets; the cluster of each Application is looked up in the
 * fleet's index.
 *
 * @internal
 */
export function simulate(input: SimulationInput): Simulation {
  const { template, fleet, opts } = input;
  const apps: GeneratedApplication[] = [];
  const problems: Problem[] = [];
  for (const [gi, g] of input.generators.entries()) {
    const sets = g._generate({ fleet, opts });
    if (!sets.ok) {
      if (sets.failure.kind === 'unsupported') {
        return { apps: [], unsupported: `generators[${gi}] cannot be rendered at synth time: ${sets.failure.message}`, problems };
      }
      problems.push({ prop: `generators[${gi}]`, given: show(g.type), expected: `generators the controller can evaluate: ${sets.failure.message}`, fix: 'fix the generator' });
      continue;
    }
    for (const params of sets.value) {
      const rendered = renderDeep(template, params, opts);
      if (!rendered.ok) {
        if (rendered.failure.kind === 'unsupported') {
          return { apps: [], unsupported: `the template cannot be rendered at synth time: ${rendered.failure.message}`, problems };
        }
        const inCluster = params.name === 'in-cluster' && params.metadata === undefined && !Object.keys(params).some(k => k.startsWith('metadata.'));
        problems.push({
          prop: 'template',
          given: show(rendered.failure.template),
          expected: `a template every generated param set renders, but for ${show(params)} it fails: ${rendered.failure.message}`,
          fix: `fix the template or the generator params${inCluster ? ' (the local in-cluster has no metadata: give the clusters generator a selector)' : ''}`,
        });
        continue;
      }
      const app = rendered.value;
      const dest = app.spec.destination;
      const clusterName = dest.server !== undefined ? fleet._nameOfServer(dest.server) : (fleet._hasCluster(dest.name) ? dest.name : undefined);
      apps.push({
        clusterName,
        name: app.metadata.name,
        labels: app.metadata.labels ?? {},
        destinationNamespace: dest.namespace,
        destinationServer: dest.server,
        destinationName: dest.name,
        sourcePath: app.spec.source.path,
      });
    }
  }
  return { apps, problems };
}
