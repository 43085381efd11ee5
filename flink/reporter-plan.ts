/**
 * The reporter section of a Flink configuration as data: which keys, which values, which comments, for the
 * configured Flink version. Templates only lay it out (templates/flink/*.hbs).
 */
import type { MonitoringConfig } from "../config/resolve.js";
import type { ReporterKind } from "../config/schema.js";
import { atLeast, minorLabel, type FlinkVersion } from "../config/version.js";
import { REPORTER_KINDS, legacyClass } from "./reporter-kinds.js";
import { FLINK_ENV } from "../contract/grafana.js";
import { CLUSTER_LABEL } from "../contract/services.js";
import { hasReporterOption } from "../config/version-rules.js";
import type { MetricDef } from "./catalog.js";
import { hasFilters, hasVariableExcludes, includesFor, UNREAD_VARIABLES } from "./metric-filter.js";

export interface ReporterEntry {
  /** Key below `metrics.reporter.<instance>.`, e.g. `factory.class`. */
  readonly key: string;
  readonly value: string;
}

export interface ReporterPlan {
  readonly kind: ReporterKind;
  readonly instance: string;
  readonly title: string;
  readonly entries: readonly ReporterEntry[];
  /** Comment lines: install step, ports to scrape, secrets. */
  readonly notes: readonly string[];
}

export interface FlinkMetricsPlan {
  readonly version: FlinkVersion;
  /** `flink/config.yaml` (nested, standard YAML) from 1.19, else `flink/flink-conf.yaml` (flat, legacy parser). */
  readonly file: "flink/config.yaml" | "flink/flink-conf.yaml";
  readonly nested: boolean;
  readonly reporters: readonly ReporterPlan[];
  /** Other metrics keys, full and flat (latency tracking, RocksDB native metrics). */
  readonly extra: readonly ReporterEntry[];
  readonly warnings: readonly string[];
}

/** Environment variables that stand in for secrets in generated Flink files; never a literal value. */
export const SECRET_ENV = {
  influxdbPassword: FLINK_ENV.influxdbWritePassword,
  datadogApiKey: FLINK_ENV.datadogApiKey,
} as const;

const secretPlaceholder = (env: string) => `\${${env}}`;

/** Interval in a form the version parses: "15 SECONDS" up to 1.11 (TimeUnit names), "15 s" from 1.12. */
export function intervalValue(version: FlinkVersion, seconds: number): string {
  return atLeast(version, 1, 12) ? `${seconds} s` : `${seconds} SECONDS`;
}

/**
 * Where the reporter's jar must be, in words and in a form the acceptance suite follows literally:
 * "plugins/<dir>/ must hold <jar>" or "copy opt/<jar> into lib/". From 1.18 the distribution ships every bundled
 * reporter, JMX included, in its plugins/ folder (seen in 1.18 to 2.3 by the acceptance suite); earlier 1.x
 * distributions had JMX in lib/ and the others in opt/ or plugins/ (reference flink-metrics.md §1.3).
 */
function installNote(version: FlinkVersion, kind: ReporterKind): string {
  const { module, pluginDir } = REPORTER_KINDS[kind];
  const jar = `${module}-*.jar`;
  if (kind === "jmx" && !atLeast(version, 1, 18))
    return "install: nothing to copy, the distribution has the JMX reporter in lib/";
  if (!atLeast(version, 1, 11)) return `install: copy opt/${jar} into lib/ on every JobManager and TaskManager`;
  if (atLeast(version, 1, 18))
    return `install: plugins/${pluginDir}/ must hold ${jar} (Flink's distribution ships it there; keep the folder)`;
  return `install: plugins/${pluginDir}/ must hold ${jar} (copy it from opt/ if it is not there)`;
}

function classEntry(version: FlinkVersion, kind: ReporterKind, warnings: string[]): ReporterEntry {
  if (kind === "influxdb" && version.major === 1 && version.minor === 11) {
    if (version.patch === 0) {
      // 1.11.0 shipped the InfluxDB factory under a misnamed service file (FLINK-18573): use the class key.
      warnings.push(
        "Flink 1.11.0 cannot discover the InfluxDB reporter factory (FLINK-18573): flinkmon writes the legacy .class key for it; upgrade to 1.11.1+ to use the factory",
      );
      return { key: "class", value: legacyClass(kind) };
    }
    if (version.patch === undefined) {
      warnings.push(
        'Flink 1.11.0 cannot discover the InfluxDB reporter factory (FLINK-18573); use 1.11.1+ or set flink.version to "1.11.0" to get the legacy .class key',
      );
    }
  }
  // JMXReporterFactory exists from 1.9, the other factories from 1.11 (reference flink-metrics.md §1.2).
  const factorySince: [number, number] = kind === "jmx" ? [1, 9] : [1, 11];
  return atLeast(version, ...factorySince)
    ? { key: "factory.class", value: REPORTER_KINDS[kind].factoryClass }
    : { key: "class", value: legacyClass(kind) };
}

type CommonOptions = MonitoringConfig["flink"]["reporter"]["slf4j"];

/** `k1<sep>v1<join>k2<sep>v2`, sorted by key; undefined for an empty map (Flink skips empty values). */
function joinPairs(map: Record<string, string> | undefined, sep: string, join: string): string | undefined {
  const pairs = Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.length > 0 ? pairs.map(([k, v]) => `${k}${sep}${v}`).join(join) : undefined;
}

/** Flink's legacy list syntax; undefined for an empty list. */
function joinList(list: readonly string[] | undefined): string | undefined {
  return list && list.length > 0 ? list.join(";") : undefined;
}

function commonEntries(
  options: CommonOptions,
  additional: Record<string, string> = {},
  includes: readonly string[] = [],
  excludedVariables: readonly string[] = [],
): ReporterEntry[] {
  const out: ReporterEntry[] = [];
  const excludes = [...new Set([...excludedVariables, ...(options.scopeVariablesExcludes ?? [])])];
  optional(out, "scope.variables.excludes", joinList(excludes));
  optional(
    out,
    "scope.variables.additional",
    joinPairs({ ...options.scopeVariablesAdditional, ...additional }, ":", ","),
  );
  optional(out, "filter.includes", joinList([...includes, ...(options.filterIncludes ?? [])]));
  optional(out, "filter.excludes", joinList(options.filterExcludes));
  return out;
}

/** Pushes `key: String(value)` when the value is set. */
function optional(out: ReporterEntry[], key: string, value: string | number | boolean | undefined): void {
  if (value !== undefined) out.push({ key, value: String(value) });
}

function specificEntries(config: MonitoringConfig, kind: ReporterKind, notes: string[]): ReporterEntry[] {
  const { version, reporter, prometheusPort, jmxPort } = config.flink;
  const out: ReporterEntry[] = [];
  switch (kind) {
    case "jmx":
      // From 1.18 (seen on 1.18 to 2.3) the reporter's port key logs "JMXReporter port config is deprecated":
      // the JMX server is the cluster option jmx.server.port (see extraEntries).
      if (atLeast(version, 1, 18))
        notes.push(
          `port: the JMX server listens on jmx.server.port ${jmxPort} (below); the reporter's own port key is deprecated`,
        );
      else out.push({ key: "port", value: jmxPort });
      break;
    case "prometheus":
      out.push({ key: "port", value: prometheusPort });
      optional(out, "filterLabelValueCharacters", reporter.prometheus.filterLabelValueCharacters);
      notes.push(
        prometheusPort.includes("-")
          ? `scrape: Prometheus must scrape every JobManager and TaskManager on ports ${prometheusPort} (each process binds the first free one, path /metrics)`
          : `scrape: Prometheus must scrape every JobManager and TaskManager on port ${prometheusPort} (path /metrics)`,
      );
      break;
    case "pushgateway": {
      const o = reporter.pushgateway;
      const url = new URL(o.url);
      if (atLeast(version, 1, 15)) out.push({ key: "hostUrl", value: `${url.protocol}//${url.host}` });
      else {
        out.push({ key: "host", value: url.hostname });
        out.push({ key: "port", value: url.port || "80" });
      }
      out.push({ key: "jobName", value: o.jobName });
      optional(out, "randomJobNameSuffix", o.randomJobNameSuffix);
      // Written, not left to Flink's default: a process that stops cleanly deletes its group, or the Pushgateway
      // would serve its last values forever (a killed process still leaves its group: FLINK-13787).
      out.push({ key: "deleteOnShutdown", value: String(o.deleteOnShutdown ?? true) });
      notes.push(
        o.deleteOnShutdown === false
          ? "deleteOnShutdown: false keeps a stopped process's last values in the Pushgateway until its group is deleted"
          : "deleteOnShutdown: a process that stops deletes its group, so the Pushgateway does not serve stale values",
      );
      optional(out, "filterLabelValueCharacters", o.filterLabelValueCharacters);
      // The grouping key's labels reach every pushed series (honor_labels keeps them): the cluster's name.
      const groupingKey = hasReporterOption(version, "groupingKey", "pushgateway")
        ? { ...o.groupingKey, [CLUSTER_LABEL]: config.flink.cluster }
        : {};
      optional(out, "groupingKey", joinPairs(groupingKey, "=", ";"));
      break;
    }
    case "influxdb": {
      const o = reporter.influxdb;
      out.push({ key: "host", value: o.host }, { key: "port", value: String(o.port) });
      optional(out, "scheme", o.scheme);
      out.push(
        { key: "db", value: config.influxdb.database },
        { key: "username", value: config.influxdb.writeUser },
        { key: "password", value: secretPlaceholder(SECRET_ENV.influxdbPassword) },
        { key: "retentionPolicy", value: config.influxdb.retentionPolicy.name },
      );
      optional(out, "consistency", o.consistency);
      optional(out, "connectTimeout", o.connectTimeout);
      optional(out, "writeTimeout", o.writeTimeout);
      notes.push(
        `secret: password is a placeholder; Flink does not expand it. Substitute ${SECRET_ENV.influxdbPassword} before Flink starts (envsubst), or pass the key through FLINK_PROPERTIES`,
      );
      break;
    }
    case "statsd":
      out.push({ key: "host", value: reporter.statsd.host }, { key: "port", value: String(reporter.statsd.port) });
      break;
    case "graphite":
      out.push({ key: "host", value: reporter.graphite.host }, { key: "port", value: String(reporter.graphite.port) });
      optional(out, "protocol", reporter.graphite.protocol);
      optional(out, "prefix", reporter.graphite.prefix);
      break;
    case "slf4j":
      break;
    case "datadog": {
      const o = reporter.datadog;
      out.push({ key: "apikey", value: secretPlaceholder(SECRET_ENV.datadogApiKey) });
      optional(out, "dataCenter", o.dataCenter);
      optional(out, "proxyHost", o.proxyHost);
      optional(out, "proxyPort", o.proxyPort);
      optional(out, "maxMetricsPerRequest", o.maxMetricsPerRequest);
      optional(out, "useLogicalIdentifier", o.useLogicalIdentifier);
      notes.push(
        `secret: apikey is a placeholder; Flink does not expand it. Substitute ${SECRET_ENV.datadogApiKey} before Flink starts (envsubst), or pass the key through FLINK_PROPERTIES`,
      );
      break;
    }
  }
  return out;
}

/** The reporters whose series flinkmon's dashboards and alerts read: the ones a filter keeps small. */
const READ_BY_FLINKMON: readonly ReporterKind[] = ["prometheus", "pushgateway", "influxdb"];

/**
 * `filter.includes` of a reporter flinkmon reads: exactly the metrics in `read` (and metricFilter.keep), where the
 * version has filters; a note where it has not.
 */
function generatedIncludes(
  config: MonitoringConfig,
  kind: ReporterKind,
  read: readonly MetricDef[] | undefined,
  notes: string[],
): string[] {
  const { version, metricFilter } = config.flink;
  if (!read || !metricFilter.enabled || !READ_BY_FLINKMON.includes(kind)) return [];
  if (!hasFilters(version)) {
    notes.push(
      `filter: Flink ${minorLabel(version)} has no reporter filters (1.16+): it sends every metric, not only the ${read.length} flinkmon reads`,
    );
    return [];
  }
  notes.push(`filter: only the ${read.length} metrics flinkmon reads (flink.metricFilter; enabled: false sends all)`);
  return includesFor(read, metricFilter.keep);
}

/** Label variables no query reads, dropped where the reporter is filtered to what flinkmon reads (1.10+). */
function unreadVariables(
  config: MonitoringConfig,
  kind: ReporterKind,
  read: readonly MetricDef[] | undefined,
): readonly string[] {
  const { version, metricFilter } = config.flink;
  if (!read || !metricFilter.enabled || !READ_BY_FLINKMON.includes(kind) || !hasVariableExcludes(version)) return [];
  return UNREAD_VARIABLES;
}

function planReporter(
  config: MonitoringConfig,
  kind: ReporterKind,
  warnings: string[],
  read: readonly MetricDef[] | undefined,
): ReporterPlan {
  const { version, intervalSeconds } = config.flink;
  const info = REPORTER_KINDS[kind];
  const notes = [installNote(version, kind)];
  const entries = [classEntry(version, kind, warnings), ...specificEntries(config, kind, notes)];
  if (info.push) entries.push({ key: "interval", value: intervalValue(version, intervalSeconds) });
  entries.push(
    ...commonEntries(
      config.flink.reporter[kind],
      clusterVariable(config, kind, notes),
      generatedIncludes(config, kind, read, notes),
      unreadVariables(config, kind, read),
    ),
  );
  return { kind, instance: info.instance, title: info.title, entries, notes };
}

/**
 * Where flink.cluster comes from, per reporter: Prometheus adds it when it scrapes, the Pushgateway reporter sends
 * it in its grouping key (1.10+), the InfluxDB reporter as an additional variable (1.15+, FLINK-17495). Where the
 * version cannot, a note says so (a warning would nag every single-cluster user of an old version).
 */
function clusterVariable(config: MonitoringConfig, kind: ReporterKind, notes: string[]): Record<string, string> {
  const { version, cluster } = config.flink;
  const label = `${CLUSTER_LABEL}="${cluster}"`;
  if (kind === "prometheus") notes.push(`cluster: Prometheus labels what it scrapes here ${label}`);
  if (kind === "pushgateway" && !hasReporterOption(version, "groupingKey", "pushgateway"))
    notes.push(
      `cluster: Flink ${minorLabel(version)} has no groupingKey (1.10+): pushed series carry no ${CLUSTER_LABEL} label, and dashboards cannot tell clusters apart`,
    );
  if (kind !== "influxdb") return {};
  if (hasReporterOption(version, "scopeVariablesAdditional")) return { [CLUSTER_LABEL]: cluster };
  notes.push(
    `cluster: Flink ${minorLabel(version)} cannot add tags (scope.variables.additional is 1.15+): points carry no ${CLUSTER_LABEL} tag, and InfluxDB dashboards cannot tell clusters apart`,
  );
  return {};
}

/** The RocksDB properties flinkmon charts (catalog.rocksdb), as state.backend.rocksdb.metrics.* switches. */
const ROCKSDB_SWITCHES = [
  "estimate-num-keys",
  "estimate-live-data-size",
  "total-sst-files-size",
  "cur-size-all-mem-tables",
  "block-cache-usage",
  "estimate-pending-compaction-bytes",
];

function extraEntries(config: MonitoringConfig): ReporterEntry[] {
  const out: ReporterEntry[] = [];
  if (config.flink.reporters.includes("jmx") && atLeast(config.flink.version, 1, 18))
    out.push({ key: "jmx.server.port", value: config.flink.jmxPort });
  // Plain milliseconds parse as a Long before 1.20 and as a Duration after (reference §1.5).
  if (config.flink.latencyTrackingSeconds !== undefined) {
    out.push(
      { key: "metrics.latency.interval", value: String(config.flink.latencyTrackingSeconds * 1000) },
      { key: "metrics.latency.granularity", value: "operator" },
    );
  }
  if (config.flink.rocksdbNativeMetrics) {
    out.push({ key: "state.backend.rocksdb.metrics.column-family-as-variable", value: "true" });
    for (const s of ROCKSDB_SWITCHES) out.push({ key: `state.backend.rocksdb.metrics.${s}`, value: "true" });
  }
  return out;
}

/**
 * The metrics section for `config`. `read`: the metrics flinkmon's generated files read, for the reporters'
 * filters (none generated without it).
 */
export function planFlinkMetrics(config: MonitoringConfig, read?: readonly MetricDef[]): FlinkMetricsPlan {
  const { version } = config.flink;
  const warnings: string[] = [];
  const reporters = config.flink.reporters.map((kind) => planReporter(config, kind, warnings, read));
  const nested = atLeast(version, 1, 19);
  return {
    version,
    file: nested ? "flink/config.yaml" : "flink/flink-conf.yaml",
    nested,
    reporters,
    extra: extraEntries(config),
    warnings,
  };
}

/** Version text for file headers: "1.17" or "1.17.2". */
export function versionText(version: FlinkVersion): string {
  return version.patch === undefined ? minorLabel(version) : `${minorLabel(version)}.${version.patch}`;
}
