/**
 * The Kubernetes target: the same monitoring on the Prometheus Operator (reference kubernetes.md). With
 * kubernetes.installPrometheusOperator, kube-prometheus-stack is installed and the PodMonitors and the
 * PrometheusRule travel in its values (no custom resources in the plan before their CRDs exist); otherwise they are
 * kubernetes_manifest objects for the operator already in the cluster. Dashboards and data sources are ConfigMaps
 * for Grafana's sidecars; passwords are Secrets fed from sensitive variables.
 */
import { Construct } from "constructs";
import { TerraformStack, LocalBackend } from "cdktf";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider/index.js";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider/index.js";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1/index.js";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1/index.js";
import type { MonitoringConfig } from "../config/resolve.js";
import { ARTIFACT, type Artifacts } from "../artifacts/build.js";
import { grafanaEnvironment, grafanaSecrets } from "../templates/grafana-env.js";
import { Secrets, SECRET_VARIABLES } from "./secrets.js";
import { address } from "./kubernetes/address.js";
import { KubernetesSecrets } from "./kubernetes/secrets.js";
import { PrometheusOperator } from "./kubernetes/prometheus-operator.js";
import { OperatorResources } from "./kubernetes/operator-resources.js";
import { PushgatewayDeployment } from "./kubernetes/pushgateway.js";
import { InfluxDbRelease } from "./kubernetes/influxdb.js";

export const KUBERNETES_STACK_NAME = "flinkmon-kubernetes";

export interface KubernetesStackProps {
  readonly config: MonitoringConfig;
  readonly artifacts: Artifacts;
}

export class KubernetesStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: KubernetesStackProps) {
    super(scope, id);
    const { config, artifacts } = props;
    const k = config.kubernetes;
    const ns = k.namespace;
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    const cluster = { configPath: k.kubeconfig, configContext: k.context };
    new KubernetesProvider(this, "kubernetes", cluster);
    new HelmProvider(this, "helm", { kubernetes: cluster });
    const grafanaEnv = grafanaEnvironment(config);
    const influxSecrets = config.stores.influxdb
      ? [SECRET_VARIABLES.influxdbAdmin, SECRET_VARIABLES.influxdbFlink, SECRET_VARIABLES.influxdbGrafana]
      : [];
    // The chart takes the admin password from its own Secret; the server settings go into grafana.ini values.
    const secrets = new Secrets(this, [
      SECRET_VARIABLES.grafanaAdmin,
      ...grafanaSecrets(grafanaEnv.provisioning),
      ...influxSecrets,
    ]);

    // Installing: flinkmon owns the namespace; Secrets exist before the chart's Grafana pod needs them.
    const namespace = k.installPrometheusOperator
      ? address(
          new NamespaceV1(this, "namespace", {
            metadata: { name: ns, labels: { "app.kubernetes.io/part-of": "flinkmon" } },
          }),
          "namespace",
        )
      : undefined;
    const secretResources = new KubernetesSecrets(this, {
      config,
      secrets,
      dependsOn: namespace ? [namespace] : undefined,
    }).resources;
    const kps = namespace
      ? new PrometheusOperator(this, { config, dependsOn: [namespace, ...secretResources] }).release
      : undefined;
    const after = kps ? [kps] : [];
    if (!kps) new OperatorResources(this, { config });
    if (config.stores.pushgateway) new PushgatewayDeployment(this, { config, dependsOn: after });
    if (config.stores.influxdb)
      new InfluxDbRelease(this, {
        config,
        initScript: artifacts.get(ARTIFACT.influxdbInit)!,
        dependsOn: [...after, ...secretResources],
      });

    for (const [path, content] of artifacts) {
      const m = /^grafana\/dashboards\/(\w+)\/(.+)\.json$/.exec(path);
      if (!m) continue;
      address(
        new ConfigMapV1(this, `dashboard-${m[1]}-${m[2]}`, {
          metadata: {
            name: `flinkmon-${m[2]}-${m[1]}`,
            namespace: ns,
            labels: { grafana_dashboard: "1", "app.kubernetes.io/part-of": "flinkmon" },
            annotations: { grafana_folder: config.grafana.folder },
          },
          data: { [`${m[2]}-${m[1]}.json`]: content },
          dependsOn: after,
        }),
        `dashboard_${m[1]}_${m[2]!.replace(/-/g, "_")}`,
      );
    }
    address(
      new ConfigMapV1(this, "datasources", {
        metadata: {
          name: "flinkmon-datasources",
          namespace: ns,
          labels: { grafana_datasource: "1", "app.kubernetes.io/part-of": "flinkmon" },
        },
        data: { "flinkmon-datasources.yaml": artifacts.get(ARTIFACT.k8sGrafanaDatasources)! },
        dependsOn: after,
      }),
      "grafana_datasources",
    );
  }
}
