/**
 * The Kubernetes target: the same monitoring on the Prometheus Operator (reference kubernetes.md). With
 * kubernetes.installPrometheusOperator, kube-prometheus-stack is installed and the PodMonitors and the
 * PrometheusRule travel in its values (no custom resources in the plan before their CRDs exist); otherwise they are
 * kubernetes_manifest objects for the operator already in the cluster. Dashboards and data sources are ConfigMaps
 * for Grafana's sidecars; passwords are Secrets fed from sensitive variables.
 */
import { Construct } from "constructs";
import { TerraformStack, LocalBackend, type ITerraformDependable } from "cdktf";
import { stringify } from "yaml";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider/index.js";
import { Release } from "@cdktf/provider-helm/lib/release/index.js";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider/index.js";
import { SecretV1 } from "@cdktf/provider-kubernetes/lib/secret-v1/index.js";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1/index.js";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1/index.js";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest/index.js";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1/index.js";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1/index.js";
import { scrapesFlink, type MonitoringConfig } from "../config/resolve.js";
import { K8S_SERVICE, SERVICE } from "../contract/services.js";
import { formatDuration } from "../config/duration.js";
import { ARTIFACT, type Artifacts } from "../artifacts/build.js";
import { grafanaEnvironment, grafanaSecrets } from "../templates/grafana-env.js";
import type { SecretVariable } from "../contract/grafana.js";
import {
  flinkPodMonitor,
  pushgatewayPodMonitor,
  prometheusRule,
  RELEASE,
  type K8sObject,
} from "../templates/kubernetes/manifests.js";
import { IMAGES } from "./images.js";
import { CHARTS } from "./charts.js";
import { Secrets, SECRET_VARIABLES } from "./secrets.js";

export const KUBERNETES_STACK_NAME = "flinkmon-kubernetes";

export interface KubernetesStackProps {
  readonly config: MonitoringConfig;
  readonly artifacts: Artifacts;
}

const SECRET = {
  grafanaAdmin: "flinkmon-grafana-admin",
  grafanaEnv: "flinkmon-grafana-env",
  influxdb: "flinkmon-influxdb-auth",
} as const;

/** Fixes a construct's Terraform address: renaming it would destroy the resource. */
function address<T extends { overrideLogicalId(id: string): void }>(resource: T, id: string): T {
  resource.overrideLogicalId(id);
  return resource;
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
    const secretResources = this.secrets(config, secrets, namespace ? [namespace] : []);
    const kps = namespace ? this.prometheusOperator(config, [namespace, ...secretResources]) : undefined;
    const after = kps ? [kps] : [];
    if (!kps) this.customResources(config);
    if (config.stores.pushgateway) this.pushgateway(config, after);
    if (config.stores.influxdb)
      this.influxdb(config, artifacts.get(ARTIFACT.influxdbInit)!, [...after, ...secretResources]);

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

  /** kube-prometheus-stack with Prometheus, Grafana and Alertmanager; flinkmon's PodMonitors and rules in its values. */
  private prometheusOperator(config: MonitoringConfig, dependsOn: ITerraformDependable[]): Release {
    const k = config.kubernetes;
    const interval = formatDuration(config.prometheus.scrapeIntervalSeconds);
    const pvc = (size: string) => ({
      spec: {
        ...(k.storageClass ? { storageClassName: k.storageClass } : {}),
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: size } },
      },
    });
    const podMonitors = [
      ...(scrapesFlink(config) ? [flinkPodMonitor(config)] : []),
      ...(config.stores.pushgateway ? [pushgatewayPodMonitor(config)] : []),
    ].map((pm) => ({ name: pm.metadata.name, additionalLabels: pm.metadata.labels, ...pm.spec }));
    const values = {
      fullnameOverride: RELEASE,
      prometheus: {
        prometheusSpec: {
          retention: formatDuration(config.prometheus.retentionSeconds),
          scrapeInterval: interval,
          evaluationInterval: interval,
          podMonitorSelectorNilUsesHelmValues: false,
          ruleSelectorNilUsesHelmValues: false,
          storageSpec: { volumeClaimTemplate: pvc(k.storage.prometheus) },
          resources: { requests: { memory: k.prometheusMemory } },
          remoteWrite: k.remoteWrite,
        },
        additionalPodMonitors: podMonitors,
      },
      additionalPrometheusRulesMap: { alerts: { groups: prometheusRule(config).spec!.groups } },
      grafana: {
        admin: { existingSecret: SECRET.grafanaAdmin, userKey: "admin-user", passwordKey: "admin-password" },
        envFromSecrets: [{ name: SECRET.grafanaEnv }],
        persistence: {
          enabled: true,
          size: k.storage.grafana,
          ...(k.storageClass ? { storageClassName: k.storageClass } : {}),
        },
        "grafana.ini": {
          "auth.anonymous": { enabled: false },
          users: { allow_sign_up: false },
          analytics: { reporting_enabled: false },
        },
        sidecar: { dashboards: { folderAnnotation: "grafana_folder", provider: { foldersFromFilesStructure: true } } },
      },
    };
    return address(
      new Release(this, "kube-prometheus-stack", {
        name: RELEASE,
        chart: CHARTS.kubePrometheusStack.chart,
        repository: CHARTS.kubePrometheusStack.repository,
        version: CHARTS.kubePrometheusStack.version,
        namespace: k.namespace,
        values: [stringify(values, { sortMapEntries: true, lineWidth: 0 })],
        timeout: 900,
        dependsOn,
      }),
      "kube_prometheus_stack",
    );
  }

  /** PodMonitors and the PrometheusRule for an operator that already runs (its CRDs exist at plan time). */
  private customResources(config: MonitoringConfig): void {
    const objects: [string, K8sObject][] = [];
    if (scrapesFlink(config)) objects.push(["podmonitor_flink", flinkPodMonitor(config)]);
    if (config.stores.pushgateway) objects.push(["podmonitor_pushgateway", pushgatewayPodMonitor(config)]);
    objects.push(["prometheusrule_flinkmon", prometheusRule(config)]);
    for (const [id, manifest] of objects)
      address(new Manifest(this, id, { manifest: manifest as unknown as Record<string, unknown> }), id);
  }

  private secrets(config: MonitoringConfig, secrets: Secrets, dependsOn: ITerraformDependable[]): SecretV1[] {
    const ns = config.kubernetes.namespace;
    const created: SecretV1[] = [];
    const secret = (id: string, name: string, data: Record<string, string>) =>
      created.push(
        address(
          new SecretV1(this, id, {
            metadata: { name, namespace: ns, labels: { "app.kubernetes.io/part-of": "flinkmon" } },
            data,
            dependsOn,
          }),
          id,
        ),
      );
    const pw = (v: SecretVariable) => secrets.ref(v);
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
    return created;
  }

  private pushgateway(config: MonitoringConfig, after: Release[]): void {
    const ns = config.kubernetes.namespace;
    const labels = { "app.kubernetes.io/name": K8S_SERVICE.pushgateway, "app.kubernetes.io/part-of": "flinkmon" };
    address(
      new DeploymentV1(this, "pushgateway", {
        metadata: { name: K8S_SERVICE.pushgateway, namespace: ns, labels },
        spec: {
          replicas: "1",
          selector: { matchLabels: { "app.kubernetes.io/name": K8S_SERVICE.pushgateway } },
          template: {
            metadata: { labels },
            spec: {
              container: [
                {
                  name: "pushgateway",
                  image: IMAGES.pushgateway,
                  args: [`--persistence.file=${SERVICE.pushgateway.dataDir}/metrics.db`],
                  port: [{ name: "http", containerPort: SERVICE.pushgateway.port }],
                  volumeMount: [{ name: "data", mountPath: SERVICE.pushgateway.dataDir }],
                  livenessProbe: { httpGet: { path: "/-/healthy", port: "http" } },
                  readinessProbe: { httpGet: { path: "/-/ready", port: "http" } },
                  resources: {
                    requests: { memory: "64Mi", cpu: "50m" },
                    limits: { memory: `${config.pushgateway.memoryMb ?? SERVICE.pushgateway.memoryMb}Mi` },
                  },
                },
              ],
              volume: [{ name: "data", emptyDir: {} }],
            },
          },
        },
        dependsOn: after,
      }),
      "pushgateway_deployment",
    );
    address(
      new ServiceV1(this, "pushgateway-service", {
        metadata: { name: K8S_SERVICE.pushgateway, namespace: ns, labels },
        spec: {
          selector: { "app.kubernetes.io/name": K8S_SERVICE.pushgateway },
          port: [{ name: "http", port: SERVICE.pushgateway.port, targetPort: "http" }],
        },
        dependsOn: after,
      }),
      "pushgateway_service",
    );
  }

  /** InfluxDB 1.x chart with auth, persistent storage and the same init script the Docker stack ships. */
  private influxdb(config: MonitoringConfig, initScript: string, after: ITerraformDependable[]): void {
    const k = config.kubernetes;
    const fromSecret = (key: string) => ({ valueFrom: { secretKeyRef: { name: SECRET.influxdb, key } } });
    const values = {
      fullnameOverride: K8S_SERVICE.influxdb,
      image: { repository: "influxdb", tag: `${IMAGES.influxdb.split(":")[1]}-alpine` },
      // 1.11.7+ images run as uid/gid 1500; the chart sets no securityContext.
      securityContext: { fsGroup: 1500 },
      setDefaultUser: { enabled: true, user: { existingSecret: SECRET.influxdb } },
      config: {
        http: { enabled: true, "bind-address": ":8086", "auth-enabled": true, "flux-enabled": false },
        reporting_disabled: true,
      },
      persistence: {
        enabled: true,
        size: k.storage.influxdb,
        ...(k.storageClass ? { storageClass: k.storageClass } : {}),
      },
      env: [
        { name: "INFLUXDB_DB", value: config.influxdb.database },
        { name: "INFLUXDB_WRITE_USER", value: config.influxdb.writeUser },
        { name: "INFLUXDB_WRITE_USER_PASSWORD", ...fromSecret("write-password") },
        { name: "INFLUXDB_READ_USER", value: config.influxdb.readUser },
        { name: "INFLUXDB_READ_USER_PASSWORD", ...fromSecret("read-password") },
      ],
      initScripts: { enabled: true, scripts: { "01-flinkmon.iql": initScript } },
    };
    address(
      new Release(this, "influxdb", {
        name: K8S_SERVICE.influxdb,
        chart: CHARTS.influxdb.chart,
        repository: CHARTS.influxdb.repository,
        version: CHARTS.influxdb.version,
        namespace: k.namespace,
        values: [stringify(values, { sortMapEntries: true, lineWidth: 0 })],
        dependsOn: after,
      }),
      "influxdb",
    );
  }
}
