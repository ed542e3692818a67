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
  ) {
    this.requiredArgs = declaredArgs.filter(a => a.defaultValue === undefined && !a.fromSecret).map(a => a.name);
  }
}

/** The seed's `success-rate` template: arg service-name without default, metric success-rate, interval 1m. */
export const successRate = new TestTemplate('success-rate', [{ name: 'service-name' }], ['success-rate'], false,
  [{ metricName: 'http_requests_total', labelNames: ['job', 'status'] }]);
