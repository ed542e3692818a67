import type { Duration } from 'cdk8s';
import { PLANNED_APPLICATION, ROLLOUT_PLAN_OPTIONS } from './input-shapes';
import { requireArray, requireInstance } from '../core/input-types';
import { propError } from '../core/problem';
import { checkArgs, open, required } from '../core/struct-shape';
import { RollingSyncStep } from '../rolling-sync/rolling-sync-step';

/**
 * An Application as the planner sees it: its name and labels (after templating).
 */
export interface PlannedApplication {
  /** The Application name. */
  readonly name: string;
  /**
   * The Application's labels; RollingSync steps select on them.
   *
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };
}

/**
 * One RollingSync step of a plan: which Applications it syncs, in which order and how many at a time.
 */
export interface RolloutWave {
  /** The step number as Argo CD writes it in `status.applicationStatus[].step` (1-based). */
  readonly step: number;
  /** What the step selects, e.g. `env In [canary]`. */
  readonly selector: string;
  /** The step's `maxUpdate` as written, e.g. `1`, `25%`, `0 (manual)`, `all`. */
  readonly maxUpdate: string;
  /**
   * The Applications whose first matching step this is, in the order Argo CD promotes them (by name).
   */
  readonly applications: string[];
  /**
   * How many Applications Argo CD keeps in flight in this step (`maxUpdate` resolved against the step's size);
   * 0 for a manual gate.
   */
  readonly concurrency: number;
  /**
   * The applications cut into consecutive groups of `concurrency` (empty for a manual gate). Argo CD promotes the
   * next Application as soon as a slot frees up, so a batch is the upper bound of what runs together. A slot frees
   * only when its Application is Healthy and Synced: one that is Progressing, Suspended (a paused rollout) or
   * Degraded keeps it, so with `maxUpdate: 1` one paused or failed cluster holds the rest of its wave.
   */
  readonly batches: string[][];
  /**
   * True when `maxUpdate` is 0 (as written, or because the ApplicationSet is frozen): Argo CD promotes nothing; the
   * Applications must be synced by hand.
   */
  readonly manualGate: boolean;
  /**
   * The wave's bake time (`RollingSyncStep.withBake()`): each of its Applications stays Suspended this long at full
   * weight before it is Healthy and frees its slot.
   *
   * @default - no bake
   */
  readonly bake?: Duration;
  /**
   * Applications that match this step too but were taken by an earlier step (Argo CD logs a warning; this step
   * also waits for them to be Healthy).
   */
  readonly alsoMatched: string[];
}

/**
 * An Application selected by more than one step.
 */
export interface MultiMatchedApplication {
  /** The Application name. */
  readonly application: string;
  /** The 1-based numbers of every step that selects it; the first one is the step it syncs in. */
  readonly steps: number[];
}

/**
 * Options of `RolloutPlan.compute()`.
 */
export interface RolloutPlanOptions {
  /**
   * The ApplicationSet is frozen: every step is rendered with `maxUpdate: 0`, so no wave proceeds (Applications
   * already syncing finish; nothing new starts until unfrozen, unless synced by hand).
   *
   * @default false
   */
  readonly frozen?: boolean;
}

/**
 * The order in which Argo CD v3.5 RollingSync syncs a set of Applications: waves (steps), batches within a step,
 * and the Applications no step selects (which the controller never syncs).
 *
 * Pure: computed from the steps and the Applications' names and labels, no cluster access.
 */
export class RolloutPlan {
  /**
   * Plans a rollout.
   *
   * Rules (Argo CD v3.5.1 progressive sync): an Application belongs to the FIRST step whose expressions it all
   * matches (a step without expressions matches everything); within a step Applications are promoted in name
   * order; `maxUpdate` N allows N at a time, `P%` allows `floor(P * total / 100)` but at least 1, `0` promotes
   * nothing (manual gate), unset allows all. `total` is the step's Application count; for step 1 it also counts
   * the unmatched Applications, because the controller maps an Application without a step to index 0.
   *
   * @param steps the RollingSync steps, in order
   * @param applications the generated Applications
   * @param options e.g. `frozen`
   * @throws if a step is invalid or an Application name appears twice
   */
  public static compute(steps: RollingSyncStep[], applications: PlannedApplication[], options: RolloutPlanOptions = {}): RolloutPlan {
    checkArgs('RolloutPlan.compute', {
      applications: [applications, required([open(PLANNED_APPLICATION)])], // GeneratedApplications too
      options: [options, ROLLOUT_PLAN_OPTIONS],
    });
    const where = 'RolloutPlan.compute';
    const frozen = options.frozen ?? false;
    requireArray(where, 'steps', steps, (s, prop) => requireInstance(where, prop, s, 'RollingSyncStep', (v: any) => typeof v._problems === 'function' && typeof v.matches === 'function',
      'use RollingSyncStep.whereIn(), whereNotIn(), matching() or everything()'));
    // applications: the shape check above (an array of { name: string, labels?: string map })
    steps.forEach((s, i) => {
      const problems = s._problems(`steps[${i}]`);
      if (problems.length > 0) throw propError('RolloutPlan.compute', problems[0]);
    });
    const seen = new Set<string>();
    applications.forEach((a, i) => {
      if (seen.has(a.name)) {
        throw propError('RolloutPlan.compute', {
          prop: `applications[${i}].name`,
          given: JSON.stringify(a.name),
          expected: 'a name not used by another Application (Argo CD skips every copy of a duplicate name)',
          fix: 'make the Application name template unique per generated element',
        });
      }
      seen.add(a.name);
    });
    return RolloutPlan._computeChecked(steps, applications, { frozen });
  }

  /**
   * `compute()` for inputs already checked: valid steps (`addStep()` throws for invalid ones) and Applications with
   * unique names and string labels (a rendering whose names clash is reported before planning). Skips the per-input
   * checks, which cost more than the plan on every synth.
   *
   * @internal
   */
  public static _computeChecked(steps: readonly RollingSyncStep[], applications: readonly PlannedApplication[],
    options: RolloutPlanOptions = {}): RolloutPlan {
    const frozen = options.frozen ?? false;
    const sorted = [...applications].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const members: string[][] = steps.map(() => []);
    const also: string[][] = steps.map(() => []);
    const unmatched: string[] = [];
    const multi: MultiMatchedApplication[] = [];
    for (const app of sorted) {
      const labels = app.labels ?? {};
      const matched: number[] = [];
      for (let i = 0; i < steps.length; i++) {
        if (steps[i].matches(labels)) matched.push(i);
      }
      if (matched.length === 0) {
        unmatched.push(app.name);
        continue;
      }
      members[matched[0]].push(app.name);
      for (const later of matched.slice(1)) also[later].push(app.name);
      if (matched.length > 1) multi.push({ application: app.name, steps: matched.map(i => i + 1) });
    }

    const waves: RolloutWave[] = steps.map((s, i) => {
      const apps = members[i];
      const total = apps.length + (i === 0 ? unmatched.length : 0);
      const limit = frozen ? 0 : s.maxUpdate._limit(total);
      const concurrency = limit === undefined ? apps.length : Math.min(limit, apps.length);
      const batches: string[][] = [];
      if (concurrency > 0) {
        for (let j = 0; j < apps.length; j += concurrency) batches.push(apps.slice(j, j + concurrency));
      }
      return {
        step: i + 1,
        selector: s.describe(),
        maxUpdate: frozen ? `0 (frozen; ${s.maxUpdate.toString()} when unfrozen)` : s.maxUpdate.toString(),
        applications: apps,
        concurrency,
        batches,
        manualGate: frozen || s.maxUpdate.isManual,
        alsoMatched: also[i],
        ...(s.bake ? { bake: s.bake } : {}),
      };
    });
    return new RolloutPlan(waves, unmatched, multi, applications.length, frozen);
  }

  /** The steps in order, each with its Applications and batches. */
  public readonly waves: RolloutWave[];
  /** Applications no step selects, by name: Argo CD never syncs them (they must be synced by hand). */
  public readonly unmatched: string[];
  /** Applications selected by several steps (they sync in the first). */
  public readonly multiMatched: MultiMatchedApplication[];
  /** How many Applications were planned. */
  public readonly totalApplications: number;
  /**
   * The ApplicationSet is frozen (every step `maxUpdate: 0`): no wave proceeds, so the release does not happen until
   * it is unfrozen.
   */
  public readonly frozen: boolean;

  private constructor(waves: RolloutWave[], unmatched: string[], multiMatched: MultiMatchedApplication[], total: number, frozen: boolean) {
    this.frozen = frozen;
    this.waves = waves;
    this.unmatched = unmatched;
    this.multiMatched = multiMatched;
    this.totalApplications = total;
  }

  /** The number of waves (RollingSync steps), empty ones included. */
  public get waveCount(): number {
    return this.waves.length;
  }

  /** The number of batches over all waves (an upper bound of the sequential sync rounds; manual gates excluded). */
  public get batchCount(): number {
    return this.waves.reduce((n, w) => n + w.batches.length, 0);
  }

  /** The 1-based step numbers that are manual gates (`maxUpdate: 0`). */
  public get manualGates(): number[] {
    return this.waves.filter(w => w.manualGate).map(w => w.step);
  }

  /** The step an Application syncs in (1-based), or -1 when no step selects it (as in `status.applicationStatus`). */
  public stepOf(application: string): number {
    const w = this.waves.find(x => x.applications.includes(application));
    return w ? w.step : -1;
  }

  /**
   * The plan as a Markdown table: one row per wave, then the unmatched Applications.
   */
  public toMarkdown(): string {
    const lines = [
      ...(this.frozen ? [`**Frozen:** ${FROZEN_NOTE}`, ''] : []),
      '| Wave | Selects | maxUpdate | Applications | Batches |',
      '| --- | --- | --- | --- | --- |',
    ];
    for (const w of this.waves) {
      const batches = this.frozen ? 'frozen: nothing starts'
        : w.manualGate ? 'manual gate: sync each by hand'
          : w.batches.length === 0 ? 'empty (completes at once)'
            : w.batches.map((b, i) => `${i + 1}: ${b.join(', ')}`).join('<br>');
      const bake = w.bake ? `; then each bakes ${formatBake(w.bake)}` : '';
      lines.push(`| ${w.step} | ${escape(w.selector)} | ${escape(w.maxUpdate)} | ${w.applications.length} | ${escape(batches + bake)} |`);
    }
    if (this.unmatched.length > 0) {
      lines.push('', `**Never synced by Argo CD (no step selects them):** ${this.unmatched.join(', ')}`);
    }
    for (const m of this.multiMatched) {
      lines.push('', `**${m.application}** matches steps ${m.steps.join(', ')}; it syncs in step ${m.steps[0]}.`);
    }
    if (this.waves.some(w => w.batches.length > 1)) {
      lines.push('', SLOT_NOTE);
    }
    return lines.join('\n') + '\n';
  }

  /**
   * The plan as a Mermaid flowchart: one subgraph per wave with its batches, in order, then the unmatched.
   */
  public toMermaid(): string {
    const lines = ['flowchart TD'];
    let prev: string | undefined;
    for (const w of this.waves) {
      const id = `wave${w.step}`;
      lines.push(`  subgraph ${id}["Wave ${w.step}: ${mermaidText(w.selector)} (maxUpdate ${mermaidText(w.maxUpdate)})"]`);
      if (this.frozen) {
        lines.push(`    ${id}_frozen["frozen: ${mermaidText(w.applications.join(', ') || 'no applications')}"]`);
      } else if (w.manualGate) {
        lines.push(`    ${id}_manual["manual gate: ${mermaidText(w.applications.join(', ') || 'no applications')}"]`);
      } else if (w.batches.length === 0) {
        lines.push(`    ${id}_empty["no applications"]`);
      } else {
        w.batches.forEach((b, i) => lines.push(`    ${id}_b${i + 1}["${mermaidText(b.join(', '))}"]`));
        for (let i = 1; i < w.batches.length; i++) lines.push(`    ${id}_b${i} --> ${id}_b${i + 1}`);
      }
      lines.push('  end');
      if (prev) lines.push(`  ${prev} --> ${id}`);
      prev = id;
    }
    if (this.unmatched.length > 0) {
      lines.push(`  unmatched[["never synced: ${mermaidText(this.unmatched.join(', '))}"]]`);
    }
    return lines.join('\n') + '\n';
  }
}

/** What a frozen plan means (Argo CD v3.5.1 progressive_sync.go: with maxUpdate 0 the in-flight count is always >= the limit). */
const FROZEN_NOTE = 'every RollingSync step is rendered with maxUpdate 0, so Argo CD promotes no Application and no wave proceeds. '
  + 'Applications already Pending or Progressing finish; a new revision waits (Waiting) until the ApplicationSet is unfrozen or someone syncs an '
  + 'Application by hand.';

/** `30m`, `1h`, `90s`. */
function formatBake(d: Duration): string {
  let s = Math.round(d.toSeconds({ integral: false }));
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}` || '0s';
}

/** Why a batch is an upper bound: Argo CD's progressive sync counts Pending and Progressing entries against maxUpdate. */
const SLOT_NOTE = 'A batch starts as slots free up. An Application keeps its maxUpdate slot until it is Healthy and Synced: one that is '
  + 'Suspended (a paused rollout) or Degraded (a failed one) holds its slot, and with maxUpdate 1 the rest of its wave, until a person acts.';

function escape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function mermaidText(s: string): string {
  return s.replace(/"/g, '#quot;');
}
