/** SeriesSpec → PromQL, using the Prometheus names of the catalog. */
import { storeNames } from "../../flink/catalog.js";
import { formatDuration } from "../../config/duration.js";
import type { SeriesSpec, RenderContext, VariableFilter } from "./spec.js";

function matchers(spec: SeriesSpec, extra: readonly string[] = []): string {
  const parts = [...extra, ...(spec.filters ?? []).map((f: VariableFilter) => `${f.label}=~"$${f.variable}"`)];
  if (spec.quantile) parts.push(`quantile="${spec.quantile}"`);
  return parts.length > 0 ? `{${parts.join(", ")}}` : "";
}

/** The instant-vector selector of a spec (no transform). */
export function promSelector(spec: SeriesSpec): string {
  return `${storeNames(spec.metric).prometheus}${matchers(spec)}`;
}

export function aggregate(spec: SeriesSpec, inner: string): string {
  if (!spec.aggregate) return inner;
  const by = spec.aggregate.by.length > 0 ? ` by (${spec.aggregate.by.join(", ")})` : "";
  return `${spec.aggregate.op}${by} (${inner})`;
}

export function renderPromQL(spec: SeriesSpec, ctx: RenderContext): string {
  let inner = spec.transform === "perSecond" ? `rate(${promSelector(spec)}[${ctx.rateWindow}])` : promSelector(spec);
  if (spec.above !== undefined) inner = `${inner} > ${spec.above}`;
  return aggregate(spec, inner);
}

/**
 * Garbage-collector metrics carry the collector in the metric name. This selects every collector (G1, PS,
 * CMS/ParNew, Serial, ZGC, …), lifts its name into a `collector` label and leaves out the 1.19+ "All" sum.
 */
export function promGcSelector(spec: SeriesSpec, offset = ""): string {
  const pattern = storeNames(spec.metric).prometheus;
  const [prefix, suffix] = pattern.split("<collector>") as [string, string];
  const extra = [`__name__=~"${prefix}.+${suffix}"`, `__name__!~"${prefix}All${suffix}"`];
  return `label_replace(${matchers(spec, extra)}${offset}, "collector", "$1", "__name__", "${prefix}(.+)${suffix}")`;
}

/**
 * Per-second increase of a cumulative GC metric per collector. rate() would drop the metric name the collector
 * lives in, so this subtracts the value one window ago instead (clamped at 0 across restarts).
 */
export function renderPromGcPerSecond(spec: SeriesSpec, windowSeconds: number): string {
  const now = promGcSelector(spec);
  const before = promGcSelector(spec, ` offset ${formatDuration(windowSeconds)}`);
  return aggregate(spec, `clamp_min(${now} - ${before}, 0) / ${windowSeconds}`);
}
