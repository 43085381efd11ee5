/**
 * The alert catalogue (docs/runbook.md) as data: for each alert, the value to watch in both query languages and
 * how it compares with its threshold. Prometheus rules use `<query> <op> <threshold>` (or their own expression
 * where absence is the signal); Grafana rules run the same query and compare in a threshold expression. Metric
 * names come from the catalog; the definitions live by area beside this file.
 */
import type { MonitoringConfig } from "../../config/resolve.js";
import { ALERT_NAMES } from "../../config/alert-defaults.js";
import { alertKit, type AlertDef } from "./alert-kit.js";
import { jobAlerts } from "./job-alerts.js";
import { taskAlerts } from "./task-alerts.js";
import { clusterAlerts } from "./cluster-alerts.js";
import { presenceAlerts } from "./presence-alerts.js";
import { customAlertDefinitions } from "./custom-alerts.js";

export type { AlertDef, AlertQuery, InfluxPair } from "./alert-kit.js";
export { COMPARATOR } from "./alert-kit.js";

/** Every alert the configured Flink version can support, with its settings; disabled ones left out. */
export function alertDefinitions(config: MonitoringConfig): AlertDef[] {
  const kit = alertKit(config);
  const rules = config.alerts.rules;
  const drafts = [...jobAlerts(kit), ...taskAlerts(kit), ...clusterAlerts(kit), ...presenceAlerts(kit)];
  // In the order of config/alert-defaults.ts, whichever file defines them: the rule files read in that order.
  const builtIn = drafts
    .sort((a, b) => ALERT_NAMES.indexOf(a.name) - ALERT_NAMES.indexOf(b.name))
    .filter((d) => rules[d.name].enabled)
    .map((d) => ({ ...d, settings: rules[d.name], limit: d.limit ?? rules[d.name].threshold }));
  return [...builtIn, ...customAlertDefinitions(config)];
}
