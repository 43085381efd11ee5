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

export function alertAnnotations(def: AlertDef, config: MonitoringConfig): Record<string, string> {
  return {
    summary: def.summary,
    description: def.description,
    runbook_url: `${config.alerts.runbookUrl}#${runbookAnchor(def.name)}`,
  };
}

/** Rule uid for Grafana: ≤ 40 characters of [a-z0-9-]. */
export function alertUid(name: string): string {
  return `flinkmon-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`.slice(0, 40);
}
