from cdk8s import ApiObjectMetadata, Duration
import cdk8s_plus_28 as kplus
from cdk8s_progressive_delivery import (
    CanaryRollout, CanaryStep, FederatedPrometheus, FederationOutput, Fleet, FleetClusterProps, MaxUpdate, PrometheusServer,
    ProgressiveDeliveryStack, RollingSyncStep, RolloutWorkload, SuccessRateAnalysis, TrafficRouting,
)

fleet = Fleet(clusters=[
    FleetClusterProps(name="seoul-1", server="https://seoul-1.example.com", labels={"env": "canary"}, metrics_endpoint="prometheus.seoul-1.internal:9090"),
    FleetClusterProps(name="seoul-2", server="https://seoul-2.example.com", labels={"env": "production"}, metrics_endpoint="prometheus.seoul-2.internal:9090"),
])
stack = ProgressiveDeliveryStack(
    outdir="dist/gitops", service_name="my-service", repo_url="https://github.com/my-org/my-service-deploy", fleet=fleet,
    environments=["canary", "production"],
    waves=[RollingSyncStep.where_in("env", ["canary"], MaxUpdate.count(1)), RollingSyncStep.where_in("env", ["production"], MaxUpdate.percent(25))],
)

# Every workload cluster runs the analysis (the Rollouts controller looks templates up in its own cluster), against the
# central Prometheus's external address, filtered to its own cluster.
success_rate = SuccessRateAnalysis(stack.platform, "success-rate",
    metadata=ApiObjectMetadata(name="success-rate"), cluster_scope=True, cluster_label="cluster",
    prometheus=PrometheusServer.from_address("https://prometheus.mgmt.example.com"),
    threshold=0.95, interval=Duration.minutes(1), count=5, window=Duration.minutes(2), failure_limit=1,
)
FederatedPrometheus(stack.management, "federation", fleet=fleet, match=['{job="my-service"}'], analyses=[success_rate],
    output=FederationOutput.config_map())

web = kplus.Deployment(stack.service, "web", replicas=0, containers=[kplus.ContainerProps(image="ghcr.io/my-org/my-service:1.2.3", port_number=8080)])
CanaryRollout(stack.service, "rollout",
    metadata=ApiObjectMetadata(name="my-service"), workload=RolloutWorkload.from_deployment(web), replicas=5,
    traffic_routing=TrafficRouting.istio(virtual_service="my-service", routes=["primary"]),
    steps=[
        CanaryStep.traffic_weight(10),
        CanaryStep.analysis(templates=[success_rate], args={"service-name": "my-service"}, args_from={"cluster": stack.cluster_arg}),
        CanaryStep.pause(Duration.minutes(10)),
        CanaryStep.traffic_weight(30),
        CanaryStep.pause(Duration.minutes(10)),
        CanaryStep.traffic_weight(100),
    ],
)

stack.synth()                       # checks placement, writes the GitOps tree and ROLLOUT-PLAN.md
print(stack.release_plan())         # waves, batches, durations, gates, Mermaid gantt
