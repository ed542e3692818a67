"""The bad props of bad_props.ts, run from Python.

Usage: python bad_props.py <messages.json written by bad_props.ts>

Asserts that each case raises a Python RuntimeError whose message is exactly the library's message for the same input
in TypeScript. Errors thrown inside a method call (a static factory, synth) reach Python prefixed by the JavaScript
error's name (`ValidationError: ...`, `Error: ...`); errors thrown by a constructor arrive bare. Also asserts that
the README's jsii notes hold: a plain dict inside a list of structs loses snake_case keys, and a value of the wrong
type raises jsii's TypeError.
"""
import json
import sys

from cdk8s import ApiObjectMetadata, App, Chart, Duration
import cdk8s_plus_28 as kplus
from cdk8s_progressive_delivery import (
    ApplicationSourceProps, CanaryRollout, CanaryStep, ClusterSelector, Fleet, FleetClusterProps, MaxUpdate,
    MultiClusterAppSet, PrometheusServer, ProgressiveDeliveryStack, RollingSyncStep, RolloutWorkload, SuccessRateAnalysis,
    TrafficRouting,
)


def chart():
    return Chart(App(), "bad")


def app_set(scope, **extra):
    return MultiClusterAppSet(scope, "svc",
        clusters=ClusterSelector.all(), environments=["canary", "production"], environment_cluster_label="env",
        steps=[RollingSyncStep.where_in("env", ["canary"], MaxUpdate.count(1))],
        source=ApplicationSourceProps(repo_url="https://github.com/my-org/svc", path="k8s/{{.env}}"), destination_namespace="svc",
        **extra,
    )


def rollout_weight_150():
    c = chart()
    web = kplus.Deployment(c, "web", replicas=0, containers=[kplus.ContainerProps(image="nginx:1.27", port_number=8080)])
    return CanaryRollout(c, "rollout",
        workload=RolloutWorkload.from_deployment(web), replicas=3,
        traffic_routing=TrafficRouting.istio(virtual_service="svc", routes=["primary"]),
        steps=[CanaryStep.traffic_weight(150)],
    )


def synth_unmatched_application():
    c = chart()
    app_set(c, fleet=Fleet(clusters=[FleetClusterProps(name="seoul-1", server="https://seoul-1.example.com", labels={"env": "production"})]))
    return c.node.root.synth_yaml()


def stack(service_name="my-service"):
    return ProgressiveDeliveryStack(
        outdir="dist/gitops", service_name=service_name, repo_url="https://github.com/my-org/my-service-deploy",
        fleet=Fleet(clusters=[FleetClusterProps(name="seoul-1", server="https://seoul-1.example.com", labels={"env": "canary"})]),
        environments=["canary"], waves=[RollingSyncStep.where_in("env", ["canary"], MaxUpdate.count(1))],
    )


def stack_template_on_management():
    s = stack()
    success_rate = SuccessRateAnalysis(s.management, "success-rate",
        metadata=ApiObjectMetadata(name="success-rate"), cluster_scope=True, cluster_label="cluster",
        prometheus=PrometheusServer.from_address("http://prometheus-federation.monitoring.svc:9090"),
        threshold=0.95, interval=Duration.minutes(1), count=5,
    )
    web = kplus.Deployment(s.service, "web", replicas=0, containers=[kplus.ContainerProps(image="nginx:1.27", port_number=8080)])
    CanaryRollout(s.service, "rollout",
        metadata=ApiObjectMetadata(name="my-service"), workload=RolloutWorkload.from_deployment(web), replicas=3,
        traffic_routing=TrafficRouting.istio(virtual_service="my-service", routes=["primary"]),
        steps=[CanaryStep.traffic_weight(10), CanaryStep.analysis(templates=[success_rate], args={"service-name": "my-service"}, args_from={"cluster": s.cluster_arg})],
    )
    return s.synthesize_tree()


CASES = {
    "rollout-weight-150": rollout_weight_150,
    "appset-auto-sync": lambda: app_set(chart(), auto_sync=True),
    "prometheus-address-no-scheme": lambda: PrometheusServer.from_address("prometheus:9090"),
    "fleet-metrics-endpoint": lambda: Fleet(clusters=[FleetClusterProps(name="seoul-1", server="https://seoul-1.example.com", metrics_endpoint="http://prom:9090/x")]),
    "synth-unmatched-application": synth_unmatched_application,
    "stack-service-name": lambda: stack("My_Service"),
    "stack-template-on-management": stack_template_on_management,
}


def main():
    expected = json.load(open(sys.argv[1], encoding="utf-8"))
    if sorted(expected) != sorted(CASES):
        sys.exit(f"bad_props.py and bad_props.ts run different cases: {sorted(CASES)} vs {sorted(expected)}")
    for name, run in CASES.items():
        try:
            run()
        except Exception as e:  # jsii raises the JavaScript error as a Python RuntimeError
            ts = expected[name]
            if type(e) is not RuntimeError or str(e) not in (ts["message"], f"{ts['name']}: {ts['message']}"):
                sys.exit(f"{name}: the Python {type(e).__name__} differs from TypeScript's {ts['name']}\n"
                         f"  python:     {str(e)!r}\n  typescript: {ts['message']!r}")
            print(f"  {name}: {type(e).__name__}: {str(e)[:110]}...".replace("\n", " "))
        else:
            sys.exit(f"{name}: no exception in Python (TypeScript: {expected[name]['message']!r})")

    # The README's jsii caveat: inside a list of structs, a plain dict keeps camelCase keys but loses snake_case ones.
    bad = "http://prom:9090/x"
    try:
        Fleet(clusters=[{"name": "seoul-1", "server": "https://seoul-1.example.com", "metricsEndpoint": bad}])
        sys.exit("caveat: a camelCase key in a plain dict did not reach the library")
    except RuntimeError as e:
        assert "metricsEndpoint" in str(e), str(e)
    fleet = Fleet(clusters=[{"name": "seoul-1", "server": "https://seoul-1.example.com", "metrics_endpoint": bad}])
    if fleet.clusters[0].metrics_endpoint is not None:
        sys.exit("caveat no longer holds: a snake_case key in a plain dict reached the library; update the README")
    # ... while a dict given directly for a struct-typed prop becomes the struct (README: metadata={"name": ...}).
    direct = SuccessRateAnalysis(chart(), "direct", metadata={"name": "success-rate"}, cluster_scope=True,
        prometheus=PrometheusServer.from_address("https://prometheus.mgmt.example.com"), threshold=0.95,
        interval=Duration.minutes(1), count=5)
    if direct.api_object.name != "success-rate":
        sys.exit(f"caveat: metadata={{'name': ...}} as a plain dict did not reach the library ({direct.api_object.name}); update the README")
    # The README's other jsii note: a value of the wrong type is stopped by jsii's runtime type check (typeguard, on
    # unless python -O) with a TypeError before the library can reject it with its own message.
    try:
        CanaryStep.traffic_weight("10")
        sys.exit("a str weight passed jsii's type check; update the README")
    except TypeError as e:
        assert "weight" in str(e), str(e)
    print("  wrong type: jsii's runtime type check raises TypeError before the library sees the value (README)")
    print("  caveat: a plain dict in a list of structs keeps camelCase keys and drops snake_case ones; given directly it works (README)")
    print(f"bad-prop messages asserted: {len(CASES)} cases, each Python exception carries the TypeScript message")


if __name__ == "__main__":
    main()
