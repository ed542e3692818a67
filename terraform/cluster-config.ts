import { DataKubernetesSecretV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1';
import { TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { FleetClusterProps, ValidationError } from 'cdk8s-progressive-delivery';

/**
 * The cluster a `ClusterConfig` supplies the connection config for.
 */
export interface ClusterConfigContext {
  /** The fleet cluster. */
  readonly cluster: FleetClusterProps;
  /** The cluster name as Argo CD normalizes it (`Fleet.normalizeClusterName`). */
  readonly normalizedName: string;
  /** The same name as a Terraform identifier (`-` and `.` replaced by `_`). */
  readonly identifier: string;
}

/**
 * Where the `config` of an Argo CD cluster Secret comes from: the JSON with `bearerToken`, `tlsClientConfig`,
 * `execProviderConfig` or `awsAuthConfig` (Argo CD's declarative setup, "Clusters"). It is always a Terraform
 * reference resolved at plan time — a sensitive variable or a data source — never a value: the synthesized files hold
 * no credential. Terraform state does hold the Secret's `data` (as for any `kubernetes_secret_v1`): protect the state.
 */
export abstract class ClusterConfig {
  /**
   * One sensitive Terraform variable per cluster, `<prefix><cluster>`, e.g. `argocd_cluster_config_seoul_1`, without
   * a default (set it with `TF_VAR_argocd_cluster_config_seoul_1` or a `.tfvars` file that is not committed).
   *
   * @param variablePrefix the variable name prefix
   * @default variablePrefix 'argocd_cluster_config_'
   */
  public static fromSensitiveVariables(variablePrefix = 'argocd_cluster_config_'): ClusterConfig {
    return new SensitiveVariablesConfig(variablePrefix);
  }

  /**
   * A Secret that already exists on the management cluster (e.g. written by External Secrets or Vault Secrets
   * Operator), read with a `kubernetes_secret_v1` data source: the Secret `<namePrefix><normalized cluster name>` in
   * `namespace`, key `key`.
   *
   * @param namespace the namespace of the source Secrets
   * @param namePrefix prefix of the source Secret names
   * @param key the data key holding the config JSON
   */
  public static fromExistingSecrets(namespace: string, namePrefix = 'argocd-cluster-config-', key = 'config'): ClusterConfig {
    return new ExistingSecretsConfig(namespace, namePrefix, key);
  }

  /**
   * Any Terraform expression, e.g. built from another provider's data sources (`Fn.jsonencode({...})` of an EKS
   * cluster's CA and an `aws_eks_cluster_auth` token). The result must be an unresolved Terraform token: a literal
   * string would be written into the synthesized JSON and is rejected.
   *
   * @param render returns the config expression for a cluster; may define data sources in `scope`
   */
  public static fromExpression(render: (scope: Construct, context: ClusterConfigContext) => string): ClusterConfig {
    return new ExpressionConfig(render);
  }

  /**
   * Returns the Terraform expression of the cluster's config (a token).
   *
   * @internal
   */
  public abstract _bind(scope: Construct, context: ClusterConfigContext): string;
}

class SensitiveVariablesConfig extends ClusterConfig {
  constructor(private readonly prefix: string) {
    super();
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(prefix)) {
      throw new ValidationError('ClusterConfig.fromSensitiveVariables', {
        prop: 'variablePrefix',
        given: JSON.stringify(prefix),
        expected: 'the start of a Terraform identifier (a letter or _, then letters, digits, _ or -)',
        fix: 'use e.g. "argocd_cluster_config_"',
      });
    }
  }

  public _bind(scope: Construct, context: ClusterConfigContext): string {
    const variable = new TerraformVariable(scope, `${this.prefix}${context.identifier}`, {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: `The config JSON of the Argo CD cluster Secret of ${context.cluster.name} (see Argo CD's declarative setup, Clusters)`,
    });
    // the variable's name in the configuration is its construct id, not a path-derived unique id
    variable.overrideLogicalId(`${this.prefix}${context.identifier}`);
    return variable.stringValue;
  }
}

class ExistingSecretsConfig extends ClusterConfig {
  constructor(private readonly namespace: string, private readonly namePrefix: string, private readonly key: string) {
    super();
    const problem = !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace) ? ['namespace', namespace, 'a namespace name (DNS-1123 label)']
      : !/^[-._a-zA-Z0-9]+$/.test(key) ? ['key', key, 'a Secret data key (letters, digits, -, _ or .)']
        : !/^([a-z0-9][-a-z0-9.]*)?$/.test(namePrefix) ? ['namePrefix', namePrefix, 'the start of a Secret name (lowercase letters, digits, - or .)']
          : undefined;
    if (problem) {
      throw new ValidationError('ClusterConfig.fromExistingSecrets', {
        prop: problem[0], given: JSON.stringify(problem[1]), expected: problem[2], fix: 'name the Secrets that hold the cluster configs',
      });
    }
  }

  public _bind(scope: Construct, context: ClusterConfigContext): string {
    const source = new DataKubernetesSecretV1(scope, `config-${context.normalizedName}`, {
      metadata: { name: `${this.namePrefix}${context.normalizedName}`, namespace: this.namespace },
    });
    return Token.asString(source.data.lookup(this.key));
  }
}

class ExpressionConfig extends ClusterConfig {
  constructor(private readonly render: (scope: Construct, context: ClusterConfigContext) => string) {
    super();
  }

  public _bind(scope: Construct, context: ClusterConfigContext): string {
    const value = this.render(scope, context);
    if (!Token.isUnresolved(value)) {
      throw new ValidationError(scope, {
        prop: 'config',
        given: `a literal ${typeof value} for cluster ${JSON.stringify(context.cluster.name)} (value not shown)`,
        expected: 'a Terraform expression (a token of a variable, data source or function), resolved at plan time',
        fix: 'never pass credentials as values: use a sensitive TerraformVariable or a data source',
      });
    }
    return value;
  }
}
