import { Duration } from 'cdk8s';
import { AnalysisArgument, IAnalysisTemplate, QueriedSeries } from '../../src';

/**
 * Test-local analysis template references (the analysis constructs live in another folder). They implement the
 * shared IAnalysisTemplate seam exactly as a template construct or `fromName` reference does.
 */
export class TestTemplate implements IAnalysisTemplate {
  public readonly requiredArgs: string[];
  constructor(
    public readonly templateName: string,
    public readonly declaredArgs: AnalysisArgument[] = [],
    public readonly metricNames: string[] = [templateName],
    public readonly clusterScope: boolean = false,
    public readonly queriedSeries: QueriedSeries[] = [],
    public readonly minimumDuration?: Duration,
    public readonly openEndedMetricNames?: string[],
  ) {
    this.requiredArgs = declaredArgs.filter(a => a.defaultValue === undefined && !a.fromSecret).map(a => a.name);
  }
}

/**
 * The seed's `success-rate` template (arg service-name without default, metric success-rate, interval 1m) WITH a
 * `count`, so it ends and can run as a step analysis (openEndedMetricNames: []).
 */
export const successRate = new TestTemplate('success-rate', [{ name: 'service-name' }], ['success-rate'], false,
  [{ metricName: 'http_requests_total', labelNames: ['job', 'status'] }], undefined, []);

/**
 * The seed's `success-rate` template as the article wrote it: `interval: 1m` and no `count`, so its metric runs
 * until the rollout completes (valid only in a background analysis).
 */
export const seedSuccessRateOpenEnded = new TestTemplate('success-rate', [{ name: 'service-name' }], ['success-rate'], false,
  [{ metricName: 'http_requests_total', labelNames: ['job', 'status'] }], undefined, ['success-rate']);
