/** Reads dashboards and alert provisioning the way Grafana would, to run every query against a real store. */
import { parse } from "yaml";

export interface DashboardTarget {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  readonly text: string;
  readonly instant: boolean;
}

type Json = Record<string, any>;

export function dashboardTargets(name: string, dashboard: Json): DashboardTarget[] {
  const out: DashboardTarget[] = [];
  for (const panel of dashboard.panels as Json[]) {
    for (const t of (panel.targets ?? []) as Json[]) {
      out.push({
        dashboard: name,
        panel: panel.title,
        refId: t.refId,
        text: t.expr ?? t.query,
        instant: t.instant === true,
      });
    }
  }
  return out;
}

export interface TemplateVariable {
  readonly name: string;
  readonly query: string;
}

export function queryVariables(dashboard: Json): TemplateVariable[] {
  return (dashboard.templating.list as Json[])
    .filter((v) => v.type === "query")
    .map((v) => ({ name: v.name, query: v.query }));
}

/** Substitutes variables the way Grafana does for one selected value (regex-escaped, as for a =~ matcher). */
export function substitute(text: string, values: Record<string, string>, builtins: Record<string, string>): string {
  let out = text;
  for (const [name, value] of Object.entries(builtins)) out = out.split(name).join(value);
  for (const [name, value] of Object.entries(values)) {
    const escaped = value.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    out = out.split(`$${name}`).join(escaped);
  }
  return out;
}

export interface AlertDataQuery {
  readonly rule: string;
  readonly refId: string;
  readonly text: string;
  readonly datasourceUid: string;
}

/** Every data query (not expression) of every rule in a Grafana alerting provisioning file. */
export function alertQueries(yamlText: string): AlertDataQuery[] {
  const doc = parse(yamlText) as Json;
  const out: AlertDataQuery[] = [];
  for (const group of doc.groups ?? []) {
    for (const rule of group.rules) {
      for (const d of rule.data) {
        if (d.datasourceUid === "__expr__") continue;
        out.push({
          rule: rule.title,
          refId: d.refId,
          text: d.model.expr ?? d.model.query,
          datasourceUid: d.datasourceUid,
        });
      }
    }
  }
  return out;
}
