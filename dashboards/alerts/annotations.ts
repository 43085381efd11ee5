/** The one pass that gives every alert its severity, summary, description and runbook link (both rule forms). */
import type { MonitoringConfig } from "../../config/resolve.js";
import type { AlertDef } from "./definitions.js";

/** Anchor of an alert's section in docs/runbook.md: the section title is the alert name. */
export function runbookAnchor(name: string): string {
  return name.toLowerCase();
}

export function alertLabels(def: AlertDef): Record<string, string> {
  return { flinkmon: "true", severity: def.settings.severity };
}

/** The summary with its value formatted for one rule form: Prometheus ($value) or Grafana ($values.B). */
export function alertSummary(def: AlertDef, form: "prometheus" | "grafana"): string {
  const value = form === "prometheus" ? "$value" : "$values.B.Value";
  const formatted = def.valueFormat === "percent" ? `{{ humanizePercentage ${value} }}` : `{{ printf "%.0f" ${value} }}`;
  return def.summary.replace("{{VALUE}}", formatted);
}

export function alertAnnotations(def: AlertDef, config: MonitoringConfig, form: "prometheus" | "grafana"): Record<string, string> {
  return {
    summary: alertSummary(def, form),
    description: def.description,
    runbook_url: `${config.alerts.runbookUrl}#${def.runbookSection ?? runbookAnchor(def.name)}`,
  };
}

/** Rule uid for Grafana: ≤ 40 characters of [a-z0-9-]. */
export function alertUid(name: string): string {
  return `flinkmon-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`.slice(0, 40);
}
