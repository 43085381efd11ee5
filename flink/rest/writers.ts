/** Samples in the formats of Flink's reporters: Prometheus text exposition and InfluxDB line protocol. */
import { prometheusName, influxMeasurement, influxField, prometheusLabelValue } from "../naming.js";
import type { Sample } from "./samples.js";

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** As PrometheusReporter: every type a gauge (counters' count, meters' rate), histograms as summaries. */
export function toPrometheusText(samples: readonly Sample[], filterLabelValues = true): string {
  const families = new Map<string, { type: string; lines: string[] }>();
  for (const s of samples) {
    if (s.type === "histogram" && !s.statistic?.quantile) continue;
    const name = prometheusName(s.scope, s.path);
    const value = typeof s.value === "number" ? s.value : s.value === "true" ? 1 : 0;
    const labels = Object.entries(s.labels).map(
      ([k, v]) => `${k}="${escapeLabel(filterLabelValues ? prometheusLabelValue(v) : v)}"`,
    );
    if (s.statistic?.quantile) labels.push(`quantile="${s.statistic.quantile}"`);
    const family = families.get(name) ?? { type: s.type === "histogram" ? "summary" : "gauge", lines: [] };
    family.lines.push(`${name}{${labels.join(",")}} ${value}`);
    families.set(name, family);
  }
  const out: string[] = [];
  for (const [name, { type, lines }] of [...families].sort(([a], [b]) => (a < b ? -1 : 1)))
    out.push(`# TYPE ${name} ${type}`, ...lines);
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

const escapeKey = (v: string) => v.replace(/[,= ]/g, (c) => `\\${c}`).replace(/\n/g, "");
const escapeMeasurement = (v: string) => v.replace(/[, ]/g, (c) => `\\${c}`);
const fieldValue = (v: number | string) =>
  typeof v === "number" ? String(v) : `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** As InfluxdbReporter: one point per metric, variables as tags, fields by type, millisecond timestamps. */
export function toInfluxLines(samples: readonly Sample[], timestampMs: number): string {
  const points = new Map<string, Map<string, string>>();
  for (const s of samples) {
    const tags = Object.entries(s.labels)
      .filter(([, v]) => v !== "")
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${escapeKey(k)}=${escapeKey(v)}`);
    const key = [escapeMeasurement(influxMeasurement(s.scope, s.path)), ...tags].join(",");
    const fields = points.get(key) ?? new Map<string, string>();
    // REST gives a meter's rate only and a counter's count only; histograms arrive as statistics.
    const field = s.statistic?.field ?? influxField(s.type);
    // Counters are Java longs in the reporter: integer fields.
    fields.set(
      field,
      s.type === "counter" && typeof s.value === "number" && Number.isInteger(s.value)
        ? `${s.value}i`
        : fieldValue(s.value),
    );
    points.set(key, fields);
  }
  const lines = [...points].map(
    ([key, fields]) => `${key} ${[...fields].map(([f, v]) => `${escapeKey(f)}=${v}`).join(",")} ${timestampMs}`,
  );
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
