/**
 * build(config): every artifact flinkmon writes, as relative path → content. Pure: the same config gives the
 * same bytes. generate writes it, check compares it, diff builds two, the stacks upload it into containers.
 */
import type { MonitoringConfig } from "../config/resolve.js";
import { renderFlinkConf } from "../flink/render-conf.js";

/** Relative path (always "/"-separated) → file content. Iteration order is sorted by path. */
export type Artifacts = ReadonlyMap<string, string>;

export interface BuildResult {
  readonly artifacts: Artifacts;
  /** Things the user should know that are not errors (known Flink traps). */
  readonly warnings: readonly string[];
}

export function build(config: MonitoringConfig): BuildResult {
  const files = new Map<string, string>();
  const warnings: string[] = [];

  const flinkConf = renderFlinkConf(config);
  files.set(flinkConf.file, flinkConf.content);
  warnings.push(...flinkConf.warnings);

  const sorted = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { artifacts: sorted, warnings };
}
