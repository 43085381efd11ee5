/** The Grafana conformance check as the CLI runs it: findings as lines a user can act on. */
import type { MonitoringConfig } from "../config/resolve.js";
import type { Artifacts } from "../artifacts/build.js";
import { grafanaFindings } from "../conformance/flinkmon.js";

/** Where a finding's file is in the output folder: provisioning files are named below Grafana's folder. */
const place = (file: string) =>
  file.startsWith("/") || file === "environment" ? file : `grafana/provisioning/${file}`;

/** One line per thing Grafana would refuse in `artifacts`; empty when Grafana would start with them. */
export function grafanaRefusals(
  config: MonitoringConfig,
  artifacts: Artifacts,
  documents?: ReadonlyMap<string, unknown>,
): string[] {
  return grafanaFindings(config, artifacts, documents).map((f) => `  - ${place(f.file)}: ${f.message}`);
}
