/** A panel target in both dialects, with its legend; built from SeriesSpecs so metric names stay in the catalog. */
import { renderPromQL, renderPromGcPerSecond, recordingFor, type RecordingRule } from "./dialects/promql.js";
import { renderInfluxQL } from "./dialects/influxql.js";
import { DASHBOARD_CONTEXT, type Dialect, type SeriesSpec } from "./dialects/spec.js";

export interface Query {
  readonly prometheus: string;
  readonly influxdb: string;
  /** Legend: static text and label names, rendered per dialect ({{label}} / $tag_label). */
  readonly legend: readonly LegendPart[];
  /** Instant query (tables, bar gauges). */
  readonly instant?: boolean;
  /** Recording rules the Prometheus query reads (emitted with the Prometheus rules). */
  readonly recordings?: readonly RecordingRule[];
}

/** Static text, or a label; `only` shows it in one dialect (a label the other dialect's query does not keep). */
export type LegendPart = string | { readonly label: string; readonly only?: Dialect };

export const label = (name: string): LegendPart => ({ label: name });
export const labelIn = (only: Dialect, name: string): LegendPart => ({ label: name, only });

export function legendText(legend: readonly LegendPart[], dialect: Dialect): string {
  return legend
    .filter((part) => typeof part === "string" || part.only === undefined || part.only === dialect)
    .map((part) => {
      if (typeof part === "string") return part;
      if (dialect === "prometheus") return `{{${part.label}}}`;
      // InfluxDB keeps the GC collector in the measurement name: $m shows it.
      return part.label === "collector" ? "$m" : `$tag_${part.label}`;
    })
    .join(" ")
    .trim();
}

export function series(spec: SeriesSpec, legend: readonly LegendPart[], options: { instant?: boolean } = {}): Query {
  const rule = recordingFor(spec);
  return {
    prometheus: renderPromQL(spec, DASHBOARD_CONTEXT),
    influxdb: renderInfluxQL(spec, DASHBOARD_CONTEXT),
    legend,
    ...options,
    recordings: rule ? [rule] : [],
  };
}

/** GC metrics per collector: a per-second rate of the cumulative Count and Time gauges over `windowSeconds`. */
export function gcPerSecond(spec: SeriesSpec, legend: readonly LegendPart[], windowSeconds: number): Query {
  return {
    prometheus: renderPromGcPerSecond(spec, windowSeconds),
    influxdb: renderInfluxQL({ ...spec, transform: "perSecond" }, DASHBOARD_CONTEXT),
    legend: [...legend, label("collector")],
  };
}

/** A query written per dialect where the shared model does not fit (documented at the call site). */
export function custom(
  prometheus: string,
  influxdb: string,
  legend: readonly LegendPart[],
  options: { instant?: boolean; recordings?: RecordingRule[] } = {},
): Query {
  return { prometheus, influxdb, legend, ...options };
}
