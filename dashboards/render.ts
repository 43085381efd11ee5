/**
 * DashboardSpec → Grafana dashboard JSON through @grafana/grafana-foundation-sdk, then one policy pass that
 * stamps what must be stable: uid, tags, panel ids, grid positions, refIds and the datasource of every target.
 */
import {
  DashboardBuilder,
  AnnotationQueryBuilder,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
} from "@grafana/grafana-foundation-sdk/dashboard";
import type { DashboardLink } from "@grafana/grafana-foundation-sdk/dashboard";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import type { Dialect } from "./dialects/spec.js";
import { legendText, type Query } from "./query.js";
import { InfluxQueryBuilder } from "./influx-query.js";
import type { DashboardSpec, PanelSpec } from "./model.js";
import { CLUSTER_LABEL, DATASOURCE_UID } from "../contract/services.js";

const STORE_TITLE: Record<Dialect, string> = { prometheus: "Prometheus", influxdb: "InfluxDB" };
const UID_SUFFIX: Record<Dialect, string> = { prometheus: "prom", influxdb: "influx" };
const PANEL_HEIGHT = 8;
const DEFAULT_WIDTH = 8;

/** Stable uid from the dashboard key and store: "flink-job-prom" (Grafana allows at most 40 characters). */
export function dashboardUid(key: string, dialect: Dialect): string {
  return `${key}-${UID_SUFFIX[dialect]}`.slice(0, 40);
}

const DATASOURCE_REF = (dialect: Dialect) => ({ type: dialect, uid: "${datasource}" });

function target(query: Query, dialect: Dialect): cog.Builder<cog.Dataquery> {
  const legend = legendText(query.legend, dialect);
  if (dialect === "prometheus") {
    const q = new prometheus.DataqueryBuilder().expr(query.prometheus).legendFormat(legend || "__auto");
    return query.instant ? q.instant() : q.range();
  }
  return new InfluxQueryBuilder(query.influxdb).alias(legend);
}

function thresholds(panel: PanelSpec): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps([
      { value: null as unknown as number, color: panel.baseColor ?? "green" },
      ...(panel.thresholds ?? []).map((t) => ({ value: t.value, color: t.color })),
    ]);
}

/** A data link (`fieldConfig.defaults.links`): Grafana fills `${__field.labels.x}` from the clicked value. */
function drillDownLink(link: NonNullable<PanelSpec["drillDown"]>, dialect: Dialect): cog.Builder<DashboardLink> {
  const vars = [`var-${CLUSTER_LABEL}=\${${CLUSTER_LABEL}}`, `var-${link.label}=\${__field.labels.${link.label}}`];
  const url = `/d/${dashboardUid(link.dashboard, dialect)}?${vars.join("&")}&\${__url_time_range}`;
  // A data link is {title, url}; the SDK types it as a DashboardLink builder.
  return { build: () => ({ title: link.title, url }) as unknown as DashboardLink };
}

function panelBuilder(spec: PanelSpec, dialect: Dialect): cog.Builder<unknown> {
  const panel: PanelSpec = dialect === "influxdb" && spec.influxdb ? { ...spec, ...spec.influxdb } : spec;
  const reduce = new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false);
  let b;
  switch (panel.kind) {
    case "stat":
      b = new stat.PanelBuilder()
        .reduceOptions(reduce)
        .graphMode(common.BigValueGraphMode.Area)
        .colorMode(common.BigValueColorMode.Value);
      break;
    case "bargauge":
      b = new bargauge.PanelBuilder()
        .reduceOptions(reduce)
        .orientation(common.VizOrientation.Horizontal)
        .displayMode(common.BarGaugeDisplayMode.Gradient);
      break;
    default:
      b = new timeseries.PanelBuilder()
        .legend(
          new common.VizLegendOptionsBuilder()
            .showLegend(true)
            .placement(common.LegendPlacement.Bottom)
            .displayMode(common.LegendDisplayMode.List),
        )
        .tooltip(
          new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending),
        )
        .fillOpacity(10);
  }
  b.title(panel.title)
    .description(panel.description)
    .unit(panel.unit)
    .thresholds(thresholds(panel))
    .datasource(DATASOURCE_REF(dialect));
  if (panel.min !== undefined) b.min(panel.min);
  if (panel.max !== undefined) b.max(panel.max);
  for (const q of panel.targets) b.withTarget(target(q, dialect));
  if (panel.drillDown) b.dataLinks([drillDownLink(panel.drillDown, dialect)]);
  return b;
}

function variables(spec: DashboardSpec, dialect: Dialect) {
  const ds = new DatasourceVariableBuilder("datasource")
    .label(`${STORE_TITLE[dialect]} data source`)
    .type(dialect)
    .current({ text: `Flink ${STORE_TITLE[dialect]}`, value: DATASOURCE_UID[dialect] });
  const queries = spec.variables.map((v) => {
    const b = new QueryVariableBuilder(v.name)
      .label(v.label)
      .datasource(DATASOURCE_REF(dialect))
      .query(dialect === "prometheus" ? v.prometheus : v.influxdb)
      .definition(dialect === "prometheus" ? v.prometheus : v.influxdb)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc);
    if (v.single) return b.multi(false).includeAll(false);
    b.multi(true).includeAll(true).allValue(".*");
    // Without a current value Grafana selects the first option on load.
    return v.startOnAll === false ? b : b.current({ text: "All", value: "$__all" });
  });
  return [ds, ...queries];
}

const LINKED = [
  { key: "flink-jobmanager", title: "JobManager" },
  { key: "flink-taskmanager", title: "TaskManagers" },
  { key: "flink-job", title: "Jobs" },
];

type Json = Record<string, unknown>;

/**
 * Panel ids: rows and panels numbered 1.. in order. Alert rules link to a panel by this id (annotation
 * __panelId__), so it is computed here, once, for both the dashboard and the rules.
 */
export function panelIds(spec: DashboardSpec): ReadonlyMap<string, number> {
  const ids = new Map<string, number>();
  let id = 1;
  spec.rows.forEach((row, r) => {
    ids.set(`row-${r}`, id++);
    for (const panel of row.panels) ids.set(panel.key, id++);
  });
  return ids;
}

/** The policy pass: explicit panel ids and grid positions, refIds A.., and a datasource on every target. */
function stampPanels(dashboard: Json, spec: DashboardSpec, dialect: Dialect): void {
  const ids = panelIds(spec);
  let y = 0;
  const out: Json[] = [];
  const panels = dashboard.panels as Json[];
  let index = 0;
  spec.rows.forEach((row, r) => {
    const rowJson = panels[index++]!;
    rowJson.id = ids.get(`row-${r}`);
    rowJson.gridPos = { h: 1, w: 24, x: 0, y };
    out.push(rowJson);
    y += 1;
    let x = 0;
    for (const panel of row.panels) {
      const json = panels[index++]!;
      const w = panel.width ?? DEFAULT_WIDTH;
      if (x + w > 24) {
        x = 0;
        y += PANEL_HEIGHT;
      }
      json.id = ids.get(panel.key);
      json.gridPos = { h: PANEL_HEIGHT, w, x, y };
      x += w;
      (json.targets as Json[]).forEach((t, i) => {
        t.refId = String.fromCharCode(65 + i);
        t.datasource = DATASOURCE_REF(dialect);
      });
      out.push(json);
    }
    y += PANEL_HEIGHT;
  });
  dashboard.panels = out;
}

/** Recursively sorted keys: the file's bytes do not depend on builder or SDK internals' key order. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Json)[k])]),
    );
  }
  return value;
}

export function renderDashboard(spec: DashboardSpec, dialect: Dialect): Json {
  const builder = new DashboardBuilder(`Flink ${spec.title} (${STORE_TITLE[dialect]})`)
    .uid(dashboardUid(spec.key, dialect))
    .description(spec.description)
    .tags(["flink", "flinkmon", dialect])
    .refresh("30s")
    .time({ from: "now-1h", to: "now" })
    .timezone("browser")
    .readonly()
    .variables(variables(spec, dialect))
    .annotations(
      dialect === "prometheus"
        ? (spec.annotations ?? []).map((a) =>
            new AnnotationQueryBuilder()
              .name(a.name)
              .datasource(DATASOURCE_REF(dialect))
              .enable(true)
              .iconColor(a.color)
              .expr(a.prometheus)
              .step(a.step)
              .titleFormat(a.name)
              .textFormat(a.text),
          )
        : [],
    )
    .links(
      LINKED.filter((l) => l.key !== spec.key).map((l) =>
        new DashboardLinkBuilder(`Flink ${l.title}`)
          .type(DashboardLinkType.Link)
          .url(`/d/${dashboardUid(l.key, dialect)}`)
          .keepTime(true)
          // The variables travel (var-cluster, var-job_name, …): the next dashboard opens on the same cluster;
          // one it does not have it ignores.
          .includeVars(true)
          .targetBlank(false),
      ),
    );
  for (const row of spec.rows) {
    builder.withRow(new RowBuilder(row.title));
    for (const panel of row.panels) builder.withPanel(panelBuilder(panel, dialect) as cog.Builder<never>);
  }
  const json = builder.build() as unknown as Json;
  stampPanels(json, spec, dialect);
  delete json.id;
  delete json.version;
  return json;
}

export function dashboardFile(spec: DashboardSpec, dialect: Dialect): string {
  return `${JSON.stringify(sortKeys(renderDashboard(spec, dialect)), null, 2)}\n`;
}
