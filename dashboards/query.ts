/** A panel target in both dialects, with its legend; built from SeriesSpecs so metric names stay in the catalog. */
import {
  renderPromQL,
  recordingFor,
  gcRecordingFor,
  recordedSelector,
  promRank,
  rankOver,
  promSpread,
  promShownOnly,
  spreadRule,
  spreadRuleFor,
  spreadRecordName,
  type RecordingRule,
  type EntityQuery,
  type Spread,
} from "./dialects/promql.js";
import { renderInfluxQL } from "./dialects/influxql.js";
import { storeNames } from "../flink/catalog.js";
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
  /** A spread Prometheus query's parts: the query before spreading and how it is spread (see followFirst). */
  readonly spread?: { readonly x: EntityQuery; readonly how: Spread };
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

/**
 * Labels whose dashboard variables can be on All over many values: a series grouped by one of them is an entity
 * per series, and is spread (promSpread) so an All view stays a few dozen series on a large cluster.
 */
const ENTITY_LABELS = ["job_name", "tm_id"];

/** Whom a grouping spreads over, or undefined where its series are few (per cluster, per JobManager host). */
export function spreadOf(
  by: readonly string[] | undefined,
  worst?: Spread["worst"],
): Pick<Spread, "entity" | "worst"> | undefined {
  return by?.some((l) => ENTITY_LABELS.includes(l)) ? { entity: by, ...(worst ? { worst } : {}) } : undefined;
}

/**
 * A panel target. Grouped by an entity label (spreadOf), its Prometheus query is spread: every series in a
 * drill-down, the top few and the distribution in an All view. InfluxQL cannot rank series, so InfluxDB draws them all.
 */
export function series(
  spec: SeriesSpec,
  legend: readonly LegendPart[],
  options: { instant?: boolean; worst?: Spread["worst"] } = {},
): Query {
  const rule = recordingFor(spec);
  const over = options.instant ? undefined : spreadOf(spec.aggregate?.by, options.worst);
  const x = renderPromQL(spec, DASHBOARD_CONTEXT);
  const entityQuery = (restriction?: string) => renderPromQL(spec, DASHBOARD_CONTEXT, false, restriction);
  const how = over && spreadFor(spec, over);
  return {
    prometheus: how ? promSpread(entityQuery, how) : x,
    influxdb: renderInfluxQL(spec, DASHBOARD_CONTEXT),
    legend,
    ...(options.instant ? { instant: true } : {}),
    recordings: [...(rule ? [rule] : []), ...(how ? [how.recorded] : [])],
    ...(how ? { spread: { x: entityQuery, how } } : {}),
  };
}

/**
 * How `spec`'s entities are spread: ranked at the end `over` names as the worst, filtered by its variables, its
 * distribution recorded (`recorded`: where the panel draws more than `spec` itself, the watermark's lag).
 */
export function spreadFor(
  spec: SeriesSpec,
  over: Pick<Spread, "entity" | "worst">,
  recorded = spreadRuleFor(spec, DASHBOARD_CONTEXT, over.entity),
): Spread {
  return {
    ...over,
    rank: promRank(spec, over.entity, over.worst === "low"),
    filters: spec.filters ?? [],
    recorded,
  };
}

/**
 * A panel's targets drawn for the same entities: the first is spread (the top few and the distribution on All), the
 * others (heap committed and max beside heap used, records out beside records in) show those entities only, so an
 * All view draws each of its few TaskManagers or tasks whole, and Prometheus evaluates the others once, not four times.
 */
export function followFirst(targets: readonly Query[]): Query[] {
  const [first, ...rest] = targets;
  if (!first?.spread) return [...targets];
  const lead = first.spread.how;
  return [
    first,
    // A follower draws the leader's entities: its own distribution is not read.
    ...rest.map((q) => {
      const own = q.spread?.how.recorded;
      return own
        ? { ...q, prometheus: promShownOnly(q.spread!.x, lead), recordings: q.recordings?.filter((r) => r !== own) }
        : q;
    }),
  ];
}

/**
 * GC metrics per collector and `who` (tm_id, host): a per-second rate of the cumulative Count and Time gauges over
 * `windowSeconds`, read from a recording rule on Prometheus; spread over TaskManagers like `series`.
 */
export function gcPerSecond(
  spec: SeriesSpec,
  who: readonly string[],
  legend: readonly LegendPart[],
  windowSeconds: number,
): Query {
  const rule = gcRecordingFor(spec, who, windowSeconds);
  const selector = recordedSelector(rule, spec);
  const over = spreadOf(who);
  const how: Spread | undefined = over && {
    ...over,
    rank: rankOver(selector, who),
    filters: spec.filters ?? [],
    // The recording keeps the cluster, `who` and the collector: over every cluster it is the recording itself.
    recorded: spreadRule(
      spreadRecordName(storeNames(spec.metric).prometheus.replace("<collector>", "collector"), "rate", who),
      rule.record,
      ["collector"],
    ),
  };
  return {
    prometheus: how ? promSpread(selector, how, ["collector"]) : selector,
    influxdb: renderInfluxQL({ ...spec, transform: "perSecond" }, DASHBOARD_CONTEXT),
    legend: [...legend, label("collector")],
    recordings: [rule, ...(how ? [how.recorded] : [])],
  };
}

/** A query written per dialect where the shared model does not fit (documented at the call site). */
export function custom(
  prometheus: string,
  influxdb: string,
  legend: readonly LegendPart[],
  options: { instant?: boolean; recordings?: RecordingRule[]; spread?: Spread } = {},
): Query {
  const { spread, recordings = [], ...rest } = options;
  return {
    prometheus: spread ? promSpread(prometheus, spread) : prometheus,
    influxdb,
    legend,
    recordings: [...recordings, ...(spread ? [spread.recorded] : [])],
    ...rest,
  };
}
