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
  /** Reads other recordings: evaluated after them in the group (Prometheus runs a group's rules in order). */
  readonly readsRecordings?: true;
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
  const value = rate ? `rate(${name}[${spec.recordRateOver}])` : name;
  const raw = spec.above !== undefined ? `${value} > ${spec.above}` : value;
  return {
    record: `${keep.map(shortLabel).join("_")}:${name}:${operations(spec)}`,
    expr: `${spec.aggregate.op} by (${keep.join(", ")}) (${raw})`,
  };
}

/** job_name → job: the level part of a recording's name (`level:metric:operations`). */
const shortLabel = (label: string) => label.replace(/_name$/, "");

/** The operations part of a recording's name: rate_max, min_above_0, … */
function operations(spec: SeriesSpec): string {
  const rate = spec.transform === "perSecond" ? "rate_" : "";
  const digits = (n: number | string) => String(n).replace(/[^0-9]/g, "_");
  const above = spec.above !== undefined ? `_above_${digits(spec.above)}` : "";
  const quantile = spec.quantile ? `_of_quantile_${digits(spec.quantile)}` : "";
  return `${rate}${spec.aggregate?.op ?? "value"}${above}${quantile}`;
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

/**
 * `spec` as PromQL. `whole`: over every entity of every cluster (no variable filters, grouped by the cluster too), as
 * a recording rule reads it; a rate there needs a recorded window (rules have no $__rate_interval). `restriction`:
 * appended to the series it reads, before they are aggregated (see EntityQuery).
 */
export function renderPromQL(spec: SeriesSpec, ctx: RenderContext, whole = false, restriction?: string): string {
  const scaled = (q: string) => (spec.divideBy === undefined ? q : `${q} / ${spec.divideBy}`);
  const restricted = (q: string) => (restriction ? `${q} ${restriction}` : q);
  const rule = ctx.recorded ? recordingFor(spec) : undefined;
  const s = whole ? wholeSpec(spec) : spec;
  if (rule) return scaled(aggregate(s, restricted(recordedSelector(rule, s))));
  if (whole && spec.transform === "perSecond" && ctx.rateWindow.startsWith("$"))
    throw new Error(`${storeNames(spec.metric).prometheus}: a rate over every entity needs a recorded window`);
  let inner = spec.transform === "perSecond" ? `rate(${promSelector(s)}[${ctx.rateWindow}])` : promSelector(s);
  if (spec.above !== undefined) inner = `${inner} > ${spec.above}`;
  return scaled(aggregate(s, restricted(inner)));
}

/**
 * A per-entity panel query, or how to write it for some entities only: `restriction` (`and on (entity) …`) applied
 * to the series it reads, before they are aggregated, so Prometheus aggregates a few series, not thousands.
 */
export type EntityQuery = string | ((restriction?: string) => string);

const plain = (x: EntityQuery) => (typeof x === "string" ? x : x());
const restrictedTo = (x: EntityQuery, restriction: string) =>
  typeof x === "string" ? `(${x}) ${restriction}` : x(restriction);

/** `spec` without its variable filters, grouped by the cluster as well. */
const wholeSpec = (spec: SeriesSpec): SeriesSpec => ({
  ...spec,
  filters: [],
  ...(spec.aggregate ? { aggregate: { ...spec.aggregate, by: [CLUSTER_LABEL, ...spec.aggregate.by] } } : {}),
});

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
  /** The panel's variable filters: the cluster, and those that narrow the entities (job, task, operator; TaskManager). */
  readonly filters: readonly VariableFilter[];
  /** The distribution of the panel's query over every entity, recorded per cluster (spreadRule). */
  readonly recorded: RecordingRule;
}

/** An All view draws this many entities one by one, beside the distribution. */
export const TOP_ENTITIES = 5;
/** Up to this many entities (a drill-down: one job's tasks, a few TaskManagers), every one is drawn. */
export const DRILL_DOWN_ENTITIES = 20;

/**
 * The recording an All view reads instead of computing the distribution of thousands of series at every step:
 * `whole` (one series per entity, over every cluster, keeping the cluster label) reduced per cluster (and `keep`,
 * a GC collector) to its max, median, min and the number of entities, told apart by the `stat` label.
 */
export function spreadRule(record: string, whole: string, keep: readonly string[] = []): RecordingRule {
  const by = [CLUSTER_LABEL, ...keep].join(", ");
  const stat = (value: string, text: string) => `label_replace(${value}, "stat", "${text}", "", "")`;
  const stats = [
    stat(`max by (${by}) (${whole})`, "max"),
    stat(`quantile by (${by}) (0.5, ${whole})`, "median"),
    stat(`min by (${by}) (${whole})`, "min"),
    stat(`count by (${by}) (${whole})`, "count"),
  ];
  return { record, expr: stats.join(" or "), readsRecordings: true };
}

/** The name of the distribution recording of `metric`'s `operations` per `entity`: cluster:M:max_by_job_task. */
export const spreadRecordName = (metric: string, ops: string, entity: readonly string[]): string =>
  `${CLUSTER_LABEL}:${metric}:${ops}_by_${entity.map(shortLabel).join("_")}`;

/** The distribution recording of a SeriesSpec-built panel query grouped by `entity`. */
export function spreadRuleFor(spec: SeriesSpec, ctx: RenderContext, entity: readonly string[]): RecordingRule {
  const divided = spec.divideBy === undefined ? "" : `_per_${spec.divideBy}`;
  const name = spreadRecordName(storeNames(spec.metric).prometheus, operations(spec) + divided, entity);
  return spreadRule(name, renderPromQL(spec, ctx, true));
}

/*
 * Which view a query is in. Grafana writes a multi-value variable on All as its allValue `.*`, a selection as `a` or
 * `(a|b)` (regex-escaped), which never match the empty string; so `($job_name)($task_name)NAME` matches the name
 * NAME exactly while every one of the variables is on All. A selector gated this way selects nothing, and costs
 * nothing, in the view it is not for: a PromQL binary operator evaluates both sides, whatever the other returns.
 */
const onAllPattern = (variables: readonly string[], name: string) => variables.map((v) => `($${v})`).join("") + name;

/**
 * Every selector `NAME{…}` of `expr` made empty while every one of `variables` is on All. Dashboard selectors always
 * carry braces (the cluster's matcher at least); a bare `NAME` would stay as it is.
 */
export function unlessAll(expr: string, variables: readonly string[]): string {
  return expr.replace(
    /([a-zA-Z_:][a-zA-Z0-9_:]*)\{(\}?)/g,
    (_, name: string, empty: string) =>
      `{__name__="${name}", __name__!~"${onAllPattern(variables, name)}"${empty ? "}" : ", "}`,
  );
}

/** `record`'s series with `matchers`, selected only while every one of `variables` is on All. */
const onlyOnAll = (record: string, variables: readonly string[], matchers: readonly string[]) =>
  `{${[`__name__=~"${onAllPattern(variables, record)}"`, ...matchers].join(", ")}}`;

/** The spread's variables that narrow its entities (all but the cluster), and the cluster's matcher. */
function views(spread: Spread): { narrowing: string[]; cluster: string[] } {
  const narrowing = spread.filters.filter((f) => f.label !== CLUSTER_LABEL).map((f) => f.variable);
  const cluster = spread.filters.filter((f) => f.label === CLUSTER_LABEL).map(variableMatcher);
  return { narrowing, cluster };
}

/**
 * `x` (a per-entity dashboard query) bounded for All views over large clusters: while at most
 * DRILL_DOWN_ENTITIES entities have data in the dashboard's range every series is drawn; beyond, the
 * TOP_ENTITIES entities with the highest (or lowest) value in the range, and the max, median and min across all
 * entities, named in the entity's last label. The ranking and the count are evaluated once, at the range's end
 * (`@ end()`), so the choice holds across the graph. Other labels `x` keeps (a GC collector) stay apart.
 * With every variable on All, the distribution and the count are read from the spread's recording; a selection
 * (several jobs, a few dozen TaskManagers) computes them from its own series.
 */
export function promSpread(x: EntityQuery, spread: Spread, keep: readonly string[] = []): string {
  const { narrowing, cluster } = views(spread);
  const by = keep.length > 0 ? ` by (${keep.join(", ")})` : "";
  const name = spread.entity[spread.entity.length - 1]!;
  const stat = (value: string, text: string) => `label_replace(${value}, "${name}", "${text}", "", "")`;
  const selected = unlessAll(plain(x), narrowing);
  const computed = [
    stat(`max${by} (${selected})`, "max"),
    stat(`quantile${by} (0.5, ${selected})`, "median"),
    stat(`min${by} (${selected})`, "min"),
  ];
  // Labelled as the computed ones: the entity's last label names the statistic (one cluster is selected at a time).
  const stated = `label_replace(${onlyOnAll(spread.recorded.record, narrowing, [...cluster, 'stat!="count"'])}, "${name}", "$1", "stat", "(.+)")`;
  const recorded = `max by (${[name, ...keep].join(", ")}) (${stated})`;
  const stats = [...computed, recorded].join(" or ");
  return `${promShownOnly(x, spread)} or (${stats}) and on () (${entityCount(spread)} > ${DRILL_DOWN_ENTITIES})`;
}

/**
 * How many entities have data in the dashboard's range: on All, the most the recording counted at once; in a
 * selection, those the ranking saw.
 */
function entityCount(spread: Spread): string {
  const { narrowing, cluster } = views(spread);
  const counted = onlyOnAll(spread.recorded.record, narrowing, [...cluster, 'stat="count"']);
  const recorded = `max(max_over_time(${counted}[$__range] @ end()))`;
  const ranked = `count(count by (${spread.entity.join(", ")}) (${unlessAll(spread.rank, narrowing)}))`;
  return `(${recorded} or ${ranked})`;
}

/**
 * `x` drawn for the entities a spread shows (every one in a drill-down, else the top few), without the distribution:
 * a panel's other targets (heap committed and max beside heap used) follow its first one's entities. Every entity
 * while the count is unknown (no recording yet), up to DRILL_DOWN_ENTITIES.
 * How many to show is topk's parameter, and Prometheus leaves `@` unresolved in an aggregation's parameter (a
 * step-invariant topk evaluates it at the range's start): so the choice is a subquery pinned at the range's end,
 * one step long, where the parameter's selectors are evaluated at the end too.
 */
export function promShownOnly(x: EntityQuery, spread: Spread): string {
  const many = `((${entityCount(spread)} > bool ${DRILL_DOWN_ENTITIES}) or vector(0))`;
  const shown = `scalar(${DRILL_DOWN_ENTITIES} - ${DRILL_DOWN_ENTITIES - TOP_ENTITIES} * ${many})`;
  const top = `${spread.worst === "low" ? "bottomk" : "topk"}(${shown}, ${spread.rank})`;
  return restrictedTo(x, `and on (${spread.entity.join(", ")}) last_over_time((${top})[1s:1s] @ end())`);
}
