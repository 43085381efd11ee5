/**
 * The alerts as Grafana file provisioning (grafana/provisioning/alerting/flinkmon-alerts.yaml): rules built
 * with the foundation SDK, then converted from its HTTP-API shape to the file shape (reference grafana.md
 * §2.3-2.4), plus the contact point and notification policy from config.
 */
import { stringify } from "yaml";
import {
  RuleBuilder,
  QueryBuilder,
  ContactPointBuilder,
  NotificationPolicyBuilder,
} from "@grafana/grafana-foundation-sdk/alerting";
import type * as alerting from "@grafana/grafana-foundation-sdk/alerting";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import { TypeReduceBuilder, TypeThresholdBuilder, TypeMathBuilder } from "@grafana/grafana-foundation-sdk/expr";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import type { MonitoringConfig } from "../../config/resolve.js";
import { CLUSTER_LABEL, DATASOURCE_UID } from "../../contract/services.js";
import { CONTACT_POINT, EXPRESSION_DATASOURCE_UID, GRAFANA_ENV } from "../../contract/grafana.js";
import { InfluxQueryBuilder } from "../influx-query.js";
import { dashboardUid, panelIds } from "../render.js";
import { dashboardSpecs } from "../index.js";
import type { Dialect } from "../dialects/spec.js";
import { alertDefinitions, type AlertDef } from "./definitions.js";
import { alertAnnotations, alertLabels, alertUid } from "./annotations.js";
import { YAML_OUTPUT } from "../../contract/yaml-output.js";

const EXPR = { type: EXPRESSION_DATASOURCE_UID, uid: EXPRESSION_DATASOURCE_UID };

/** The store Grafana alerts on: Prometheus when enabled (no double alerts), else InfluxDB. */
export function alertingDialect(config: MonitoringConfig): Dialect | undefined {
  if (config.stores.prometheus) return "prometheus";
  if (config.stores.influxdb) return "influxdb";
  return undefined;
}

function dataQuery(refId: string, dialect: Dialect, text: string, lookbackSeconds: number): QueryBuilder {
  const model: cog.Builder<cog.Dataquery> =
    dialect === "prometheus"
      ? new prometheus.DataqueryBuilder().expr(text).instant().refId(refId)
      : new InfluxQueryBuilder(text);
  return new QueryBuilder(refId)
    .datasourceUid(DATASOURCE_UID[dialect])
    .relativeTimeRange({ from: lookbackSeconds, to: 0 })
    .model(model);
}

const expression = (refId: string, model: cog.Builder<cog.Dataquery>) =>
  new QueryBuilder(refId).datasourceUid(EXPR.uid).model(model);
const reduce = (refId: string, of: string) =>
  expression(refId, new TypeReduceBuilder().expression(of).reducer("last").refId(refId).datasource(EXPR));

/** Queries ending in B (the watched value) and C (the threshold), so summaries can always say {{ $values.B }}. */
function ruleQueries(def: AlertDef, dialect: Dialect): QueryBuilder[] | undefined {
  const threshold = expression(
    "C",
    new TypeThresholdBuilder()
      .expression("B")
      .conditions([{ evaluator: { type: def.op, params: [def.limit] } }])
      .refId("C")
      .datasource(EXPR),
  );
  const lookback = def.query.lookbackSeconds;
  if (dialect === "prometheus")
    return [dataQuery("A", dialect, def.query.prometheus, lookback), reduce("B", "A"), threshold];
  const influx = def.query.influxdb;
  if (influx === undefined) return undefined;
  if (typeof influx === "string") return [dataQuery("A", dialect, influx, lookback), reduce("B", "A"), threshold];
  return [
    dataQuery("A", dialect, influx.parts[0], lookback),
    dataQuery("D", dialect, influx.parts[1], lookback),
    reduce("R", "A"),
    reduce("S", "D"),
    expression("B", new TypeMathBuilder().expression(`$R ${influx.combine} $S`).refId("B").datasource(EXPR)),
    threshold,
  ];
}

type Json = Record<string, unknown>;

/** SDK rule (API shape) → file provisioning rule. */
function toFileRule(rule: alerting.Rule): Json {
  const {
    folderUID: _f,
    ruleGroup: _g,
    orgID: _o,
    keep_firing_for,
    missingSeriesEvalsToResolve,
    ...rest
  } = rule as alerting.Rule & Json;
  const out: Json = { ...rest };
  if (keep_firing_for !== undefined) out.keepFiringFor = keep_firing_for;
  if (missingSeriesEvalsToResolve !== undefined) out.missing_series_evals_to_resolve = missingSeriesEvalsToResolve;
  out.data = (rule.data ?? []).map((q) => JSON.parse(JSON.stringify(q)) as Json);
  return out;
}

/** Where each alert's notification links to: its dashboard and the id of the panel that shows it. */
function panelLink(config: MonitoringConfig, def: AlertDef, dialect: Dialect): Record<string, string> {
  const spec = dashboardSpecs(config).find((d) => d.key === def.dashboard);
  const id = spec && panelIds(spec).get(def.panel);
  if (id === undefined)
    throw new Error(`alert ${def.name} links to panel "${def.panel}", which dashboard ${def.dashboard} does not have`);
  // Grafana wants both or neither (pkg/services/ngalert/models/alert_rule.go, SetDashboardAndPanelFromAnnotations).
  return { __dashboardUid__: dashboardUid(def.dashboard, dialect), __panelId__: String(id) };
}

export function grafanaRules(config: MonitoringConfig, dialect: Dialect): Json[] {
  const rules: Json[] = [];
  for (const def of alertDefinitions(config)) {
    const queries = ruleQueries(def, dialect);
    if (!queries) continue;
    const rule = new RuleBuilder(def.title)
      .uid(alertUid(def.name))
      .queries(queries)
      .condition("C")
      .forDuration(def.settings.for)
      .noDataState(def.noData)
      .execErrState(dialect === "influxdb" ? "KeepLast" : "Error")
      .labels(alertLabels(def))
      .annotations({ ...alertAnnotations(def, config, "grafana"), ...panelLink(config, def, dialect) })
      .isPaused(false)
      .build();
    rules.push(toFileRule(rule));
  }
  return rules;
}

/** Settings per type; token-bearing URLs are `$VAR` references Grafana expands from its environment at load. */
function contactPointSettings(config: MonitoringConfig): Json {
  const cp = config.alerts.contactPoint;
  switch (cp.type) {
    case "email":
      return { addresses: cp.addresses.join(";"), singleEmail: true };
    case "slack":
      return { url: `$${GRAFANA_ENV.slackWebhookUrl}` };
    case "webhook":
      return { url: `$${GRAFANA_ENV.webhookUrl}`, httpMethod: "POST" };
  }
}

function contactPoint(config: MonitoringConfig): Json {
  const cp = config.alerts.contactPoint;
  const settings = contactPointSettings(config);
  const built = new ContactPointBuilder()
    .name(CONTACT_POINT)
    .type(cp.type)
    .uid(`${CONTACT_POINT}-${cp.type}`)
    .settings(settings)
    .disableResolveMessage(false)
    .build();
  return {
    orgId: 1,
    name: built.name,
    receivers: [
      {
        uid: built.uid,
        type: built.type,
        settings: built.settings,
        disableResolveMessage: built.disableResolveMessage,
      },
    ],
  };
}

function policy(): Json {
  const built = new NotificationPolicyBuilder()
    .receiver(CONTACT_POINT)
    .groupBy(["alertname", CLUSTER_LABEL, "job_name"])
    .groupWait("30s")
    .groupInterval("5m")
    .repeatInterval("4h")
    .build();
  return {
    orgId: 1,
    receiver: built.receiver,
    group_by: built.group_by,
    group_wait: built.group_wait,
    group_interval: built.group_interval,
    repeat_interval: built.repeat_interval,
  };
}

/** The alerting provisioning file as data (what grafanaAlertingFile writes as YAML). */
export function grafanaAlertingDocument(config: MonitoringConfig): Record<string, unknown> {
  const dialect = alertingDialect(config);
  const rules = dialect && config.alerts.enabled ? grafanaRules(config, dialect) : [];
  const doc: Json = { apiVersion: 1 };
  if (rules.length > 0) {
    doc.groups = [{ orgId: 1, name: "flinkmon", folder: config.grafana.folder, interval: "1m", rules }];
    doc.contactPoints = [contactPoint(config)];
    // The policy tree replaces Grafana's: everything goes to flinkmon's contact point.
    doc.policies = [policy()];
  }
  return doc;
}

export function grafanaAlertingFile(config: MonitoringConfig, doc = grafanaAlertingDocument(config)): string {
  return stringify(doc, YAML_OUTPUT);
}

/** Alerts that would have nowhere to go: said at generate time, since Grafana only finds out when one fires. */
export function alertDeliveryWarnings(config: MonitoringConfig): string[] {
  if (!config.alerts.enabled || !alertingDialect(config)) return [];
  const cp = config.alerts.contactPoint;
  if (cp.type === "email" && !config.grafana.smtp) {
    return [
      `alerts.contactPoint is email (${cp.addresses.join(", ")}) but grafana.smtp is not set: Grafana cannot send email, so alerts have nowhere to go. ` +
        'Set grafana.smtp (host, fromAddress), or use a contact point of type "webhook" or "slack".',
    ];
  }
  return [];
}
