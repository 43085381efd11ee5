/** Every dashboard file for the enabled stores: grafana/dashboards/<store>/<key>.json. */
import type { MonitoringConfig } from "../config/resolve.js";
import type { Dialect } from "./dialects/spec.js";
import { dashboardFile } from "./render.js";
import { jobManagerDashboard } from "./jobmanager.js";
import { taskManagerDashboard } from "./taskmanager.js";
import { jobDashboard } from "./job.js";
import type { DashboardSpec } from "./model.js";
import type { RecordingRule } from "./dialects/promql.js";

const specs = new WeakMap<MonitoringConfig, readonly DashboardSpec[]>();

/** The three dashboards of a config, built once per config (the alerts look up their panels in them, per rule). */
export function dashboardSpecs(config: MonitoringConfig): readonly DashboardSpec[] {
  let built = specs.get(config);
  if (!built)
    specs.set(config, (built = [jobManagerDashboard(config), taskManagerDashboard(config), jobDashboard(config)]));
  return built;
}

export function enabledDialects(config: MonitoringConfig): Dialect[] {
  return [
    ...(config.stores.prometheus ? (["prometheus"] as const) : []),
    ...(config.stores.influxdb ? (["influxdb"] as const) : []),
  ];
}

export function dashboardFiles(config: MonitoringConfig): Map<string, string> {
  const files = new Map<string, string>();
  for (const dialect of enabledDialects(config)) {
    for (const spec of dashboardSpecs(config))
      files.set(`grafana/dashboards/${dialect}/${spec.key}.json`, dashboardFile(spec, dialect));
  }
  return files;
}

/**
 * Every recording rule the Prometheus dashboards read, once each (emitted as one rule group): sorted, those that
 * read other recordings after the rest, since Prometheus evaluates a group's rules in order.
 */
export function dashboardRecordingRules(config: MonitoringConfig): RecordingRule[] {
  const rules = new Map<string, RecordingRule>();
  for (const spec of dashboardSpecs(config)) {
    for (const row of spec.rows)
      for (const panel of row.panels)
        for (const target of panel.targets)
          for (const r of target.recordings ?? []) {
            const known = rules.get(r.record);
            if (known && known.expr !== r.expr)
              throw new Error(`recording ${r.record} is written two ways:\n${known.expr}\n${r.expr}`);
            rules.set(r.record, r);
          }
  }
  const stage = (r: RecordingRule) => (r.readsRecordings ? 1 : 0);
  return [...rules.values()].sort((a, b) => stage(a) - stage(b) || (a.record < b.record ? -1 : 1));
}
