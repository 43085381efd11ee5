/**
 * Flink's reporter filters (`filter.includes`, 1.16+) for the metrics flinkmon reads: a reporter then sends those and
 * nothing else. Syntax (DefaultMetricFilter): `<logical scope>[:<name>[,<name>…][:<type>…]]`, `*` a wildcard, the
 * scope matched against the metric group's logical scope joined by ".", the name against the registered name.
 */
import type { MetricDef } from "./catalog.js";
import type { FlinkVersion } from "../config/version.js";
import { hasReporterOption } from "../config/version-rules.js";

/** Whether the version has `filter.includes` (1.16, FLINK-21585). */
export const hasFilters = (version: FlinkVersion): boolean => hasReporterOption(version, "filterIncludes");

/**
 * Variables no flinkmon query groups by or filters on that can be dropped from labels (`scope.variables.excludes`,
 * 1.10+) without two series becoming one: a subtask runs one attempt at a time, so its attempt id and number only
 * make a new series after every restart. The others can collide when dropped (two TaskManagers on a host, two
 * tasks or operators of one name, two jobs of one name), so they stay.
 */
export const UNREAD_VARIABLES = ["task_attempt_id", "task_attempt_num"] as const;

/** Whether the version has `scope.variables.excludes` (1.10, FLINK-15110). */
export const hasVariableExcludes = (version: FlinkVersion): boolean =>
  hasReporterOption(version, "scopeVariablesExcludes");

/**
 * The logical scope and name of a catalog metric. Groups of its path extend the scope; a key/value group keeps its
 * key (the value is a variable), and a GC collector's group is any name (`*`).
 */
export function filterTarget(metric: MetricDef): { scope: string; name: string } {
  const parts = metric.path.split(".");
  const name = metric.name ?? parts.pop()!;
  const groups = parts.map((p) => (p === "<collector>" ? "*" : p));
  return { scope: [metric.scope, ...groups].join("."), name };
}

/**
 * `filter.includes` entries that let exactly `read` through, one per logical scope (names listed), in a stable
 * order; then `keep`: Flink patterns as written, a bare name (no ":") meaning that name in any scope.
 */
export function includesFor(read: readonly MetricDef[], keep: readonly string[]): string[] {
  const names = new Map<string, Set<string>>();
  for (const metric of read) {
    const { scope, name } = filterTarget(metric);
    names.set(scope, (names.get(scope) ?? new Set()).add(name));
  }
  const generated = [...names]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([scope, set]) => `${scope}:${[...set].sort().join(",")}`);
  return [...generated, ...keep.map((k) => (k.includes(":") ? k : `*:${k}`))];
}
