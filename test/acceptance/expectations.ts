/** What flinkmon claims a Flink version reports: every catalog and custom metric, named per store, with its labels. */
import { allMetrics, available, storeNames, type MetricDef } from "../../flink/catalog.js";
import { customMetrics } from "../../flink/custom-metrics.js";
import { SCOPE_LABELS } from "../../flink/naming.js";
import type { MonitoringConfig } from "../../config/resolve.js";
import { metricsRead } from "../../artifacts/metrics-read.js";
import { hasFilters, UNREAD_VARIABLES } from "../../flink/metric-filter.js";
import { notExercisedOn, metricKey } from "./not-exercised.js";

export interface Expected {
  readonly key: string;
  readonly prometheus: string;
  readonly influxdb: string;
  /** Flink's scope variables, as labels (Prometheus) and tags (InfluxDB). */
  readonly labels: readonly string[];
  /** Extra labels the metric itself adds (RocksDB's column_family, a histogram's quantile). */
  readonly extraLabels: readonly string[];
  readonly influxFields: readonly string[];
  readonly type: MetricDef["type"];
}

/** One collector stands for `<collector>`: G1 is the JVM's default on Java 17. */
const COLLECTOR = "G1_Young_Generation";

/** `dropped`: label variables the reporters leave out (scope.variables.excludes). */
function expected(metric: MetricDef, dropped: readonly string[] = []): Expected {
  const names = storeNames(metric);
  const extra = [
    ...(metric.name?.startsWith("rocksdb.") ? ["column_family"] : []),
    ...(metric.type === "histogram" ? ["quantile"] : []),
  ];
  return {
    key: metricKey(metric),
    prometheus: names.prometheus.replace("<collector>", COLLECTOR),
    influxdb: names.influxdb.replace("<collector>", COLLECTOR),
    labels: SCOPE_LABELS[metric.scope].filter((l) => !dropped.includes(l)),
    extraLabels: extra,
    influxFields: {
      gauge: ["value"],
      counter: ["count"],
      meter: ["count", "rate"],
      histogram: ["count", "max", "mean", "min", "p50", "p75", "p95", "p98", "p99", "p999", "stddev"],
    }[metric.type],
    type: metric.type,
  };
}

/**
 * Catalog metrics of the version the job exercises, the ones it cannot (with why), and the custom metrics. With
 * the reporters filtered (flink.metricFilter, 1.16+) only what the generated files read (`artifacts`) arrives:
 * the rest is `filtered`, and must not arrive.
 */
export function expectations(
  config: MonitoringConfig,
  artifacts: ReadonlyMap<string, string>,
): { present: Expected[]; notExercised: Record<string, string>; filtered: Expected[] } {
  const version = config.flink.version;
  const filtering = config.flink.metricFilter.enabled && hasFilters(version);
  const read = new Set(metricsRead(config, [...artifacts.values()]).map(metricKey));
  // Filtered reporters also leave out the label variables no query reads.
  const dropped = filtering ? UNREAD_VARIABLES : [];
  const present: Expected[] = [];
  const filtered: Expected[] = [];
  const notExercised: Record<string, string> = {};
  for (const metric of allMetrics().filter((m) => available(m, version))) {
    const key = metricKey(metric);
    if (filtering && !read.has(key)) filtered.push(expected(metric));
    else if (notExercisedOn(key, version)) notExercised[key] = notExercisedOn(key, version)!;
    else present.push(expected(metric, dropped));
  }
  for (const m of customMetrics(config)) present.push(expected(m.def, dropped));
  return { present, notExercised, filtered };
}
