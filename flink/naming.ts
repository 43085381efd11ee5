/**
 * How Flink's reporters name a metric in each store (apache/flink AbstractPrometheusReporter, MeasurementInfoProvider; docs/verified-metrics.md):
 * Prometheus `flink_<scope>_<name>` with every character outside [a-zA-Z0-9:_] replaced by "_";
 * InfluxDB `<scope>_<groups>_<name>` with groups filtered but the metric name itself kept raw.
 */
export type MetricType = "gauge" | "counter" | "meter" | "histogram";

/** The prefix both Prometheus reporters (scrape and Pushgateway) give every series, Flink's and the job's own. */
export const PROMETHEUS_PREFIX = "flink_";
/**
 * Flink's Prometheus character filter (AbstractPrometheusReporter.replaceInvalidChars): metric name parts always,
 * label values with filterLabelValueCharacters (on by default).
 */
export const prometheusLabelValue = (value: string) => value.replace(/[^a-zA-Z0-9:_]/g, "_");

/** Every series a Flink Prometheus reporter writes, as a regex over `__name__`. */
export const PROMETHEUS_FLINK_SERIES = `${PROMETHEUS_PREFIX}.+`;

/** Variables of a TaskManager's job group, and of one of its tasks (Flink's scope formats). */
const TM_JOB = ["host", "tm_id", "job_id", "job_name"] as const;
const TASK = [...TM_JOB, "task_id", "task_name", "task_attempt_id", "task_attempt_num", "subtask_index"] as const;
const LATENCY = ["source_id", "operator_id", "operator_subtask_index"] as const;

/** Logical scopes flinkmon charts, with the variables each one carries as labels/tags. */
export const SCOPE_LABELS = {
  jobmanager: ["host"],
  "jobmanager.job": ["host", "job_id", "job_name"],
  taskmanager: ["host", "tm_id"],
  "taskmanager.job.task": TASK,
  "taskmanager.job.task.operator": [...TASK, "operator_id", "operator_name"],
  /** Latency histograms before 1.19: on the job group of the TaskManager, keyed by source/operator groups. */
  "taskmanager.job.latency": [...TM_JOB, ...LATENCY],
  /** Latency histograms from 1.19 (FLINK-35750): on the task group. */
  "taskmanager.job.task.latency": [...TASK, ...LATENCY],
} as const;

export type Scope = keyof typeof SCOPE_LABELS;

/**
 * Prometheus metric name for a dotted Flink metric path in a scope. `name`, when given, is a metric name that
 * itself contains dots (RocksDB's "rocksdb.estimate-num-keys"); `path` then holds only the groups.
 */
export function prometheusName(scope: Scope, path: string, name?: string): string {
  const full = name === undefined ? path : path ? `${path}.${name}` : name;
  return `flink_${scope.split(".").join("_")}_${full.split(".").map(prometheusLabelValue).join("_")}`;
}

/** InfluxDB measurement: groups filtered, the last segment (the metric name) as registered. */
export function influxMeasurement(scope: Scope, path: string, name?: string): string {
  const parts = path === "" ? [] : path.split(".");
  const metric = name ?? parts.pop()!;
  return [...scope.split("."), ...parts.map(prometheusLabelValue), metric].join("_");
}

/** The InfluxDB field holding the value of a metric type (MetricMapper). */
export function influxField(type: MetricType): string {
  switch (type) {
    case "gauge":
      return "value";
    case "counter":
      return "count";
    case "meter":
      return "rate";
    case "histogram":
      return "mean";
  }
}

/**
 * Quantiles the Prometheus reporter exports for histograms, and the matching InfluxDB fields. The InfluxDB reporter
 * writes count, min, max, mean, stddev and p50…p999 (apache/flink flink-metrics-influxdb MetricMapper#map(Histogram);
 * seen on Flink 1.18 to 2.3 by the acceptance suite), not the "50-percentile" of Dropwizard-style reporters.
 */
export const HISTOGRAM_QUANTILES = {
  "0.5": "p50",
  "0.75": "p75",
  "0.95": "p95",
  "0.98": "p98",
  "0.99": "p99",
  "0.999": "p999",
} as const;
export type Quantile = keyof typeof HISTOGRAM_QUANTILES;

/** Longest scope first, so "taskmanager_job_task_operator_…" is not taken for "taskmanager_job_task_…". */
const SCOPES_LONGEST_FIRST = (Object.keys(SCOPE_LABELS) as Scope[]).sort((a, b) => b.length - a.length);

/**
 * The scope a stored name belongs to, read back from its prefix (`flink_<scope>_…` in Prometheus, `<scope>_…` in
 * InfluxDB); undefined for a name no Flink reporter writes.
 */
export function scopeOfStoredName(name: string, store: "prometheus" | "influxdb"): Scope | undefined {
  const stem =
    store === "prometheus"
      ? name.startsWith(PROMETHEUS_PREFIX)
        ? name.slice(PROMETHEUS_PREFIX.length)
        : undefined
      : name;
  if (stem === undefined) return undefined;
  return SCOPES_LONGEST_FIRST.find((s) => stem.startsWith(`${s.replace(/\./g, "_")}_`));
}
