/** SeriesSpec → InfluxQL (InfluxDB 1.x), using the measurements, tags and fields of the catalog. */
import { storeNames } from "../../flink/catalog.js";
import { HISTOGRAM_QUANTILES } from "../../flink/naming.js";
import type { SeriesSpec, RenderContext, VariableFilter } from "./spec.js";

const quoteIdent = (s: string) => `"${s.replace(/"/g, '\\"')}"`;

export function influxField(spec: SeriesSpec): string {
  if (spec.quantile) return HISTOGRAM_QUANTILES[spec.quantile];
  return storeNames(spec.metric).field;
}

/** `"job_name" =~ /^$job_name$/`: a tag restricted to a dashboard variable's values. */
export const variableCondition = (f: VariableFilter): string => `${quoteIdent(f.label)} =~ /^$${f.variable}$/`;

function where(spec: SeriesSpec): string {
  const parts = (spec.filters ?? []).map(variableCondition);
  // Drops points not above the bound (an unset watermark is Long.MIN_VALUE).
  if (spec.above !== undefined) parts.push(`${quoteIdent(influxField(spec))} > ${spec.above}`);
  return [...parts, "$timeFilter"].join(" AND ");
}

function groupBy(ctx: RenderContext, tags: readonly string[]): string {
  return [`time(${ctx.bucket})`, ...tags.map(quoteIdent)].join(", ");
}

/**
 * A collector name that is not Flink 1.19+'s "All" sum. InfluxDB's regexes (RE2) have no lookahead, so the
 * pattern spells out every name but "All".
 */
export const INFLUX_ONE_COLLECTOR = "(.{1,2}|[^A].*|A[^l].*|Al[^l].*|All.+)";

/** FROM clause: a measurement, or for GC metrics a regex over every collector's measurement (not the All sum). */
function from(spec: SeriesSpec): string {
  const name = storeNames(spec.metric).influxdb;
  if (!name.includes("<collector>")) return quoteIdent(name);
  const [prefix, suffix] = name.split("<collector>") as [string, string];
  return `/^${prefix}${INFLUX_ONE_COLLECTOR}${suffix}$/`;
}

export function renderInfluxQL(spec: SeriesSpec, ctx: RenderContext): string {
  const field = quoteIdent(influxField(spec));
  const perSeries = spec.transform === "perSecond" ? `non_negative_derivative(last(${field}), 1s)` : `last(${field})`;
  const scale = spec.divideBy === undefined ? "" : ` / ${spec.divideBy}`;
  const src = from(spec);
  if (!spec.aggregate) {
    return `SELECT ${perSeries}${scale} AS "value" FROM ${src} WHERE ${where(spec)} GROUP BY ${groupBy(ctx, ["*"]).replace('"*"', "*")} fill(none)`;
  }
  // Aggregate per time bucket over the last value of each series, not over every raw point.
  const inner = `SELECT ${perSeries} AS "v" FROM ${src} WHERE ${where(spec)} GROUP BY time(${ctx.bucket}), * fill(none)`;
  const op = spec.aggregate.op === "avg" ? "mean" : spec.aggregate.op;
  return `SELECT ${op}("v")${scale} AS "value" FROM (${inner}) WHERE $timeFilter GROUP BY ${groupBy(ctx, spec.aggregate.by)} fill(none)`;
}
