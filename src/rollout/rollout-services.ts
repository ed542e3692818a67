import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { portProblems } from '../core/bounds';
import { checkDns1123Label } from '../core/names';
import { Problem, show, throwIfProblems } from '../core/problem';

/**
 * What the Services of a rollout (canary/stable or active/preview) are bound to: the rollout they serve.
 *
 * @internal
 */
export interface RolloutServicesHost {
  readonly scope: Construct;
  /** `metadata.name` of the Rollout. */
  readonly rolloutName: string;
  /** `metadata.namespace` of the Rollout as given. */
  readonly namespace?: string;
  readonly selectorLabels: { [key: string]: string };
  /** The workload's first container port. */
  readonly containerPort?: number;
}

/**
 * Creates Services that select the rollout's pod labels (the controller adds the `rollouts-pod-template-hash`
 * selector at runtime), all on one port whose traffic goes to the container port. Throws a `ValidationError` for a
 * bad or missing port.
 *
 * @param host the rollout
 * @param ports the Service port and target port as given
 * @param services construct id and name of each Service
 * @param factory the factory to name in a fix, e.g. `CanaryServices.create`
 * @internal
 */
export function createRolloutServices(
  host: RolloutServicesHost,
  ports: { readonly port?: number; readonly targetPort?: number },
  services: ReadonlyArray<{ readonly id: string; readonly name: string }>,
  factory: string,
): { readonly services: kplus.Service[]; readonly port: number } {
  const port = ports.port ?? host.containerPort;
  const fix = 'use a whole TCP port number';
  throwIfProblems(host.scope, [
    ...(ports.port !== undefined ? portProblems('services.port', ports.port, fix) : []),
    ...(ports.port === undefined && host.containerPort !== undefined
      ? portProblems('services.port', host.containerPort, fix, `${show(host.containerPort)} (the workload's first container port)`) : []),
    ...(ports.targetPort !== undefined ? portProblems('services.targetPort', ports.targetPort, fix) : []),
  ]);
  if (port === undefined) {
    throwIfProblems(host.scope, [{
      prop: 'services.port',
      given: 'missing',
      expected: 'a Service port (the workload\'s containers expose none)',
      fix: `pass ${factory}({ port }) or give the container a portNumber`,
    }]);
  }
  const created = services.map(({ id, name }) => {
    const svc = new kplus.Service(host.scope, id, {
      metadata: { name, namespace: host.namespace },
      // traffic goes to the container port, whatever port the Service exposes
      ports: [{ port: port!, targetPort: ports.targetPort ?? host.containerPort ?? port! }],
    });
    for (const [k, v] of Object.entries(host.selectorLabels)) svc.selectLabel(k, v);
    return svc;
  });
  return { services: created, port: port! };
}

/**
 * A Service name that is not a DNS-1123 label.
 *
 * @internal
 */
export function serviceNameProblems(prop: string, name: string, fix: string, expected = 'a Service name'): Problem[] {
  const err = checkDns1123Label(name);
  return err ? [{ prop, given: show(name), expected: `${expected}: ${err}`, fix }] : [];
}
