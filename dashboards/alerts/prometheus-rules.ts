/** The alerts as Prometheus alerting rules (prometheus/rules/flinkmon-alerts.rules.yml), for promtool and Alertmanager. */
import { stringify } from "yaml";
import type { MonitoringConfig } from "../../config/resolve.js";
import { alertDefinitions, COMPARATOR, type AlertDef } from "./definitions.js";
import { alertAnnotations, alertLabels } from "./annotations.js";
import { dashboardRecordingRules } from "../index.js";
import { YAML_OUTPUT } from "../../contract/yaml-output.js";

/** `<query> <op> <limit>`; parenthesised where the query ends in `and`/`or`, which bind looser than comparisons. */
export function prometheusRuleExpr(def: AlertDef): string {
  if (def.query.prometheusRule) return def.query.prometheusRule;
  const query = / (and|or|unless) /.test(def.query.prometheus) ? `(${def.query.prometheus})` : def.query.prometheus;
  return `${query} ${COMPARATOR[def.op]} ${def.limit}`;
}

export interface PrometheusRuleGroup {
  name: string;
  rules: (
    | { alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> }
    | { record: string; expr: string }
  )[];
}

export function prometheusRuleGroups(config: MonitoringConfig): PrometheusRuleGroup[] {
  const defs = config.alerts.enabled ? alertDefinitions(config) : [];
  const recordings = dashboardRecordingRules(config);
  // The dashboards read these aggregates (thousands of per-subtask series become one per task or operator).
  const recordingGroup: PrometheusRuleGroup[] =
    recordings.length > 0
      ? [{ name: "flinkmon-recording", rules: recordings.map((r) => ({ record: r.record, expr: r.expr })) }]
      : [];
  if (defs.length === 0) return recordingGroup;
  return [
    ...recordingGroup,
    {
      // No group interval: rules evaluate at the global evaluation_interval, which is the scrape interval.
      name: "flinkmon",
      rules: defs.map((def) => ({
        alert: `Flink${def.name[0]!.toUpperCase()}${def.name.slice(1)}`,
        expr: prometheusRuleExpr(def),
        for: def.settings.for,
        labels: alertLabels(def),
        annotations: alertAnnotations(def, config, "prometheus"),
      })),
    },
  ];
}

export function prometheusRulesFile(config: MonitoringConfig): string {
  return stringify({ groups: prometheusRuleGroups(config) }, { ...YAML_OUTPUT, sortMapEntries: false });
}
