/** SeriesSpec → PromQL, using the Prometheus names of the catalog. */
import { storeNames } from "../../flink/catalog.js";
import { formatDuration } from "../../config/duration.js";
import type { SeriesSpec, RenderContext, VariableFilter } from "./spec.js";
import { CLUSTER_LABEL } from "../../contract/services.js";

/** `job_name=~"$job_name"`: a label restricted to a dashboard variable's values. */
export const variableMatcher = (f: VariableFilter): string => `${f.label}=~"$${f.variable}"`;

function matchers(spec: SeriesSpec, extra: readonly string[] = []): string {
  const parts = [...extra, ...(spec.filters ?? []).map(variableMatcher)];
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

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

/** Labels a recording keeps: the panel's grouping plus every label its variables filter on. */
function recordedLabels(spec: SeriesSpec): string[] {
  const labels = new Set([...(spec.aggregate?.by ?? []), ...(spec.filters ?? []).map((f) => f.label)]);
  const scopes = [CLUSTER_LABEL, "job_name", "task_name", "operator_name"];
  return scopes.filter((l) => labels.has(l)).concat([...labels].filter((l) => !scopes.includes(l)).sort());
}

/**
 * The recording rule a dashboard query reads instead of the raw per-subtask series: task and operator metrics of
 * a large job are thousands of series, so their per-task/per-operator sum, max or min is recorded once per
 * evaluation. Undefined where no rule is needed (small scopes, rates, quantiles).
 */
export function recordingFor(spec: SeriesSpec): RecordingRule | undefined {
  const scope = spec.metric.scope;
  const rate = spec.transform === "perSecond";
  if (!spec.aggregate || spec.quantile || (rate && !spec.recordRateOver)) return undefined;
  // Task and operator values (thousands of series per job), and per-second rates on TaskManagers (hundreds).
  const large = scope === "taskmanager.job.task" || scope === "taskmanager.job.task.operator";
  if (!large && !(rate && scope === "taskmanager")) return undefined;
  const keep = recordedLabels(spec);
  const name = storeNames(spec.metric).prometheus;
  const op = `${rate ? "rate_" : ""}${spec.aggregate.op}${spec.above !== undefined ? "_above_" + String(spec.above).replace(/[^0-9]/g, "_") : ""}`;
  const value = rate ? `rate(${name}[${spec.recordRateOver}])` : name;
  const raw = spec.above !== undefined ? `${value} > ${spec.above}` : value;
  return {
    record: `${keep.map((l) => l.replace(/_name$/, "")).join("_")}:${name}:${op}`,
    expr: `${spec.aggregate.op} by (${keep.join(", ")}) (${raw})`,
  };
}

/**
 * An instant ranking of `spec`'s entities over the dashboard's time range, evaluated once at its end: the peak
 * (or, `low`, the trough) of each entity's recorded or reported value, or its average rate. Read from the raw
 * samples or the recording, never by re-evaluating the panel query at every step.
 */
export function promRank(spec: SeriesSpec, entity: readonly string[], low = false): string {
  const rule = recordingFor(spec);
  if (rule) return rankOver(recordedSelector(rule, spec), entity, low);
  if (spec.transform === "perSecond")
    return `${low ? "min" : "max"} by (${entity.join(", ")}) (rate(${promSelector(spec)}[$__range] @ end()))`;
  return rankOver(promSelector(spec), entity, low);
}

/** Each entity's peak (or trough) of `selector`'s samples over the dashboard's range, at its end. */
export const rankOver = (selector: string, entity: readonly string[], low = false): string =>
  `${low ? "min" : "max"} by (${entity.join(", ")}) (${low ? "min" : "max"}_over_time(${selector}[$__range] @ end()))`;

export function renderPromQL(spec: SeriesSpec, ctx: RenderContext): string {
  const scaled = (q: string) => (spec.divideBy === undefined ? q : `${q} / ${spec.divideBy}`);
  const rule = ctx.recorded ? recordingFor(spec) : undefined;
  if (rule) return scaled(aggregate(spec, recordedSelector(rule, spec)));
  let inner = spec.transform === "perSecond" ? `rate(${promSelector(spec)}[${ctx.rateWindow}])` : promSelector(spec);
  if (spec.above !== undefined) inner = `${inner} > ${spec.above}`;
  return scaled(aggregate(spec, inner));
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
 * The recording a GC panel reads: the per-second increase of each collector of each `who` (tm_id, host), so a
 * dashboard over hundreds of TaskManagers neither matches metric names by regex nor subtracts offsets per step.
 */
export function gcRecordingFor(spec: SeriesSpec, who: readonly string[], windowSeconds: number): RecordingRule {
  const [prefix, suffix] = storeNames(spec.metric).prometheus.split("<collector>") as [string, string];
  const keep = [CLUSTER_LABEL, ...who, "collector"];
  const unfiltered = { ...spec, filters: [], aggregate: { op: "max" as const, by: keep } };
  return {
    record: `${keep.join("_")}:${prefix}collector${suffix}:rate`,
    expr: renderPromGcPerSecond(unfiltered, windowSeconds),
  };
}

/** A recording read with the panel's variable filters. */
export const recordedSelector = (rule: RecordingRule, spec: SeriesSpec): string =>
  `${rule.record}${matchers({ ...spec, quantile: undefined })}`;

/**
 * Per-second increase of a cumulative GC metric per collector. rate() would drop the metric name the collector
 * lives in, so this subtracts the value one window ago instead (clamped at 0 across restarts).
 */
export function renderPromGcPerSecond(spec: SeriesSpec, windowSeconds: number): string {
  const now = promGcSelector(spec);
  const before = promGcSelector(spec, ` offset ${formatDuration(windowSeconds)}`);
  return aggregate(spec, `clamp_min(${now} - ${before}, 0) / ${windowSeconds}`);
}

/** How a per-entity panel stays readable on a large cluster (see promSpread). */
export interface Spread {
  /** Labels naming one entity: tm_id; job_name and task_name; … */
  readonly entity: readonly string[];
  /** Which end of the range is worth seeing: the highest (load, lag) or the lowest values. @default "high" */
  readonly worst?: "high" | "low";
  /** One value per entity, evaluated once at the range's end, to rank by (promRank). */
  readonly rank: string;
}

/** An All view draws this many entities one by one, beside the distribution. */
export const TOP_ENTITIES = 5;
/** Up to this many entities (a drill-down: one job's tasks, a few TaskManagers), every one is drawn. */
export const DRILL_DOWN_ENTITIES = 20;

/**
 * `x` (a per-entity dashboard query) bounded for All views over large clusters: while at most
 * DRILL_DOWN_ENTITIES entities have data in the dashboard's range every series is drawn; beyond, the
 * TOP_ENTITIES entities with the highest (or lowest) value in the range, and the max, median and min across all
 * entities, named in the entity's last label. The ranking and the count are evaluated once, at the range's end
 * (`@ end()`), so the choice holds across the graph. Other labels `x` keeps (a GC collector) stay apart.
 */
export function promSpread(x: string, spread: Spread, keep: readonly string[] = []): string {
  const entities = entityCount(spread);
  const by = keep.length > 0 ? ` by (${keep.join(", ")})` : "";
  const name = spread.entity[spread.entity.length - 1]!;
  const stat = (value: string, text: string) => `label_replace(${value}, "${name}", "${text}", "", "")`;
  const stats = [
    stat(`max${by} (${x})`, "max"),
    stat(`quantile${by} (0.5, ${x})`, "median"),
    stat(`min${by} (${x})`, "min"),
  ].join(" or ");
  return `${promShownOnly(x, spread)} or (${stats}) and on () (${entities} > ${DRILL_DOWN_ENTITIES})`;
}

const entityCount = (spread: Spread) => `count(count by (${spread.entity.join(", ")}) (${spread.rank}))`;

/**
 * `x` drawn for the entities a spread shows (every one in a drill-down, else the top few), without the distribution:
 * a panel's other targets (heap committed and max beside heap used) follow its first one's entities.
 */
export function promShownOnly(x: string, spread: Spread): string {
  const { rank } = spread;
  const top = `${spread.worst === "low" ? "bottomk" : "topk"}(${TOP_ENTITIES}, ${rank})`;
  const shown = `${top} or (${rank} and on () (${entityCount(spread)} <= ${DRILL_DOWN_ENTITIES}))`;
  return `(${x}) and on (${spread.entity.join(", ")}) (${shown})`;
}
