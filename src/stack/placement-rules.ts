import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { RolloutsBootstrap } from './rollouts-bootstrap';
import { usesGatewayApiPlugin } from './router-glue';
import { IAnalysisTemplate } from '../analysis/analysis-template';
import { AnalysisTemplateBase } from '../analysis/analysis-template-base';
import { PrometheusAnalysis } from '../analysis/prometheus-analysis';
import { MultiClusterAppSet } from '../appset/multi-cluster-app-set';
import { Problem, show } from '../core/problem';
import { FederatedPrometheus } from '../federation/federated-prometheus';
import { passedArgs } from '../rollout/canary-step';
import { ProgressiveRollout } from '../rollout/progressive-rollout';

/** Kinds only the workload clusters read (the Argo Rollouts controller runs there). */
const WORKLOAD_ONLY_KINDS = ['Rollout', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'Experiment', 'AnalysisRun'];
/** Kinds only the management cluster reads (Argo CD runs there). */
const MANAGEMENT_ONLY_KINDS = ['ApplicationSet', 'Application', 'AppProject'];
const TEMPLATE_KINDS = ['AnalysisTemplate', 'ClusterAnalysisTemplate'];

/**
 * What the placement rules read from the stack.
 *
 * @internal
 */
export interface PlacementView {
  readonly root: IConstruct;
  readonly management: Chart;
  readonly platform: Chart;
  readonly service: Chart;
  readonly repoUrl: string;
  readonly preinstalledTemplates: readonly string[];
  readonly clusterArgFieldPath: string;
  readonly bootstrap: RolloutsBootstrap;
  /** Directories of the tree that an Application can point to. */
  readonly producedPaths: () => ReadonlySet<string>;
}

/** Every object of a place, including those of charts nested in it. @internal */
export function apiObjectsOf(chart: Chart): ApiObject[] {
  return chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

/** @internal */
export function rolloutsOf(chart: Chart): ProgressiveRollout[] {
  return chart.node.findAll().filter((c): c is ProgressiveRollout => c instanceof ProgressiveRollout);
}

/** A construct that is an analysis template of this library (Prometheus, web or job). */
function templateConstructsOf(scope: IConstruct): AnalysisTemplateBase[] {
  return scope.node.findAll().filter((c): c is AnalysisTemplateBase => c instanceof AnalysisTemplateBase);
}

/** The Prometheus address a template queries (Prometheus analyses only). */
function prometheusAddressOf(t: AnalysisTemplateBase): string | undefined {
  return t instanceof PrometheusAnalysis ? t.prometheus.address : undefined;
}

function kindOf(t: IAnalysisTemplate): string {
  return t.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
}

/**
 * A Prometheus address that only resolves inside the cluster it is written for: a Service DNS name
 * (`<svc>.<ns>.svc`, `<svc>.<ns>.svc.cluster.local`).
 *
 * @internal
 */
export function isClusterLocalAddress(address: string): boolean {
  let host: string;
  try {
    host = new URL(address).hostname;
  } catch {
    return false;
  }
  return /\.svc$/.test(host) || /\.svc\.cluster\.local\.?$/.test(host);
}

const CONTROLLER_LOOKUP = 'the Argo Rollouts controller runs in each workload cluster and resolves (Cluster)AnalysisTemplates only in its own cluster '
  + '(argo-rollouts v1.9.1 rollout/controller.go: "ClusterAnalysisTemplate \'%s\' not found"; there is no central mode, argo-rollouts#2737), '
  + 'and the AnalysisRun queries Prometheus from that cluster';

const ADDRESS_FIX = 'point the template at a Prometheus the workload clusters reach: the central (federating) Prometheus by its external address '
  + '(e.g. PrometheusServer.fromAddress("https://prometheus.mgmt.example.com")) with the per-cluster filter (clusterLabel: "cluster" and '
  + 'argsFrom: { cluster: stack.clusterArg }), or each cluster\'s own Prometheus (e.g. "http://prometheus.monitoring.svc:9090" without clusterLabel)';

/**
 * Problems of the management place: objects only a workload cluster reads (the seed's mistake: the
 * ClusterAnalysisTemplate "defined once on the management cluster"), and charts outside the stack's places.
 *
 * @internal
 */
export function managementProblems(v: PlacementView): Problem[] {
  const problems: Problem[] = [];
  const users = rolloutsOf(v.service).map(r => r.name);
  const runsOn = users.length > 0 ? `Rollout ${users.map(u => show(u)).join(', ')} run` : 'the Rollouts run';
  const reported = new Set<ApiObject>();
  for (const t of templateConstructsOf(v.management)) {
    const obj = ApiObject.of(t);
    reported.add(obj);
    const address = prometheusAddressOf(t);
    const local = address !== undefined && isClusterLocalAddress(address);
    problems.push({
      prop: `${kindOf(t)} ${show(t.templateName)} (${t.node.path})`,
      given: `placed on the management cluster${local ? `, querying the management-cluster address ${address}` : ''}`,
      expected: `it in the workload clusters where ${runsOn}: ${CONTROLLER_LOOKUP}`
        + (local ? '; a *.svc address of the management cluster does not resolve there' : ''),
      fix: `create it in ${t.clusterScope ? 'stack.platform (installed in every target cluster before the service)' : 'stack.service (synced before the Rollout, sync-wave -1)'}`
        + (local || t.perClusterLabel !== undefined ? `, and ${ADDRESS_FIX}` : ''),
    });
  }
  for (const obj of apiObjectsOf(v.management)) {
    if (reported.has(obj) || !WORKLOAD_ONLY_KINDS.includes(obj.kind)) continue;
    problems.push({
      prop: `${obj.kind} ${show(obj.name)} (${obj.node.path})`,
      given: 'placed on the management cluster',
      expected: `${obj.kind} objects in the workload clusters: ${CONTROLLER_LOOKUP}`,
      fix: 'create it in stack.service (or stack.platform for cluster-wide objects)',
    });
  }
  const places = new Set<IConstruct>([v.management, v.platform, v.service]);
  for (const c of v.root.node.findAll()) {
    if (c instanceof Chart && !places.has(c) && !c.node.scopes.some(s => places.has(s)) && apiObjectsOf(c).length > 0) {
      problems.push({
        prop: `chart ${show(c.node.path)}`,
        given: `a chart outside the stack's places, with ${apiObjectsOf(c).length} object(s)`,
        expected: 'every object in exactly one place: stack.management (Argo CD, central Prometheus), stack.platform (cluster-wide objects of every '
          + 'target cluster) or stack.service (what each generated Application deploys)',
        fix: 'create its constructs in stack.management, stack.platform or stack.service instead of a chart of your own',
      });
    }
  }
  return problems;
}

/**
 * Problems of the workload places (platform and service): Argo CD objects there, templates the Rollouts reference but
 * nothing deploys where they run, cluster-local addresses of a central Prometheus, a per-cluster arg that is the same
 * in every cluster, a router plugin the bootstrap does not register, and source paths the tree does not produce.
 *
 * @internal
 */
export function workloadProblems(v: PlacementView): Problem[] {
  const problems: Problem[] = [];
  for (const chart of [v.platform, v.service]) {
    for (const obj of apiObjectsOf(chart)) {
      if (MANAGEMENT_ONLY_KINDS.includes(obj.kind)) {
        problems.push({
          prop: `${obj.kind} ${show(obj.name)} (${obj.node.path})`,
          given: 'placed in the workload clusters',
          expected: 'Argo CD objects on the management cluster, in the Argo CD namespace',
          fix: 'create it in stack.management',
        });
      }
    }
  }
  for (const chart of [v.platform, v.service]) {
    for (const f of chart.node.findAll().filter((c): c is FederatedPrometheus => c instanceof FederatedPrometheus)) {
      problems.push({
        prop: `FederatedPrometheus (${f.node.path})`,
        given: 'placed in the workload clusters',
        expected: 'the central Prometheus config on the management cluster, where that Prometheus runs (every workload cluster would '
          + 'otherwise get a copy that federates the whole fleet)',
        fix: 'create it in stack.management',
      });
    }
  }
  const deployed = (chart: Chart) => new Set(apiObjectsOf(chart).filter(o => TEMPLATE_KINDS.includes(o.kind)).map(o => `${o.kind}/${o.name}`));
  const inService = deployed(v.service);
  const inPlatform = deployed(v.platform);
  for (const obj of apiObjectsOf(v.platform)) {
    if (obj.kind === 'Rollout' || obj.kind === 'Deployment') {
      problems.push({
        prop: `${obj.kind} ${show(obj.name)} (${obj.node.path})`,
        given: 'placed in the platform Application',
        expected: 'the service\'s workload in stack.service: the platform ApplicationSet syncs every cluster at once, outside the RollingSync waves',
        fix: 'create it in stack.service',
      });
    }
    if (obj.kind === 'AnalysisTemplate') {
      problems.push({
        prop: `AnalysisTemplate ${show(obj.name)} (${obj.node.path})`,
        given: 'placed in the platform Application',
        expected: 'a namespaced AnalysisTemplate in the Rollout\'s namespace (the controller looks it up there)',
        fix: 'create it in stack.service, or make it a ClusterAnalysisTemplate (clusterScope: true)',
      });
    }
  }
  for (const key of inService) {
    if (!inPlatform.has(key)) continue;
    const [kind, name] = key.split('/');
    problems.push({
      prop: `${kind} ${show(name)}`,
      given: 'deployed both by the service Application (stack.service) and by the platform Application (stack.platform)',
      expected: 'each object in one Application (two Applications managing one object fight over it: SharedResourceWarning, '
        + 'and each sync reverts the other)',
      fix: 'create it only once: in stack.platform for a ClusterAnalysisTemplate',
    });
  }
  const inManagement = new Set(templateConstructsOf(v.management).map(t => `${kindOf(t)}/${t.templateName}`));

  for (const rollout of rolloutsOf(v.service)) {
    for (const t of rollout.analysisTemplates) {
      const key = `${kindOf(t)}/${t.templateName}`;
      const found = inService.has(key) || (t.clusterScope && (inPlatform.has(key) || v.preinstalledTemplates.includes(t.templateName)));
      if (found || inManagement.has(key)) continue; // the management case is reported with its fix by managementProblems
      problems.push({
        prop: `${rollout.node.path}: templates ${show(t.templateName)}`,
        given: `a ${kindOf(t)} that nothing deploys where the Rollout runs`,
        expected: `the template in every cluster where Rollout ${show(rollout.name)} runs (the same Application, or the platform Application that syncs `
          + `before it): ${CONTROLLER_LOOKUP}; the Rollout would go Degraded (InvalidSpec) and hold its RollingSync wave`,
        fix: t.clusterScope
          ? `create it in stack.platform, or list ${show(t.templateName)} in preinstalledTemplates if your platform already installs it in every target cluster`
          : 'create it in stack.service',
      });
    }
  }

  for (const t of [...templateConstructsOf(v.service), ...templateConstructsOf(v.platform)]) {
    const address = prometheusAddressOf(t);
    if (t.perClusterLabel !== undefined && address !== undefined && isClusterLocalAddress(address)) {
      problems.push({
        prop: `${t.node.path}: prometheus`,
        given: `${show(address)} with the per-cluster filter ${t.perClusterLabel}="{{args.…}}"`,
        expected: 'a central Prometheus address that the workload clusters reach: the template runs in every workload cluster, where a '
          + 'management-cluster *.svc / *.svc.cluster.local name does not resolve (or, in a workload cluster, names that cluster\'s own Prometheus, '
          + 'which has no other cluster\'s series to filter)',
        fix: ADDRESS_FIX,
      });
    }
  }

  problems.push(...clusterArgProblems(v));

  if (v.bootstrap.installs && !v.bootstrap.registersGatewayApiPlugin) {
    for (const rollout of rolloutsOf(v.service)) {
      if (usesGatewayApiPlugin(rollout.apiObject.toJson().spec)) {
        problems.push({
          prop: 'bootstrap',
          given: `RolloutsBootstrap.helmChart() without gatewayApiPlugin, while Rollout ${show(rollout.name)} routes through the Gateway API plugin`,
          expected: 'the plugin registered in the argo-rollouts-config ConfigMap (trafficRouterPlugins) and the controller granted RBAC on HTTPRoutes',
          fix: 'RolloutsBootstrap.helmChart({ gatewayApiPlugin: true }), or RolloutsBootstrap.preinstalled() if your fleet already runs a controller with the plugin',
        });
      }
    }
  }

  const produced = v.producedPaths();
  for (const appSet of v.management.node.findAll().filter((c): c is MultiClusterAppSet => c instanceof MultiClusterAppSet)) {
    const source = (appSet.apiObject.toJson().spec?.template?.spec?.source ?? {}) as any;
    if (source.repoURL !== v.repoUrl || !appSet.fleet) continue;
    let apps;
    try {
      apps = appSet.generatedApplications();
    } catch {
      continue; // the ApplicationSet reports why it cannot be rendered
    }
    const missing = [...new Set(apps.map(a => a.sourcePath).filter((p): p is string => p !== undefined && !produced.has(p.replace(/\/+$/, ''))))];
    if (missing.length > 0) {
      problems.push({
        prop: `${appSet.node.path}: source.path`,
        given: `${show(source.path)}, rendering ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`,
        expected: `paths of ${v.repoUrl} that this stack produces (Argo CD fails such an Application with "app path does not exist"): `
          + `${[...produced].sort().slice(0, 4).join(', ')}${produced.size > 4 ? ', …' : ''}`,
        fix: 'point the ApplicationSet at a directory the stack writes (k8s/overlays/{{.env}}/{{.nameNormalized}}, platform/<service>), or drop it',
      });
    }
  }
  return problems;
}

/**
 * A per-cluster template judges one cluster through its `cluster` arg: a literal value is the same in every cluster
 * (each canary would be judged by the first cluster's series), so the arg must come from the annotation the stack's
 * per-cluster overlay sets on the Rollout.
 */
function clusterArgProblems(v: PlacementView): Problem[] {
  const problems: Problem[] = [];
  for (const rollout of rolloutsOf(v.service)) {
    const perCluster = (t: IAnalysisTemplate) => t.perClusterLabel !== undefined;
    if (!rollout.analysisTemplates.some(perCluster)) continue;
    // every analysis of the Rollout, whatever its strategy (canary steps and background, blue-green pre/post-promotion)
    for (const use of rollout._analysisUses()) {
      const templates = use.analysis.templates.filter(perCluster);
      if (templates.length === 0) continue;
      const argNames = new Set(templates.flatMap(t => t.declaredArgs.map(a => a.name)).filter(n => /cluster/i.test(n)));
      const args = passedArgs(use.analysis);
      const passed = new Set(args.map(a => a.name));
      for (const name of [...argNames].filter(n => !passed.has(n))) {
        const dflt = templates.flatMap(t => t.declaredArgs).find(a => a.name === name)?.defaultValue;
        problems.push({
          prop: `${rollout.node.path}: ${use.prop}.args.${name}`,
          given: dflt !== undefined ? `not passed (the template's default ${show(dflt)} applies)` : 'not passed',
          expected: 'a value per cluster: a template default is the same in every cluster, so every canary would be judged by one cluster\'s series',
          fix: `pass argsFrom: { ${name}: stack.clusterArg } (fieldRef ${v.clusterArgFieldPath})`,
        });
      }
      for (const arg of args) {
        if (!argNames.has(arg.name)) continue;
        if (arg.value.fieldPath === v.clusterArgFieldPath) continue;
        problems.push({
          prop: `${rollout.node.path}: ${use.prop}.args.${arg.name}`,
          given: arg.value.value !== undefined ? `the literal ${show(arg.value.value)}` : `valueFrom ${show(arg.value._toKube(arg.name).valueFrom)}`,
          expected: 'a value per cluster: the same Rollout is deployed to every cluster, so a literal judges every canary by one cluster\'s series; '
            + 'the stack\'s per-cluster overlay annotates the Rollout with its cluster (plain Kustomize in Git, no Argo CD kustomize option)',
          fix: `pass argsFrom: { ${arg.name}: stack.clusterArg } (fieldRef ${v.clusterArgFieldPath})`,
        });
      }
    }
  }
  return problems;
}
