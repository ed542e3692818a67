import { Duration } from 'cdk8s';
import { formatDuration, ReleaseEstimate } from '../plan/release-estimate';
import { RolloutPlan } from '../plan/rollout-plan';

/**
 * What the release plan of a stack is computed from.
 *
 * @internal
 */
export interface ReleasePlanInput {
  readonly service: string;
  readonly plan: RolloutPlan;
  /**
   * The update of the longest Rollout of the service: a canary's timed pauses + the templates' minimum analysis durations,
   * a blue-green's pre-promotion analysis + promotion delay + post-promotion analysis.
   */
  readonly update: Duration;
  /** That update in the Rollout's own words, with its parts and its Rollout's name. */
  readonly updateDescription: string;
  readonly podStartup: Duration;
  /** Where an update waits for a person, as `Rollout "x" steps[i]` or `Rollout "x" blueGreen promotion (…)`. */
  readonly manualGates: string[];
  /** Analyses that can end Inconclusive and pause the Rollout for a person, as `template "x" metric "m"`. */
  readonly inconclusiveAnalyses: string[];
  /** Analysis steps whose duration is unknown (not counted). */
  readonly unknownAnalyses: string[];
  /**
   * Job metrics of analyses without an expectedDuration, as `Rollout "x" steps[1].analysis: template "t" metric "m"`: each
   * measurement lasts as long as its Job runs, which is not counted.
   */
  readonly jobRuns: string[];
  /** Applications per wave of the platform ApplicationSets that sync before the service (informational). */
  readonly platformApplicationSets: string[];
  /** The revision each environment's Applications track. */
  readonly revisions: { environment: string; revision: string }[];
  /** Whether each Rollout has background analysis (which keeps running through a bake). */
  readonly backgroundAnalysis: { rollout: string; analysed: boolean }[];
}

/**
 * The numbers of a release plan, per wave and in total.
 *
 * @internal
 */
export interface ReleasePlanFigures {
  readonly perApplicationSeconds: number;
  readonly waves: {
    step: number; applications: number; concurrency: number; rounds: number; seconds: number; bakeSeconds: number; manualGate: boolean;
  }[];
  readonly totalSeconds: number;
  /**
   * The total is a lower bound: a manual gate (wave, canary step, blue-green promotion), an analysis that can pause for a
   * person, or an analysis whose duration is not (fully) known.
   */
  readonly lowerBound: boolean;
  /** Every step has maxUpdate 0: no wave proceeds (the total is 0 and means nothing). */
  readonly frozen: boolean;
}

/**
 * The numbers come from `ReleaseEstimate` (plan/): Argo CD RollingSync runs a wave of n Applications with maxUpdate c
 * in ceil(n / c) rounds, an Application keeps its slot until it is Healthy and Synced again, and the next wave starts
 * only when the whole step is; so with equal per-Application times a wave takes rounds × (update + pod start-up).
 *
 * @internal
 */
export function releaseFigures(input: ReleasePlanInput): ReleasePlanFigures {
  const estimate = ReleaseEstimate.of(input.plan, {
    update: {
      minimum: input.update,
      exact: input.unknownAnalyses.length === 0 && input.jobRuns.length === 0,
      manualGates: input.manualGates.length,
      inconclusivePauses: input.inconclusiveAnalyses.length,
    },
    startup: input.podStartup,
  });
  const per = input.update.toSeconds({ integral: false }) + input.podStartup.toSeconds({ integral: false });
  const waves = input.plan.waves.map((w, i) => ({
    step: w.step,
    applications: w.applications.length,
    concurrency: w.concurrency,
    rounds: estimate.waves[i].rounds,
    seconds: estimate.waves[i].duration.toSeconds({ integral: false }),
    bakeSeconds: estimate.waves[i].bake.toSeconds({ integral: false }),
    manualGate: w.manualGate && w.applications.length > 0,
  }));
  return {
    perApplicationSeconds: per,
    waves,
    totalSeconds: estimate.minimum.toSeconds({ integral: false }),
    lowerBound: !estimate.exact,
    frozen: estimate.frozen,
  };
}

/** `1h44m`, `26m`, `30s`, `0s`. @internal */
export function formatSeconds(total: number): string {
  return formatDuration(Duration.seconds(total));
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function mermaid(s: string): string {
  return s.replace(/[:#;]/g, ' ');
}

/** Why the total is a lower bound: gates that wait for a person, and durations that are not counted. */
function lowerBoundReasons(input: ReleasePlanInput, f: ReleasePlanFigures): string[] {
  const reasons: string[] = [];
  if (input.manualGates.length + input.inconclusiveAnalyses.length > 0 || f.waves.some(w => w.manualGate)) {
    reasons.push('the gates listed below can hold a wave until a person acts');
  }
  if (input.unknownAnalyses.length + input.jobRuns.length > 0) reasons.push('the durations listed below as not counted add to it');
  return reasons;
}

/**
 * ROLLOUT-PLAN.md: waves, batches, clusters, durations, lower bounds and a Mermaid gantt.
 *
 * @internal
 */
export function renderReleasePlan(input: ReleasePlanInput): string {
  const f = releaseFigures(input);
  const atLeast = f.lowerBound ? '≥ ' : '';
  const pinned = input.revisions.length > 1 || input.revisions[0]?.environment !== '(every environment)';
  const lines: string[] = [
    `# Release plan: ${input.service}`,
    '',
    'Generated by `cdk8s synth` (cdk8s-progressive-delivery). One release = '
      + (pinned ? 'one environment\'s new pinned revision (environmentRevisions), rolled out by the ApplicationSet'
        : 'one new target revision, rolled out by the ApplicationSet'),
    `\`${input.service}\` with Argo CD RollingSync.`,
    '',
    f.frozen
      ? `**Frozen: no wave proceeds.** Every RollingSync step is rendered with maxUpdate 0, so Argo CD starts no sync of the ${input.plan.totalApplications} `
        + 'Application(s) (those already syncing finish); a new revision waits until `frozen` is removed and committed. The durations below apply once unfrozen.'
      : `**Total: ${atLeast}${formatSeconds(f.totalSeconds)}** over ${f.waves.length} wave(s) and ${input.plan.totalApplications} Application(s)`
        + `${f.lowerBound ? ` — a lower bound: ${lowerBoundReasons(input, f).join('; ')}` : ''}.`,
    '',
    `Per Application: ${formatSeconds(f.perApplicationSeconds)} = ${input.updateDescription} + pod start-up ${formatSeconds(input.podStartup.toSeconds({ integral: false }))}.`,
    '',
    '## Waves',
    '',
    '| Wave | Selects | maxUpdate | Applications | Batches (in flight together) | Duration |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const w of input.plan.waves) {
    const fw = f.waves.find(x => x.step === w.step)!;
    const bake = fw.bakeSeconds > 0 ? ` + bake ${formatSeconds(fw.bakeSeconds)}` : '';
    const batches = f.frozen ? `frozen: ${w.applications.join(', ') || 'none'} wait`
      : fw.manualGate ? 'manual gate (maxUpdate 0): sync each by hand'
        : w.batches.length === 0 ? 'none (completes at once)'
          : w.batches.map((b, i) => `${i + 1}: ${b.join(', ')}`).join('<br>');
    const duration = f.frozen ? 'frozen'
      : fw.manualGate ? 'until synced by hand'
        : w.batches.length === 0 ? '0s'
          : `${f.lowerBound ? '≥ ' : ''}${fw.rounds} × ${bake ? `(${formatSeconds(f.perApplicationSeconds)}${bake})` : formatSeconds(f.perApplicationSeconds)} = ${formatSeconds(fw.seconds)}`;
    lines.push(`| ${w.step} | ${cell(w.selector)} | ${cell(w.maxUpdate)} | ${w.applications.length} | ${cell(batches)} | ${duration} |`);
  }
  if (f.waves.some(w => w.bakeSeconds > 0)) {
    const unanalysed = input.backgroundAnalysis.filter(b => !b.analysed).map(b => `\`${b.rollout}\``);
    lines.push('', 'A bake is rendered into each cluster\'s overlay of the wave (`k8s/overlays/<env>/<cluster>`): the canary steps end with full weight and a '
      + 'timed pause, so the Rollout stays paused (Argo CD: Suspended) and the Application keeps its maxUpdate slot until the bake ends; the next wave waits. '
      + (unanalysed.length > 0
        ? `Rollout ${unanalysed.join(', ')} has no background analysis: its bake only waits (nothing aborts it automatically).`
        : 'The background analysis keeps running through the bake and aborts the Rollout (Degraded, holding the wave) if it fails.'));
  }
  lines.push('', '## Revisions', '');
  if (pinned) {
    lines.push('| Environment | Revision |', '| --- | --- |', ...input.revisions.map(r => `| ${cell(r.environment)} | ${cell(r.revision)} |`), '',
      'Each environment\'s Applications track their own revision: promoting a release to the next environment is one Git change of its revision '
      + '(`environmentRevisions`), so no wave runs a commit an earlier wave has not run.');
  } else {
    lines.push(`Every Application tracks \`${input.revisions[0]?.revision ?? 'HEAD'}\`: each wave syncs what the branch holds when its turn comes, and `
      + 'ordering across waves is best effort upstream (argo-cd#22852, #29347, #29410). Pin a revision per environment (`environmentRevisions`) to make each '
      + 'promotion an explicit Git change.');
  }
  if (input.plan.unmatched.length > 0) {
    lines.push('', `**Never synced by Argo CD (no step selects them):** ${input.plan.unmatched.join(', ')}`);
  }
  lines.push('', '## Gates and lower bounds', '');
  const gates: string[] = [];
  if (f.frozen) gates.push('- Frozen: every step has maxUpdate 0 (Argo CD promotes nothing); the release waits until the stack is unfrozen.');
  for (const w of f.waves.filter(x => x.manualGate && !f.frozen)) gates.push(`- Wave ${w.step} has maxUpdate 0: its Applications wait until someone syncs them.`);
  for (const g of input.manualGates) {
    gates.push(`- ${g}: indefinite pause. The Application stays Suspended until \`kubectl argo rollouts promote\`; it keeps its maxUpdate slot, `
      + 'so with maxUpdate 1 the rest of its wave waits, and the next wave waits for it.');
  }
  for (const a of input.inconclusiveAnalyses) {
    gates.push(`- ${a}: can end Inconclusive (e.g. NaN with no traffic) and pause the Rollout for a person (Suspended, holding its slot and the wave).`);
  }
  for (const u of input.unknownAnalyses) gates.push(`- ${u}: duration unknown, not counted.`);
  for (const j of input.jobRuns) {
    gates.push(`- ${j}: runs a Job per measurement; the Job's run time is not counted (only the measurements' schedule is): `
      + 'give the analysis an expectedDuration to count it.');
  }
  if (gates.length === 0) gates.push('- None: the release runs without a person when every analysis passes.');
  lines.push(...gates);
  lines.push(
    '',
    '## How Argo CD runs it',
    '',
    '- An Application joins the first step whose labels it matches; inside a step Argo CD syncs Applications in name order, at most maxUpdate at a time.',
    '- An Application holds its slot until it is Healthy and Synced again: Progressing, Suspended (any canary pause, a blue-green Rollout waiting for '
      + 'its promotion) and Degraded (an aborted update) all keep it.',
    '  With maxUpdate 1 one paused or aborted cluster stalls the rest of its own wave.',
    '- The next wave starts only when every Application of the step is Healthy and Synced.',
    ...(input.platformApplicationSets.length > 0
      ? [`- Before the first release, the platform ApplicationSets (${input.platformApplicationSets.join(', ')}) install what the Rollouts need in every target cluster (sync-waves -2 and -1); a change to them rolls out in these same waves.`]
      : []),
    '',
    '## Timeline (minimum)',
    '',
    '```mermaid',
    'gantt',
    `  title ${mermaid(input.service)} release${f.lowerBound ? ' (lower bound)' : ''}`,
    '  dateFormat X',
    '  axisFormat %H:%M',
  );
  let prev: string | undefined;
  for (const w of input.plan.waves) {
    const fw = f.waves.find(x => x.step === w.step)!;
    lines.push(`  section Wave ${w.step}`);
    if (f.frozen) {
      const id = `w${w.step}frozen`;
      lines.push(`  frozen ${mermaid(w.applications.join(', ') || 'no applications')} :milestone, ${id}, ${prev ? `after ${prev}` : '0'}, 0s`);
      prev = id;
      continue;
    }
    if (fw.manualGate) {
      const id = `w${w.step}gate`;
      lines.push(`  manual sync ${mermaid(w.applications.join(', '))} :milestone, ${id}, ${prev ? `after ${prev}` : '0'}, 0s`);
      prev = id;
      continue;
    }
    w.batches.forEach((b, i) => {
      const id = `w${w.step}b${i + 1}`;
      lines.push(`  ${mermaid(b.join(', '))} :${id}, ${prev ? `after ${prev}` : '0'}, ${Math.round(f.perApplicationSeconds + fw.bakeSeconds)}s`);
      prev = id;
    });
  }
  lines.push('```', '');
  return lines.join('\n');
}
