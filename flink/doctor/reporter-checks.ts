/** The cluster's own configuration (REST /jobmanager/config): are the reporters the config expects configured? */
import type { MonitoringConfig } from "../../config/resolve.js";
import type { ReporterKind } from "../../config/schema.js";
import { parseFlinkVersion, atLeast } from "../../config/version.js";
import { REPORTER_KINDS, legacyClass } from "../reporter-kinds.js";
import type { ConfigEntry } from "../rest/types.js";
import type { Check } from "./report.js";

/** Reporter checks against /jobmanager/config, in the key style of the cluster's version. */
export function reporterChecks(
  config: MonitoringConfig,
  entries: ConfigEntry[],
  clusterVersion: string | undefined,
): Check[] {
  const keys = new Map(entries.map((e) => [e.key, e.value]));
  const version = (clusterVersion && parseFlinkVersion(clusterVersion.replace(/-.*$/, ""))) || config.flink.version;
  const include = keys.get("metrics.reporters")?.split(/\s*,\s*/);
  const checks: Check[] = [];
  for (const kind of config.flink.reporters as ReporterKind[]) {
    const info = REPORTER_KINDS[kind];
    const byFactory = [...keys].find(
      ([k, v]) => /^metrics\.reporter\.[^.]+\.factory\.class$/.test(k) && v === info.factoryClass,
    );
    const byClass = [...keys].find(([k, v]) => /^metrics\.reporter\.[^.]+\.class$/.test(k) && v === legacyClass(kind));
    const found = byFactory ?? byClass;
    const conf = `npx flinkmon conf --flink-version ${version.text} --reporter ${kind}`;
    if (!found) {
      checks.push({
        name: `${info.title} reporter configured`,
        ok: false,
        detail: `no metrics.reporter.*.factory.class = ${info.factoryClass}`,
        fix: `add the block printed by \`${conf}\` to the Flink configuration and restart the cluster`,
      });
      continue;
    }
    const instance = found[0].split(".")[2]!;
    if (!byFactory && atLeast(version, 1, 17)) {
      checks.push({
        name: `${info.title} reporter configured`,
        ok: false,
        detail: `${found[0]} is ignored from Flink 1.17`,
        fix: `use metrics.reporter.${instance}.factory.class: ${info.factoryClass} (see \`${conf}\`)`,
      });
    } else if (include && !include.includes(instance)) {
      checks.push({
        name: `${info.title} reporter configured`,
        ok: false,
        detail: `metrics.reporters (${include.join(",")}) leaves out "${instance}"`,
        fix: `add ${instance} to metrics.reporters`,
      });
    } else {
      checks.push({ name: `${info.title} reporter configured`, ok: true, detail: found[0] });
    }
  }
  return checks;
}
