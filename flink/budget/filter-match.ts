/**
 * Flink's reporter filter, as DefaultMetricFilter applies it (flink-runtime …/metrics/filter/DefaultMetricFilter.java):
 * an entry `<scope>[:<names>[:<types>]]` matches a metric whose logical scope matches the scope pattern and whose
 * name matches the name pattern, whole; `*` is any text, `,` separates alternatives, an omitted part is `*`.
 * Excludes win over includes; without includes nothing is sent. Types are not known from the REST API: an entry
 * that names types is taken to match (the estimate errs towards more series).
 */
export type MetricMatcher = (logicalScope: string, name: string) => boolean;

function pattern(component: string): RegExp {
  const alternatives = component.split(",").map((s) => s.replace(/[+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*"));
  return new RegExp(`^(${alternatives.join("|")})$`);
}

function entry(filter: string): MetricMatcher {
  const [scope = "*", name = "*"] = filter.split(":");
  const s = pattern(scope);
  const n = pattern(name);
  return (logicalScope, metric) => s.test(logicalScope) && n.test(metric);
}

/** Whether a reporter with these filters sends a metric; no includes at all means Flink's default, `*`. */
export function metricMatcher(
  includes: readonly string[] | undefined,
  excludes: readonly string[] = [],
): MetricMatcher {
  const inc = (includes && includes.length > 0 ? includes : ["*"]).map(entry);
  const exc = excludes.map(entry);
  return (scope, name) => !exc.some((m) => m(scope, name)) && inc.some((m) => m(scope, name));
}
