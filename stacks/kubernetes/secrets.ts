/** Secrets the charts read: Grafana's admin login and environment, InfluxDB's users; values from sensitive variables. */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1/index.js";
import type { MonitoringConfig } from "../../config/resolve.js";
import { grafanaEnvironment } from "../../templates/grafana-env.js";
import type { SecretVariable } from "../../contract/grafana.js";
import { SECRET_VARIABLES, type Secrets } from "../secrets.js";
import { address, SECRET } from "./address.js";

export interface KubernetesSecretsProps {
  readonly config: MonitoringConfig;
  readonly secrets: Secrets;
  /**
   * What must exist first (the namespace, when flinkmon owns it).
   * @default nothing
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class KubernetesSecrets extends Construct {
  readonly resources: SecretV1[];

  constructor(scope: Construct, props: KubernetesSecretsProps) {
    super(scope, "kubernetes-secrets");
    const config = props.config;
    const ns = config.kubernetes.namespace;
    const created: SecretV1[] = [];
    const secret = (id: string, name: string, data: Record<string, string>) =>
      created.push(
        address(
          new SecretV1(this, id, {
            metadata: { name, namespace: ns, labels: { "app.kubernetes.io/part-of": "flinkmon" } },
            data,
            dependsOn: [...(props.dependsOn ?? [])],
          }),
          id,
        ),
      );
    const pw = (v: SecretVariable) => props.secrets.ref(v);
    secret("grafana_admin_secret", SECRET.grafanaAdmin, {
      "admin-user": config.grafana.adminUser,
      "admin-password": pw(SECRET_VARIABLES.grafanaAdmin),
    });
    // Everything Grafana's provisioning files and alert delivery read from the environment (envFromSecrets).
    const env = grafanaEnvironment(config).provisioning;
    secret(
      "grafana_env_secret",
      SECRET.grafanaEnv,
      Object.fromEntries(env.map((e) => [e.name, e.secret ? pw(e.secret) : e.value])),
    );
    if (config.stores.influxdb) {
      secret("influxdb_auth_secret", SECRET.influxdb, {
        "influxdb-user": config.influxdb.adminUser,
        "influxdb-password": pw(SECRET_VARIABLES.influxdbAdmin),
        "write-password": pw(SECRET_VARIABLES.influxdbFlink),
        "read-password": pw(SECRET_VARIABLES.influxdbGrafana),
      });
    }
    this.resources = created;
  }
}
