import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Chart } from 'cdk8s';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { ValidationError } from 'cdk8s-progressive-delivery';

/**
 * Props of `ChartManifests`.
 */
export interface ChartManifestsProps {
  /**
   * The cdk8s chart to apply (e.g. the management chart: ApplicationSets, the federating Prometheus). It must be
   * complete: its objects are read when this construct is created, and its validations run then.
   */
  readonly chart: Chart;

  /**
   * The `kubernetes` provider of the cluster the chart is for.
   *
   * @default - the stack's default `kubernetes` provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A cdk8s chart applied by Terraform: one `kubernetes_manifest` per object, instead of (or before) a GitOps sync.
 *
 * `kubernetes_manifest` reads the object's schema from the cluster at plan time, so the CRDs the chart uses (e.g.
 * Argo CD's ApplicationSet) must be installed before the first plan. Strings are escaped for Terraform (`${` and
 * `%{` become `$${` and `%%{`), so a Prometheus `replacement: ${1}` reaches the cluster unchanged.
 */
export class ChartManifests extends Construct {
  /** The manifests, in chart order. */
  public readonly manifests: Manifest[];

  constructor(scope: Construct, id: string, props: ChartManifestsProps) {
    super(scope, id);
    const errors = props.chart.node.findAll().flatMap(c => c.node.validate().map(e => `[${c.node.path}] ${e}`));
    if (errors.length > 0) {
      throw new ValidationError(this, {
        prop: 'chart', given: `a chart that fails validation: ${errors.join('; ')}`, expected: 'a chart that synthesizes', fix: 'fix the chart first',
      });
    }
    const seen = new Set<string>();
    this.manifests = props.chart.toJson().map((obj: any) => {
      const key = [obj.apiVersion, obj.kind, obj.metadata?.namespace ?? '', obj.metadata?.name].join('/');
      const rid = `${String(obj.kind).toLowerCase()}-${obj.metadata?.namespace ?? 'cluster'}-${obj.metadata?.name}`;
      if (seen.has(key)) {
        throw new ValidationError(this, { prop: 'chart', given: `${key} twice`, expected: 'each object once', fix: 'give the objects distinct names' });
      }
      seen.add(key);
      return new Manifest(this, rid, { provider: props.provider, manifest: escapeTemplates(obj) });
    });
  }
}

/** Terraform treats `${...}` and `%{...}` in strings as templates: escape them so they stay literal. */
export function escapeTemplates(value: any): any {
  if (typeof value === 'string') return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  if (Array.isArray(value)) return value.map(escapeTemplates);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeTemplates(k), escapeTemplates(v)]));
  }
  return value;
}
