/** Renders the reporter section of a Flink configuration file for the configured version. */
import type { MonitoringConfig } from "../config/resolve.js";
import { ConfigError, type ConfigIssue } from "../config/errors.js";
import { renderTemplate } from "./render.js";
import { planFlinkMetrics, versionText, type FlinkMetricsPlan } from "../flink/reporter-plan.js";
import type { MetricDef } from "../flink/catalog.js";

export interface RenderedFlinkConf {
  readonly file: FlinkMetricsPlan["file"];
  readonly content: string;
  readonly warnings: readonly string[];
}

/** Values the target parser would misread: the legacy parser cuts at "#", neither format takes a newline. */
function unsafeValues(plan: FlinkMetricsPlan): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const reporter of plan.reporters) {
    for (const { key, value } of reporter.entries) {
      const bad = /[\r\n]/.test(value)
        ? "a line break"
        : !plan.nested && value.includes("#")
          ? '"#" (flink-conf.yaml treats the rest of the line as a comment)'
          : undefined;
      if (bad)
        issues.push({
          path: `flink.reporter.${reporter.kind}`,
          message: `value of "${key}" contains ${bad}: ${JSON.stringify(value)}`,
        });
    }
  }
  return issues;
}

/** `read`: the metrics flinkmon's other files read, for the reporters' filters (see planFlinkMetrics). */
export function renderFlinkConf(config: MonitoringConfig, read?: readonly MetricDef[]): RenderedFlinkConf {
  const plan = planFlinkMetrics(config, read);
  const issues = unsafeValues(plan);
  if (issues.length > 0) throw new ConfigError(issues);
  const data = {
    version: versionText(plan.version),
    reporterInstances: plan.reporters.map((r) => r.instance),
    reporters: plan.reporters,
    extra: plan.extra,
  };
  const content = renderTemplate(plan.nested ? "flink/config.yaml" : "flink/flink-conf.yaml", data);
  return { file: plan.file, content, warnings: plan.warnings };
}
