/** The one pass that gives every alert its severity, summary, description and runbook link (both rule forms). */
import { createHash } from "node:crypto";
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
  const formatted =
    def.valueFormat === "percent" ? `{{ humanizePercentage ${value} }}` : `{{ printf "%.0f" ${value} }}`;
  return def.summary.replace("{{VALUE}}", formatted);
}

export function alertAnnotations(
  def: AlertDef,
  config: MonitoringConfig,
  form: "prometheus" | "grafana",
): Record<string, string> {
  return {
    summary: alertSummary(def, form),
    description: def.description,
    runbook_url: `${config.alerts.runbookUrl}#${def.runbookSection ?? runbookAnchor(def.name)}`,
  };
}

/** Grafana's limit on uids (pkg/util/shortid_generator.go, IsShortUIDTooLong). */
const MAX_UID = 40;

/**
 * Rule uid for Grafana: ≤ 40 characters of [a-z0-9-], stable for a name. A name too long to fit keeps a prefix
 * and ends in a hash of the whole name, so two long names with a common prefix never share a uid.
 */
export function alertUid(name: string): string {
  const uid = `flinkmon-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  if (uid.length <= MAX_UID) return uid;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${uid.slice(0, MAX_UID - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}
