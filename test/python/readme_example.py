from cdk8s import ApiObjectMetadata, App, Chart, Duration
import cdk8s_plus_28 as kplus
from cdk8s_progressive_delivery import (
    AnalysisArgValue, ApplicationSourceProps, CanaryRollout, CanaryStep, ClusterSelector, FederatedPrometheus,
    FederationOutput, Fleet, FleetClusterProps, KustomizeSourceOptions, MaxUpdate, MultiClusterAppSet,
    PrometheusServer, ReleaseEstimate, RollingSyncStep, RolloutWorkload, SuccessRateAnalysis, TrafficRouting, UpdateFacts,
)

app = App()
fleet = Fleet(clusters=[
    FleetClusterProps(name="seoul-1", server="https://seoul-1.example.com", labels={"env": "canary"}, metrics_endpoint="prometheus.seoul-1.internal:9090"),
    FleetClusterProps(name="seoul-2", server="https://seoul-2.example.com", labels={"env": "production"}, metrics_endpoint="prometheus.seoul-2.internal:9090"),
])

# Management cluster: one ClusterAnalysisTemplate judges each cluster through the federated Prometheus.
mgmt = Chart(app, "management")
success_rate = SuccessRateAnalysis(mgmt, "success-rate",
    cluster_scope=True, cluster_label="cluster",
    prometheus=PrometheusServer.from_address("http://prometheus-federation.monitoring.svc:9090"),
    threshold=0.95, interval=Duration.minutes(1), count=5, window=Duration.minutes(2), failure_limit=1,
)
FederatedPrometheus(mgmt, "federation", fleet=fleet, match=['{job="my-service"}'], analyses=[success_rate],
    output=FederationOutput.config_map())               # the series the analysis queries are added to match[]
app_set = MultiClusterAppSet(mgmt, "my-service",
    clusters=ClusterSelector.all(), environments=["canary", "production"], environment_cluster_label="env",
    steps=[
        RollingSyncStep.where_in("env", ["canary"], MaxUpdate.count(1)),
        RollingSyncStep.where_in("env", ["production"], MaxUpdate.percent(25)),
    ],
    source=ApplicationSourceProps(repo_url="https://github.com/my-org/my-service", target_revision="HEAD", path="k8s/overlays/{{.env}}",
        kustomize=KustomizeSourceOptions(common_annotations={"example.com/cluster": "{{.nameNormalized}}"})),
    destination_namespace="my-service",
    fleet=fleet,
)

# Every workload cluster: canary 10% → analysis of this cluster → 30% → 100%.
workload = Chart(app, "my-service")
web = kplus.Deployment(workload, "web", replicas=0, containers=[kplus.ContainerProps(image="ghcr.io/my-org/my-service:1.2.3", port_number=8080)])
rollout = CanaryRollout(workload, "rollout",
    metadata=ApiObjectMetadata(name="my-service"),
    workload=RolloutWorkload.from_deployment(web),
    replicas=5,
    traffic_routing=TrafficRouting.istio(virtual_service="my-service", routes=["primary"]),
    steps=[
        CanaryStep.traffic_weight(10),
        CanaryStep.analysis(templates=[success_rate], args={"service-name": "my-service"},
            args_from={"cluster": AnalysisArgValue.field_ref("metadata.annotations['example.com/cluster']")}),
        CanaryStep.pause(Duration.minutes(10)),
        CanaryStep.traffic_weight(30),
        CanaryStep.pause(Duration.minutes(10)),
        CanaryStep.traffic_weight(100),
    ],
)

app.synth()
plan = app_set.plan()                         # waves → batches → Application names, plus the unmatched
print(plan.to_markdown())                     # or plan.to_mermaid()
print(ReleaseEstimate.of(plan, update=UpdateFacts(minimum=rollout.canary_duration.minimum)).describe())
