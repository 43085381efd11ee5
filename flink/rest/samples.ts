/**
 * Metric values read from the REST API, turned into what Flink's reporters would have written: the scope, the
 * dotted metric path, the reporter's variables, and a type (from the catalog, else from Flink's naming habits).
 */
import { allMetrics } from "../catalog.js";
import { HISTOGRAM_QUANTILES, type MetricType, type Scope, type Quantile } from "../naming.js";

export interface Sample {
  readonly scope: Scope;
  readonly path: string;
  /** Reporter variables (unfiltered; the Prometheus writer filters values like the reporter does). */
  readonly labels: Readonly<Record<string, string>>;
  readonly type: MetricType;
  /** Numeric value; strings and booleans kept as text for InfluxDB (Prometheus writes them as 1/0 or 0). */
  readonly value: number | string;
  /** Histogram statistic: a Prometheus quantile or an InfluxDB field name. */
  readonly statistic?: { readonly quantile?: Quantile; readonly field: string };
}

const KNOWN = new Map(allMetrics().map((m) => [`${m.scope}|${m.path}`, m.type]));

/** The catalog's type, else: "…PerSecond" meters, "num…" counters, everything else gauges. */
export function metricType(scope: Scope, path: string): MetricType {
  const known = KNOWN.get(`${scope}|${path}`);
  if (known) return known;
  const name = path.split(".").pop()!;
  if (/PerSecond$/.test(name)) return "meter";
  if (/^num[A-Z]/.test(name)) return "counter";
  return "gauge";
}

/** REST histogram suffixes (MetricStore) → Prometheus quantile and InfluxDB field. */
const HISTOGRAM_SUFFIX: Record<string, { quantile?: Quantile; field: string }> = {
  min: { field: "min" },
  max: { field: "max" },
  mean: { field: "mean" },
  stddev: { field: "stddev" },
  median: { quantile: "0.5", field: HISTOGRAM_QUANTILES["0.5"] },
  p75: { quantile: "0.75", field: HISTOGRAM_QUANTILES["0.75"] },
  p95: { quantile: "0.95", field: HISTOGRAM_QUANTILES["0.95"] },
  p98: { quantile: "0.98", field: HISTOGRAM_QUANTILES["0.98"] },
  p99: { quantile: "0.99", field: HISTOGRAM_QUANTILES["0.99"] },
  p999: { quantile: "0.999", field: HISTOGRAM_QUANTILES["0.999"] },
};

export function parseValue(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  if (text === "true" || text === "false") return text;
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : text;
}

/** Turns REST metric ids/values of one entity into samples; histogram parts become statistics of one metric. */
export function toSamples(
  scope: Scope,
  labels: Record<string, string>,
  values: { id: string; value?: string }[],
): Sample[] {
  const ids = new Set(values.map((v) => v.id));
  const out: Sample[] = [];
  for (const { id, value } of values) {
    const parsed = parseValue(value);
    if (parsed === undefined) continue;
    const m = /^(.*)_(min|max|mean|stddev|median|p75|p90|p95|p98|p99|p999)$/.exec(id);
    if (m && ids.has(`${m[1]}_p99`) && ids.has(`${m[1]}_median`)) {
      const stat = HISTOGRAM_SUFFIX[m[2]!];
      if (stat) out.push({ scope, path: m[1]!, labels, type: "histogram", value: parsed, statistic: stat });
      continue;
    }
    out.push({ scope, path: id, labels, type: metricType(scope, id), value: parsed });
  }
  return out;
}
