/**
 * build(config): every artifact flinkmon writes, as relative path → content. Pure: the same config gives the
 * same bytes. generate writes it, check compares it, diff builds two, the stacks upload it into containers.
 */
import { deliveryWarnings, exposureWarnings, type MonitoringConfig } from "../config/resolve.js";
import { renderFlinkConf, type RenderedFlinkConf } from "../templates/flink-conf.js";
import { metricsRead } from "./metrics-read.js";
import type { MetricDef } from "../flink/catalog.js";
import { dashboardFiles } from "../dashboards/index.js";
import { customMetricWarnings } from "../flink/custom-metrics.js";
import { kubernetesFiles, K8S_FILES } from "../templates/kubernetes/files.js";
import { prometheusRulesFile } from "../dashboards/alerts/prometheus-rules.js";
import {
  grafanaAlertingDocument,
  grafanaAlertingFile,
  alertDeliveryWarnings,
} from "../dashboards/alerts/grafana-alerting.js";
import {
  prometheusYml,
  grafanaDatasources,
  grafanaDashboardProvider,
  influxdbConf,
  influxdbInit,
} from "../templates/stores.js";

/** Output paths other parts of the product rely on (the stacks upload them; reviewers read them). */
export const ARTIFACT = {
  prometheusConfig: "prometheus/prometheus.yml",
  prometheusRules: "prometheus/rules/flinkmon-alerts.rules.yml",
  grafanaDatasources: "grafana/provisioning/datasources/flinkmon.yaml",
  grafanaDashboardProvider: "grafana/provisioning/dashboards/flinkmon.yaml",
  grafanaAlerting: "grafana/provisioning/alerting/flinkmon-alerts.yaml",
  grafanaDashboardsDir: "grafana/dashboards",
  influxdbConfig: "influxdb/influxdb.conf",
  influxdbInit: "influxdb/init/01-flinkmon.iql",
  k8sGrafanaDatasources: K8S_FILES.grafanaDatasources,
} as const;

/** Relative path (always "/"-separated) → file content. Iteration order is sorted by path. */
export type Artifacts = ReadonlyMap<string, string>;

export interface BuildResult {
  readonly artifacts: Artifacts;
  /**
   * The data some YAML artifacts were written from, by path, as parsing their text gives it back (a test holds
   * them equal): the Grafana check reads these instead of parsing what build() just wrote.
   */
  readonly documents: ReadonlyMap<string, unknown>;
  /** Things the user should know that are not errors (known Flink traps). */
  readonly warnings: readonly string[];
}

/** The files whose queries read Flink's metrics: dashboards, alert rules, recording rules. */
function readingFiles(config: MonitoringConfig, alerting = grafanaAlertingDocument(config)): Map<string, string> {
  const files = new Map<string, string>();
  if (config.stores.prometheus) files.set(ARTIFACT.prometheusRules, prometheusRulesFile(config));
  files.set(ARTIFACT.grafanaAlerting, grafanaAlertingFile(config, alerting));
  for (const [path, content] of dashboardFiles(config)) files.set(path, content);
  return files;
}

/** The metrics the generated dashboards, alert rules and recording rules read (what the reporter filters keep). */
export function metricsReadByFiles(config: MonitoringConfig): MetricDef[] {
  return metricsRead(config, [...readingFiles(config).values()]);
}

/** The Flink configuration, its reporters filtered to what the other files read (`conf` prints this too). */
export function flinkConfFor(config: MonitoringConfig, reading = readingFiles(config)): RenderedFlinkConf {
  return renderFlinkConf(config, metricsRead(config, [...reading.values()]));
}

export function build(config: MonitoringConfig): BuildResult {
  const alerting = grafanaAlertingDocument(config);
  const files = readingFiles(config, alerting);
  const warnings: string[] = [];

  const flinkConf = flinkConfFor(config, files);
  files.set(flinkConf.file, flinkConf.content);
  warnings.push(
    ...flinkConf.warnings,
    ...customMetricWarnings(config),
    ...alertDeliveryWarnings(config),
    ...deliveryWarnings(config),
    ...exposureWarnings(config),
  );

  if (config.stores.prometheus) {
    files.set(ARTIFACT.prometheusConfig, prometheusYml(config));
  }
  if (config.stores.influxdb) {
    files.set(ARTIFACT.influxdbConfig, influxdbConf());
    files.set(ARTIFACT.influxdbInit, influxdbInit(config));
  }
  files.set(ARTIFACT.grafanaDatasources, grafanaDatasources(config));
  files.set(ARTIFACT.grafanaDashboardProvider, grafanaDashboardProvider(config));
  if (config.target === "kubernetes") for (const [path, content] of kubernetesFiles(config)) files.set(path, content);

  const sorted = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  // As YAML gives it back: keys with undefined values are not written.
  const documents = new Map([[ARTIFACT.grafanaAlerting, JSON.parse(JSON.stringify(alerting)) as unknown]]);
  return { artifacts: sorted, documents, warnings };
}
