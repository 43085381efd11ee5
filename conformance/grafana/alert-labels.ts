/**
 * Grafana's evaluator rejects a query that returns several series with the same label set ("frame cannot uniquely
 * be identified by its labels": pkg/services/ngalert/eval/eval.go, evaluateExecutionResult). Each series of an
 * InfluxQL result is one measurement and one combination of the GROUP BY tags, and Grafana's InfluxDB data source
 * turns only the tags into labels: a regex FROM therefore gives one series per measurement with equal labels.
 * Prometheus itself refuses duplicate label sets, so there the rule is that every grouping label exists on the
 * metrics grouped, else the alert groups by nothing and one broken series hides the others.
 */
export type MetricLabels = (name: string, store: "prometheus" | "influxdb") => readonly string[] | undefined;

/** The text between the parenthesis at `open` and its match. */
function parenthesized(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

const labelList = (s: string) =>
  s
    .split(",")
    .map((l) => l.trim())
    .filter(Boolean);

/** Metric names a PromQL expression selects: names, and the literal prefix of `__name__=~"…"` regexes. */
function promMetrics(expr: string): string[] {
  const names = [...expr.matchAll(/(?<![A-Za-z0-9_:"])([a-zA-Z_][a-zA-Z0-9_]*)(?=\s*(\{|\[|\)|$|\s|offset))/g)].map(
    (m) => m[1]!,
  );
  const regexes = [...expr.matchAll(/__name__\s*=~\s*"([^"]+)"/g)].map((m) => m[1]!.split(/[.([*+?|\\]/)[0]!);
  return [...names, ...regexes];
}

const PROM_AGGREGATIONS = "sum|min|max|avg|group|stddev|stdvar|count|count_values|bottomk|topk|quantile";

export function promqlProblems(expr: string, metricLabels: MetricLabels): string[] {
  const problems: string[] = [];
  const check = (labels: string[], inner: string, clause: string) => {
    const created = [...inner.matchAll(/label_replace\([\s\S]*?,\s*"([^"]+)"/g)].map((m) => m[1]!);
    for (const metric of promMetrics(inner)) {
      const has = metricLabels(metric, "prometheus");
      if (!has) continue;
      const missing = labels.filter((l) => !has.includes(l) && !created.includes(l));
      if (missing.length > 0)
        problems.push(
          `${clause} groups by ${missing.join(", ")}, which ${metric} does not have (it has ${has.join(", ")})`,
        );
    }
  };
  for (const m of expr.matchAll(new RegExp(`\\b(${PROM_AGGREGATIONS})\\s+by\\s*\\(([^)]*)\\)\\s*\\(`, "g"))) {
    check(labelList(m[2]!), parenthesized(expr, m.index! + m[0].length - 1), `${m[1]} by (${m[2]})`);
  }
  for (const m of expr.matchAll(/\bon\s*\(([^)]*)\)/g)) check(labelList(m[1]!), expr, `on (${m[1]})`);
  return [...new Set(problems)];
}

export function influxqlProblems(query: string, metricLabels: MetricLabels): string[] {
  const problems: string[] = [];
  // The innermost FROM names the measurement(s); a subquery keeps one series per measurement.
  const sources = [...query.matchAll(/\bFROM\s+(\/(?:[^/\\]|\\.)+\/|"[^"]+"|[A-Za-z0-9_.]+)/gi)].map((m) => m[1]!);
  // The outermost GROUP BY (the last one) decides which series come back.
  const last = query.toUpperCase().lastIndexOf("GROUP BY");
  const clause =
    last < 0
      ? ""
      : query
          .slice(last + "GROUP BY".length)
          .replace(/time\([^)]*\)/gi, "")
          .split(/\s+fill\(|\s+LIMIT\b|\s+SLIMIT\b|\s+ORDER\b|\)/i)[0]!;
  const tags = labelList(clause).map((t) => t.replace(/^"|"$/g, ""));
  for (const source of sources) {
    if (source.startsWith("/")) {
      problems.push(
        `FROM ${source} can match several measurements, and each gives a series with the same tags (${tags.join(", ") || "none"})`,
      );
      continue;
    }
    const measurement = source.replace(/^"|"$/g, "");
    const has = metricLabels(measurement, "influxdb");
    if (!has) continue;
    const missing = tags.filter((t) => t !== "*" && !has.includes(t));
    if (missing.length > 0)
      problems.push(
        `GROUP BY ${missing.join(", ")}: measurement ${measurement} has no such tag (it has ${has.join(", ")})`,
      );
  }
  return problems;
}
