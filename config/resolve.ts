/** Derived values, computed once: everything downstream reads `MonitoringConfig`, never the raw file. */
import type { ParsedConfig, ReporterKind } from "./schema.js";
import { REPORTERS } from "./schema.js";
import { parseFlinkVersion, type FlinkVersion } from "./version.js";
import { hasReporterOption } from "./version-rules.js";
import { parseDurationSeconds } from "./duration.js";
import { DOCKER_HOST_GATEWAY, FLINK_NETWORK_ALIAS, K8S_SERVICE, SERVICE } from "../contract/services.js";
import { ALERT_DEFAULTS, ALERT_NAMES, type AlertName, type AlertSettings } from "./alert-defaults.js";

export type FlinkLocation = NonNullable<ParsedConfig["flink"]["location"]>;

/** Scrape targets: listed addresses, or every address a DNS name has (containers sharing a network alias). */
export type ScrapeTargets =
  | { readonly kind: "static"; readonly addresses: readonly string[] }
  | { readonly kind: "dns"; readonly name: string; readonly port: number };

export interface MonitoringConfig {
  readonly target: ParsedConfig["target"];
  readonly kubernetes: ParsedConfig["kubernetes"];
  readonly flink: {
    readonly version: FlinkVersion;
    /** The cluster's name: the value of the cluster label (CLUSTER_LABEL) on every series. */
    readonly cluster: string;
    /** Enabled reporters in flinkmon's canonical order (stable output whatever order the file uses). */
    readonly reporters: readonly ReporterKind[];
    readonly intervalSeconds: number;
    readonly sharedHost: boolean;
    /** Where Flink runs (Docker target): the stack's network, the Docker host, or elsewhere. */
    readonly location: FlinkLocation;
    /** metrics.latency.interval in seconds; undefined when latency tracking is off. */
    readonly latencyTrackingSeconds?: number;
    readonly rocksdbNativeMetrics: boolean;
    /** Reporter filters for what flinkmon reads (Flink 1.16+). */
    readonly metricFilter: { readonly enabled: boolean; readonly keep: readonly string[] };
    /** Reporter options with the target-dependent defaults filled in (Pushgateway URL, InfluxDB host). */
    readonly reporter: ParsedConfig["flink"]["reporter"] & {
      readonly pushgateway: { readonly url: string };
      readonly influxdb: { readonly host: string; readonly port: number };
    };
    /** Port (or range) of the Prometheus reporter: "9249", or "9249-9259" on a shared host. */
    readonly prometheusPort: string;
    /** Port (or range) of the JMX connector: "8789", or "8789-8799" on a shared host. */
    readonly jmxPort: string;
  };
  readonly stores: { readonly prometheus: boolean; readonly pushgateway: boolean; readonly influxdb: boolean };
  readonly prometheus: Omit<ParsedConfig["prometheus"], "scrape" | "source"> & {
    readonly retentionSeconds: number;
    readonly scrapeIntervalSeconds: number;
    readonly scrape: { readonly jobmanagers: ScrapeTargets; readonly taskmanagers: ScrapeTargets };
    /** The one path Flink series take into Prometheus; the other path's Flink series are dropped. */
    readonly source: "scrape" | "pushgateway";
    /** The config names the source (no warning about the second path then: it is a decision). */
    readonly sourceChosen: boolean;
  };
  readonly pushgateway: ParsedConfig["pushgateway"];
  readonly influxdb: ParsedConfig["influxdb"] & {
    readonly retentionPolicy: ParsedConfig["influxdb"]["retentionPolicy"] & { readonly durationSeconds: number };
  };
  readonly grafana: ParsedConfig["grafana"];
  readonly docker: ParsedConfig["docker"];
  readonly customMetrics: ParsedConfig["customMetrics"];
  readonly budget: ParsedConfig["budget"];
  readonly alerts: Omit<ParsedConfig["alerts"], "rules"> & {
    readonly rules: Readonly<Record<AlertName, AlertSettings>>;
  };
}

/** Prometheus reads Flink's series by scraping each process (else through the Pushgateway only). */
export function scrapesFlink(config: MonitoringConfig): boolean {
  return config.prometheus.source === "scrape";
}

/**
 * Whether Flink's series in Prometheus carry the cluster label: the scrape adds it, the Pushgateway reporter sends
 * it in its grouping key from Flink 1.10 (1.9 has none).
 */
export function prometheusKnowsCluster(config: MonitoringConfig): boolean {
  return scrapesFlink(config) || hasReporterOption(config.flink.version, "groupingKey", "pushgateway");
}

/** Warn where the config may not know it asks Flink for work nobody reads: both Prometheus paths, no source named. */
export function deliveryWarnings(config: MonitoringConfig): string[] {
  const r = config.flink.reporters;
  if (!r.includes("prometheus") || !r.includes("pushgateway") || !config.stores.prometheus) return [];
  if (config.prometheus.sourceChosen) return [];
  const read = scrapesFlink(config) ? "scraped" : "pushed";
  return [
    `flink.reporters: the prometheus and pushgateway reporters both deliver every Flink series to Prometheus. ` +
      `It keeps the ${read} copy (prometheus.source: ${config.prometheus.source}) and drops the other, so sums ` +
      `count each series once. Turn one reporter off to spare Flink the second export, or name the path in ` +
      `prometheus.source.`,
  ];
}

/** A wildcard bind publishes the servers without authentication (Prometheus, the Pushgateway) to every network. */
export function exposureWarnings(config: MonitoringConfig): string[] {
  if (config.target !== "docker" || !["0.0.0.0", "::"].includes(config.docker.bindAddress)) return [];
  const open = [
    ...(config.stores.prometheus ? [`Prometheus (${config.prometheus.port ?? SERVICE.prometheus.port})`] : []),
    ...(config.stores.pushgateway ? [`the Pushgateway (${config.pushgateway.port ?? SERVICE.pushgateway.port})`] : []),
  ];
  if (open.length === 0) return [];
  return [
    `docker.bindAddress: "${config.docker.bindAddress}" publishes ${open.join(" and ")} on every interface of the ` +
      `Docker host, and neither asks for a password: anyone who reaches the host can read every metric` +
      `${config.stores.pushgateway ? " and push or delete series" : ""}. Bind to 127.0.0.1 or a private address, or firewall the ports.`,
  ];
}

function alertRules(parsed: ParsedConfig): Record<AlertName, AlertSettings> {
  const overrides = parsed.alerts.rules as Partial<Record<AlertName, Partial<AlertSettings>>>;
  const rules = {} as Record<AlertName, AlertSettings>;
  for (const name of ALERT_NAMES) {
    const base: AlertSettings =
      name === "taskManagersMissing"
        ? { ...ALERT_DEFAULTS[name], threshold: parsed.alerts.expectedTaskManagers }
        : ALERT_DEFAULTS[name];
    rules[name] = {
      ...base,
      ...Object.fromEntries(Object.entries(overrides[name] ?? {}).filter(([, v]) => v !== undefined)),
    };
  }
  return rules;
}

function firstPort(portOrRange: string): number {
  return Number(portOrRange.split("-")[0]);
}

/**
 * Where Flink reaches the stores, from where it runs: in-cluster Services on Kubernetes, the containers' names on
 * the stack's network, the published ports on the Docker host. "external" has no default (the schema asks for it).
 */
function storeAddresses(parsed: ParsedConfig, location: FlinkLocation) {
  const ns = parsed.kubernetes.namespace;
  const published = { pushgateway: parsed.pushgateway.port, influxdb: parsed.influxdb.port };
  if (parsed.target === "kubernetes")
    return {
      pushgatewayUrl: `http://${K8S_SERVICE.pushgateway}.${ns}:${SERVICE.pushgateway.port}`,
      influxdb: { host: `${K8S_SERVICE.influxdb}.${ns}`, port: SERVICE.influxdb.port },
    };
  if (location === "dockerNetwork")
    return {
      pushgatewayUrl: `http://${SERVICE.pushgateway.host}:${SERVICE.pushgateway.port}`,
      influxdb: { host: SERVICE.influxdb.host, port: SERVICE.influxdb.port },
    };
  return {
    pushgatewayUrl: `http://localhost:${published.pushgateway ?? SERVICE.pushgateway.port}`,
    influxdb: { host: "localhost", port: published.influxdb ?? SERVICE.influxdb.port },
  };
}

/**
 * Reporter endpoints Prometheus scrapes by default: every container with the alias on the stack's network (found
 * by DNS), or each process on the Docker host (the JobManager binds the first port of the range, TaskManagers the
 * next ones, in start order).
 */
function defaultScrape(location: FlinkLocation, port: number, taskManagers: number) {
  if (location === "dockerHost")
    return {
      jobmanagers: staticTargets([`${DOCKER_HOST_GATEWAY}:${port}`]),
      taskmanagers: staticTargets(
        Array.from({ length: taskManagers }, (_, i) => `${DOCKER_HOST_GATEWAY}:${port + 1 + i}`),
      ),
    };
  return {
    jobmanagers: { kind: "dns", name: FLINK_NETWORK_ALIAS.jobmanager, port } as const,
    taskmanagers: { kind: "dns", name: FLINK_NETWORK_ALIAS.taskmanager, port } as const,
  };
}

const staticTargets = (addresses: readonly string[]): ScrapeTargets => ({ kind: "static", addresses });

/** How a scrape job's targets read in a message. */
export function describeTargets(targets: ScrapeTargets): string {
  return targets.kind === "static"
    ? targets.addresses.join(", ")
    : `every address of ${targets.name} (DNS) on port ${targets.port}`;
}

export function resolveConfig(parsed: ParsedConfig): MonitoringConfig {
  const f = parsed.flink;
  const k8s = parsed.target === "kubernetes";
  const location: FlinkLocation = f.location ?? (f.sharedHost ? "dockerHost" : "dockerNetwork");
  const sharedHost = f.sharedHost ?? location === "dockerHost";
  const stores = storeAddresses(parsed, location);
  const reporter = {
    ...f.reporter,
    pushgateway: { ...f.reporter.pushgateway, url: f.reporter.pushgateway.url ?? stores.pushgatewayUrl },
    influxdb: {
      ...f.reporter.influxdb,
      host: f.reporter.influxdb.host ?? stores.influxdb.host,
      port: f.reporter.influxdb.port ?? stores.influxdb.port,
    },
  };
  const version = parseFlinkVersion(f.version)!; // validated by the schema
  const reporters = REPORTERS.filter((r) => f.reporters.includes(r));
  // On Kubernetes each pod runs one JobManager or TaskManager: a fixed port that the pod can declare.
  const prometheusPort = String(f.reporter.prometheus.port ?? (sharedHost && !k8s ? "9249-9259" : "9249"));
  const jmxPort = String(f.reporter.jmx.port ?? (sharedHost ? "8789-8799" : "8789"));
  const intervalSeconds = parseDurationSeconds(f.interval)!;

  const wantsPrometheus = reporters.includes("prometheus") || reporters.includes("pushgateway");
  const storesOn = {
    prometheus: parsed.stores.prometheus ?? wantsPrometheus,
    pushgateway: reporters.includes("pushgateway") && (parsed.stores.prometheus ?? true),
    influxdb: parsed.stores.influxdb ?? reporters.includes("influxdb"),
  };

  const scrapeDefaults = defaultScrape(location, firstPort(prometheusPort), f.taskManagers ?? 1);

  return {
    target: parsed.target,
    kubernetes: parsed.kubernetes,
    flink: {
      version,
      cluster: f.cluster,
      metricFilter: f.metricFilter,
      reporters,
      intervalSeconds,
      sharedHost,
      location,
      reporter,
      prometheusPort,
      jmxPort,
      latencyTrackingSeconds:
        f.latencyTrackingInterval === undefined ? undefined : parseDurationSeconds(f.latencyTrackingInterval),
      rocksdbNativeMetrics: f.rocksdbNativeMetrics,
    },
    stores: storesOn,
    prometheus: {
      ...parsed.prometheus,
      retentionSeconds: parseDurationSeconds(parsed.prometheus.retention)!,
      scrapeIntervalSeconds: intervalSeconds,
      source: parsed.prometheus.source ?? (reporters.includes("prometheus") ? "scrape" : "pushgateway"),
      sourceChosen: parsed.prometheus.source !== undefined,
      scrape: {
        jobmanagers: parsed.prometheus.scrape.jobmanagers
          ? staticTargets(parsed.prometheus.scrape.jobmanagers)
          : scrapeDefaults.jobmanagers,
        taskmanagers: parsed.prometheus.scrape.taskmanagers
          ? staticTargets(parsed.prometheus.scrape.taskmanagers)
          : scrapeDefaults.taskmanagers,
      },
    },
    pushgateway: parsed.pushgateway,
    influxdb: {
      ...parsed.influxdb,
      retentionPolicy: {
        ...parsed.influxdb.retentionPolicy,
        durationSeconds: parseDurationSeconds(parsed.influxdb.retentionPolicy.duration)!,
      },
    },
    grafana: parsed.grafana,
    docker: parsed.docker,
    customMetrics: parsed.customMetrics,
    budget: parsed.budget,
    alerts: { ...parsed.alerts, rules: alertRules(parsed) },
  };
}
