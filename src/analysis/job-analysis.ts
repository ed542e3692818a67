import { ApiObject, App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { QuotedArgUse } from './analysis-template';
import { AnalysisTemplateBase, AnalysisTemplateOptions } from './analysis-template-base';
import { MeasurementOptions, MetricOptions, metricNameProblems } from './metric-options';
import { INT32_MAX } from '../core/bounds';
import { Problem, propError, show } from '../core/problem';
import { scanPlaceholders } from '../core/promql';

/**
 * Props of a `JobAnalysis`: the Job each measurement runs, and the measurement options.
 */
export interface JobAnalysisProps extends AnalysisTemplateOptions, MetricOptions {
  /**
   * A cdk8s-plus Job whose spec each measurement runs (`provider.job.spec`). The Job is taken out of its chart: it is
   * not synthesized as an object of its own (the controller creates one per measurement, named
   * `<AnalysisRun uid>.<metric>.<n>`, in the AnalysisRun's namespace). Give either `job` or `containers`.
   *
   * @default - built from `containers`
   */
  readonly job?: kplus.Job;

  /**
   * The containers of the Job's pod, when no `job` is given (cdk8s-plus defaults apply: restartPolicy Never, a
   * restricted security context, resource requests).
   *
   * @default - taken from `job`
   */
  readonly containers?: kplus.ContainerProps[];

  /**
   * The metric name (`metrics[].name`), unique across the templates merged into one AnalysisRun; part of every Job
   * name the controller creates.
   *
   * @default 'job'
   */
  readonly metricName?: string;

  /**
   * Pod failures the Job retries before it is Failed (`spec.backoffLimit`). A Failed Job is a Failed measurement; a
   * Complete one is Successful (the job provider judges only that; there are no success/failure conditions).
   *
   * @default - the Job's own backoffLimit, else 0: the first failed pod fails the measurement (Kubernetes' own
   * default, 6, would retry a failing test for minutes and pass a flaky one)
   */
  readonly backoffLimit?: number;

  /**
   * How long the Job may run (`spec.activeDeadlineSeconds`, whole seconds): the job provider has no timeout of its
   * own, so without a deadline a test that hangs keeps the measurement Running, and the rollout waits, indefinitely.
   *
   * @default - the Job's own activeDeadline, else none: no deadline
   */
  readonly activeDeadline?: Duration;
}

/** Shell metacharacters and whitespace: a value substituted into a `sh -c` script must hold none. */
const SHELL_SYNTAX = ';&|$`\'"\\<>(){}*?[]~!# \t\n\r';
const SHELLS = /(^|\/)(sh|bash|ash|dash|zsh|ksh)$/;

/**
 * An AnalysisTemplate or ClusterAnalysisTemplate with one metric that runs a Kubernetes Job (Argo Rollouts' `job`
 * provider): a smoke, integration or load test whose exit status gates the rollout. The Job's spec comes from a
 * cdk8s-plus `Job` (taken out of its chart, not synthesized on its own) or from containers. Usable wherever a
 * template is (canary steps, background analysis, blue-green pre/post promotion); `{{args.NAME}}` placeholders in the
 * Job spec (e.g. in container args) are declared and checked like a Prometheus template's.
 *
 * Duration: a measurement lasts as long as its Job runs, which the template cannot know, so `minimumDuration` counts
 * only the measurements' schedule (`initialDelay`, `interval` × (`count` - 1)). A `ProgressiveDeliveryStack`'s plan
 * says so and becomes a lower bound; for a rollout's own `updateFacts` (and `ReleaseEstimate.forRollout`), give the
 * analysis step its `expectedDuration` to count the test's run time.
 */
export class JobAnalysis extends AnalysisTemplateBase {
  /**
   * The metric name.
   */
  public readonly metricName: string;

  private readonly job: kplus.Job;

  constructor(scope: Construct, id: string, props: JobAnalysisProps) {
    super(scope, id, props); // checks props against JOB_ANALYSIS_PROPS (analysisPropsShape) first
    if ((props.job === undefined) === (props.containers === undefined)) {
      throw propError(this, {
        prop: props.job ? 'containers' : 'job',
        given: props.job ? 'set together with job' : 'neither job nor containers',
        expected: 'exactly one of job (a cdk8s-plus Job) and containers',
        fix: props.job ? 'drop containers (add them to the Job)' : 'pass job: new kplus.Job(...) or containers: [{ image: ... }]',
      });
    }
    this.metricName = props.metricName ?? 'job';
    if (props.job) {
      this.job = props.job;
      // the Job is a template of what the controller creates: it is not an object of the chart it was created in
      props.job.node.scope?.node.tryRemoveChild(props.job.node.id);
    } else {
      // a detached app/chart: the Job is only a spec factory and is never synthesized
      const chart = new Chart(new App(), `job-${this.node.addr}`);
      this.job = new kplus.Job(chart, 'Job', { containers: props.containers });
    }
    const measurement = new MeasurementOptions(props);
    const name = this.metricName;
    // a Job without containers cannot be rendered (cdk8s-plus throws): reported by specProblems instead
    const spec = () => (this.job.containers.length > 0 ? this.renderJobSpec(props) : {});
    this._addTemplateMetric({
      metricName: name,
      prefix: '',
      measurement,
      args: [],
      texts: () => [{ prop: 'job', text: JSON.stringify(spec()) }],
      argUses: () => shellArgUses(spec(), name),
      inconclusive: () => false,
      problems: () => [...metricNameProblems(name, 'smoke-test'), ...jobNameProblems(name), ...measurement.problems(), ...this.jobProblems(props)],
      synthProblems: () => this.specProblems(spec()),
      render: () => ({ name, ...measurement.renderSchedule(), ...measurement.renderLimits(), provider: { job: { spec: spec() } } }),
    });
  }

  /** The Job spec as the template renders it. */
  private renderJobSpec(props: JobAnalysisProps): Record<string, any> {
    const spec = JSON.parse(JSON.stringify(ApiObject.of(this.job).toJson().spec ?? {}));
    // cdk8s-plus stamps its address label on the pod template for its own selectors; here it would name the Job
    // construct, which is not synthesized
    const labels = spec.template?.metadata?.labels;
    if (labels && kplus.Pod.ADDRESS_LABEL in labels) {
      delete labels[kplus.Pod.ADDRESS_LABEL];
      if (Object.keys(labels).length === 0) delete spec.template.metadata.labels;
      if (Object.keys(spec.template.metadata).length === 0) delete spec.template.metadata;
    }
    if (props.backoffLimit !== undefined) spec.backoffLimit = props.backoffLimit;
    else if (spec.backoffLimit === undefined) spec.backoffLimit = 0;
    if (props.activeDeadline !== undefined) spec.activeDeadlineSeconds = props.activeDeadline.toSeconds({ integral: false });
    return spec;
  }

  /** Single-prop problems. */
  private jobProblems(props: JobAnalysisProps): Problem[] {
    const problems: Problem[] = [];
    const own = { backoffLimit: this.job.backoffLimit, activeDeadlineSeconds: this.job.activeDeadline?.toSeconds({ integral: false }) };
    if (props.backoffLimit !== undefined) {
      if (!Number.isInteger(props.backoffLimit) || props.backoffLimit < 0 || props.backoffLimit > INT32_MAX) {
        problems.push({ prop: 'backoffLimit', given: show(props.backoffLimit), expected: 'an integer ≥ 0 (an int32)', fix: 'e.g. 0' });
      } else if (own.backoffLimit !== undefined && own.backoffLimit !== props.backoffLimit) {
        problems.push({
          prop: 'backoffLimit',
          given: `${props.backoffLimit} while the Job sets ${own.backoffLimit}`,
          expected: 'one backoffLimit',
          fix: 'set it on the Job or here, not both',
        });
      }
    }
    if (props.activeDeadline !== undefined) {
      const s = props.activeDeadline.toSeconds({ integral: false });
      if (!Number.isInteger(s) || s < 1 || s > INT32_MAX) {
        problems.push({
          prop: 'activeDeadline',
          given: `${props.activeDeadline.toMilliseconds({ integral: false })}ms`,
          expected: 'a whole number of seconds ≥ 1 (activeDeadlineSeconds)',
          fix: 'e.g. Duration.minutes(5)',
        });
      } else if (own.activeDeadlineSeconds !== undefined && own.activeDeadlineSeconds !== s) {
        problems.push({
          prop: 'activeDeadline',
          given: `${s}s while the Job sets ${own.activeDeadlineSeconds}s`,
          expected: 'one deadline',
          fix: 'set it on the Job or here, not both',
        });
      }
    }
    return problems;
  }

  /** What the API server or the job provider would refuse in the Job spec, props relative to the metric. */
  private specProblems(spec: Record<string, any>): Problem[] {
    const problems: Problem[] = [];
    const pod = spec.template?.spec ?? {};
    const containers: any[] = pod.containers ?? [];
    if (containers.length === 0 || this.job.containers.length === 0) {
      problems.push({
        prop: 'job',
        given: 'a Job without containers',
        expected: 'at least one container (the API server refuses the Job: spec.template.spec.containers: Required value; every measurement Errors)',
        fix: 'add a container to the Job',
      });
    }
    const restart = pod.restartPolicy;
    if (restart !== undefined && restart !== 'Never' && restart !== 'OnFailure') {
      problems.push({
        prop: 'job.restartPolicy',
        given: show(restart),
        expected: 'Never or OnFailure (the API server refuses the Job: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", '
          + '"Never"; every measurement Errors)',
        fix: 'use kplus.RestartPolicy.NEVER (the cdk8s-plus Job default)',
      });
    }
    if (spec.ttlSecondsAfterFinished !== undefined) {
      problems.push({
        prop: 'job.ttlAfterFinished',
        given: `${spec.ttlSecondsAfterFinished}s`,
        expected: 'no TTL: the controller reads the finished Job to judge the measurement and deletes old Jobs itself (it keeps the last '
          + '10 per metric, or measurementRetention); a TTL can delete the Job first, and the measurement Errors (job not found)',
        fix: 'drop ttlAfterFinished',
      });
    }
    if (spec.selector !== undefined || spec.manualSelector) {
      problems.push({
        prop: 'job.select',
        given: show(spec.selector ?? { manualSelector: true }),
        expected: 'no selector: the controller creates a new Job per measurement, and the API server generates each one\'s selector',
        fix: 'drop the selector',
      });
    }
    return problems;
  }
}

/**
 * Args substituted into a `sh -c` (bash, …) script of a container: a value there must hold no shell syntax.
 * Placeholders in exec-form args are one argv element each and need no such care.
 */
function shellArgUses(spec: Record<string, any>, metricName: string): QuotedArgUse[] {
  const out: QuotedArgUse[] = [];
  const containers: any[] = [...(spec.template?.spec?.initContainers ?? []), ...(spec.template?.spec?.containers ?? [])];
  for (const c of containers) {
    const argv: string[] = [...(c.command ?? []), ...(c.args ?? [])];
    if (argv.length === 0 || !SHELLS.test(argv[0])) continue;
    // `sh -c [-x -e …] SCRIPT`: the script is the first operand after the options
    const dashC = argv.findIndex((a, i) => i > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a));
    if (dashC < 0) continue;
    let at = dashC + 1;
    while (at < argv.length && /^[-+][a-zA-Z]+$/.test(argv[at])) at++;
    if (at < argv.length && argv[at] === '--') at++;
    if (at >= argv.length) continue;
    const script = argv[at];
    for (const p of scanPlaceholders(script)) {
      const m = /^args\.(.+)$/.exec(p.inner);
      if (!m) continue;
      out.push({
        argName: m[1],
        metricName,
        quote: '',
        where: `the shell script of container ${show(c.name)} of metric ${show(metricName)}`,
        forbiddenCharacters: SHELL_SYNTAX,
        consequence: 'is shell syntax: the test would run other commands or other arguments',
      });
    }
  }
  return out;
}

/**
 * The controller names each Job `<AnalysisRun uid>.<metric name>.<n>` (metricproviders/job/job.go newJobName): a
 * metric name with "_" makes a Job name the API server refuses (not a DNS-1123 subdomain), so every measurement Errors.
 */
function jobNameProblems(metricName: string): Problem[] {
  if (typeof metricName !== 'string' || !metricName.includes('_')) return [];
  return [{
    prop: 'metricName',
    given: show(metricName),
    expected: 'no "_": the controller names each Job <AnalysisRun uid>.<metric name>.<n>, and the API server refuses a Job name that is not a '
      + 'DNS-1123 subdomain (every measurement would Error)',
    fix: `use "-" instead: ${show(metricName.replace(/_/g, '-'))}`,
  }];
}
