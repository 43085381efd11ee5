/**
 * The files the monitoring servers read: prometheus.yml, Grafana provisioning, InfluxDB config and init.
 * Data computed here from MonitoringConfig; the .hbs files beside this one lay it out.
 */
import { scrapesFlink, type MonitoringConfig, type ScrapeTargets } from "../config/resolve.js";
import { formatDuration } from "../config/duration.js";
import { renderTemplate } from "./render.js";
import { PROMETHEUS_FLINK_SERIES } from "../flink/naming.js";
import { GRAFANA_ENV } from "../contract/grafana.js";
import { SERVICE, DATASOURCE_UID, FLINK_SCRAPE_JOB, CLUSTER_LABEL } from "../contract/services.js";

/** Template data of a scrape job's targets: a static list, or a DNS name Prometheus resolves to every address. */
function scrapeTargets(targets: ScrapeTargets): { targets?: readonly string[]; dns?: { name: string; port: number } } {
  return targets.kind === "static"
    ? { targets: targets.addresses }
    : { dns: { name: targets.name, port: targets.port } };
}

export function prometheusYml(config: MonitoringConfig): string {
  const interval = config.prometheus.scrapeIntervalSeconds;
  const scrapeFlink = scrapesFlink(config);
  const flinkJobs = scrapeFlink
    ? [
        {
          name: FLINK_SCRAPE_JOB.jobmanager,
          component: "jobmanager",
          ...scrapeTargets(config.prometheus.scrape.jobmanagers),
        },
        {
          name: FLINK_SCRAPE_JOB.taskmanager,
          component: "taskmanager",
          ...scrapeTargets(config.prometheus.scrape.taskmanagers),
        },
      ]
    : [];
  return renderTemplate("prometheus/prometheus.yml", {
    scrapeInterval: formatDuration(interval),
    scrapeTimeout: formatDuration(Math.min(10, interval)),
    flinkJobs,
    clusterLabel: CLUSTER_LABEL,
    cluster: config.flink.cluster,
    pushgateway: config.stores.pushgateway ? `${SERVICE.pushgateway.host}:${SERVICE.pushgateway.port}` : false,
    dropPushedFlink: scrapeFlink ? PROMETHEUS_FLINK_SERIES : false,
  });
}

/** Where Grafana reaches the stores: the Docker network by default, in-cluster Services on Kubernetes. */
export interface DatasourcePlacement {
  /** Undefined: no Prometheus data source. */
  readonly prometheusUrl?: string;
  readonly influxdbUrl: string;
  /** Make one of ours Grafana's default data source (not on Kubernetes, where the chart already has one). */
  readonly setDefault: boolean;
}

const DOCKER_PLACEMENT = (config: MonitoringConfig): DatasourcePlacement => ({
  prometheusUrl: config.stores.prometheus ? `http://${SERVICE.prometheus.host}:${SERVICE.prometheus.port}` : undefined,
  influxdbUrl: `http://${SERVICE.influxdb.host}:${SERVICE.influxdb.port}`,
  setDefault: true,
});

/** Grafana data source provisioning for both targets; the password is read from Grafana's environment. */
export function grafanaDatasources(
  config: MonitoringConfig,
  placement: DatasourcePlacement = DOCKER_PLACEMENT(config),
): string {
  const timeInterval = formatDuration(config.prometheus.scrapeIntervalSeconds);
  const datasources = [];
  if (placement.prometheusUrl) {
    datasources.push({
      name: "Flink Prometheus",
      uid: DATASOURCE_UID.prometheus,
      type: "prometheus",
      url: placement.prometheusUrl,
      isDefault: placement.setDefault,
      jsonData: { httpMethod: "POST", prometheusType: "Prometheus", timeInterval },
    });
  }
  if (config.stores.influxdb) {
    datasources.push({
      name: "Flink InfluxDB",
      uid: DATASOURCE_UID.influxdb,
      type: "influxdb",
      url: placement.influxdbUrl,
      isDefault: placement.setDefault && !placement.prometheusUrl,
      user: config.influxdb.readUser,
      jsonData: {
        dbName: config.influxdb.database,
        httpMode: "GET",
        timeInterval: formatDuration(config.flink.intervalSeconds),
        version: "InfluxQL",
      },
      passwordEnv: GRAFANA_ENV.influxdbReadPassword,
    });
  }
  return renderTemplate("grafana/datasources.yaml", { datasources });
}

export function grafanaDashboardProvider(config: MonitoringConfig): string {
  return renderTemplate("grafana/dashboards.yaml", {
    folder: config.grafana.folder,
    path: SERVICE.grafana.dashboardsDir,
  });
}

export function influxdbConf(): string {
  return renderTemplate("influxdb/influxdb.conf", {});
}

export function influxdbInit(config: MonitoringConfig): string {
  const { database, retentionPolicy } = config.influxdb;
  return renderTemplate("influxdb/init.iql", {
    database,
    retentionPolicy: retentionPolicy.name,
    duration: formatDuration(retentionPolicy.durationSeconds),
  });
}
