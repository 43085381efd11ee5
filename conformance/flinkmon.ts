/**
 * The Grafana that flinkmon's stacks set up, as the conformance check sees it: which files reach which path, the
 * environment the container gets, and the labels of Flink's metrics. `check` and `generate` run the check on it.
 */
import type { MonitoringConfig } from "../config/resolve.js";
import { ARTIFACT, type Artifacts } from "../artifacts/build.js";
import { CLUSTER_LABEL, SERVICE } from "../contract/services.js";
import { grafanaDockerEnvironment, grafanaEnvironment } from "../templates/grafana-env.js";
import { SCOPE_LABELS, scopeOfStoredName } from "../flink/naming.js";
import { checkGrafana, type Finding, type GrafanaInstance } from "./grafana/index.js";

const PROVISIONING = "grafana/provisioning/";

/**
 * Labels every Prometheus series gets from its scrape (or keeps from a push with honor_labels), the cluster's
 * among them (the scrape's target label, or the Pushgateway reporter's grouping key).
 */
const TARGET_LABELS = ["job", "instance", "quantile", CLUSTER_LABEL];

/**
 * Labels (Prometheus) or tags (InfluxDB) of a Flink metric, from the scope its name starts with. InfluxDB points
 * get the cluster tag from the reporter's additional variables (1.15+); grouping by it before is one group.
 */
export function flinkMetricLabels(name: string, store: "prometheus" | "influxdb"): readonly string[] | undefined {
  const scope = scopeOfStoredName(name, store);
  if (!scope) return undefined;
  return store === "prometheus" ? [...SCOPE_LABELS[scope], ...TARGET_LABELS] : [...SCOPE_LABELS[scope], CLUSTER_LABEL];
}

function environmentNames(names: readonly { readonly name: string }[]): Set<string> {
  return new Set(names.map((e) => e.name));
}

/** Grafana of the Docker stack: provisioning under its provisioning folder, dashboards under the provider's path. */
export function dockerGrafana(
  config: MonitoringConfig,
  artifacts: Artifacts,
  documents: ReadonlyMap<string, unknown> = new Map(),
): GrafanaInstance {
  const env = grafanaEnvironment(config);
  const docker = grafanaDockerEnvironment([...env.server, ...env.provisioning]);
  const dashboards = `${ARTIFACT.grafanaDashboardsDir}/`;
  return {
    provisioning: new Map(
      [...artifacts].filter(([p]) => p.startsWith(PROVISIONING)).map(([p, c]) => [p.slice(PROVISIONING.length), c]),
    ),
    parsed: new Map(
      [...documents].filter(([p]) => p.startsWith(PROVISIONING)).map(([p, d]) => [p.slice(PROVISIONING.length), d]),
    ),
    files: new Map(
      [...artifacts]
        .filter(([p]) => p.startsWith(dashboards))
        .map(([p, c]) => [`${SERVICE.grafana.dashboardsDir}/${p.slice(dashboards.length)}`, c]),
    ),
    environment: environmentNames(docker.env),
    metricLabels: flinkMetricLabels,
  };
}

/**
 * kube-prometheus-stack's sidecar: it copies every ConfigMap labelled grafana_dashboard into its folder (a
 * subfolder per grafana_folder annotation) and the provider it writes reads that folder (grafana chart
 * values.yaml: sidecar.dashboards.folder "/tmp/dashboards", provider foldersFromFilesStructure).
 */
const SIDECAR_DASHBOARDS = "/tmp/dashboards";

/** Grafana of the Kubernetes target: the chart's own Prometheus data source, flinkmon's ConfigMaps and env Secret. */
export function kubernetesGrafana(config: MonitoringConfig, artifacts: Artifacts): GrafanaInstance {
  const files = new Map<string, string>();
  for (const [path, content] of artifacts) {
    const m = /^grafana\/dashboards\/(\w+)\/(.+)\.json$/.exec(path);
    if (m) files.set(`${SIDECAR_DASHBOARDS}/${config.grafana.folder}/${m[2]}-${m[1]}.json`, content);
  }
  const provider = `apiVersion: 1\nproviders:\n  - name: sidecarProvider\n    type: file\n    options:\n      path: ${SIDECAR_DASHBOARDS}\n      foldersFromFilesStructure: true\n`;
  return {
    provisioning: new Map([
      ["datasources/flinkmon-datasources.yaml", artifacts.get(ARTIFACT.k8sGrafanaDatasources) ?? ""],
      ["dashboards/sidecar.yaml", provider],
    ]),
    files,
    environment: environmentNames(grafanaEnvironment(config).provisioning),
    // The chart provisions its own default Prometheus data source (uid "prometheus").
    extraDatasources: [{ uid: "prometheus", type: "prometheus" }],
    metricLabels: flinkMetricLabels,
  };
}

/** The Grafana of the configured target, checked. */
/** `documents`: build()'s parsed form of `artifacts`, where they are build()'s own (not files read from disk). */
export function grafanaFindings(
  config: MonitoringConfig,
  artifacts: Artifacts,
  documents?: ReadonlyMap<string, unknown>,
): Finding[] {
  return checkGrafana(
    config.target === "kubernetes" ? kubernetesGrafana(config, artifacts) : dockerGrafana(config, artifacts, documents),
  );
}
