/**
 * Which metrics flinkmon's generated files read: every catalog (and custom) metric whose stored name occurs in the
 * dashboards, alert rules or recording rules, in either store's spelling. Read off the files themselves, so a
 * reporter filter built from it keeps exactly what a query can ask for.
 */
import type { MonitoringConfig } from "../config/resolve.js";
import { allMetrics, available, storeNames, type MetricDef } from "../flink/catalog.js";
import { customMetrics } from "../flink/custom-metrics.js";

/** Characters of a stored name (Prometheus: [a-zA-Z0-9_:], InfluxDB measurements also keep "-" and "."). */
const NAME = /[A-Za-z0-9_:.-]+/g;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether `text` names `stored`: as a whole name, or for GC metrics as prefix … suffix around a collector pattern. */
function names(tokens: ReadonlySet<string>, texts: readonly string[], stored: string): boolean {
  if (!stored.includes("<collector>")) return tokens.has(stored);
  const [prefix, suffix] = stored.split("<collector>") as [string, string];
  const pattern = new RegExp(`${escape(prefix)}\\S*?${escape(suffix)}(?![A-Za-z0-9_])`);
  return texts.some((t) => t.includes(prefix) && pattern.test(t));
}

export function metricsRead(config: MonitoringConfig, texts: readonly string[]): MetricDef[] {
  const tokens = new Set<string>();
  for (const text of texts) for (const [token] of text.matchAll(NAME)) tokens.add(token);
  const candidates = [
    ...allMetrics().filter((m) => available(m, config.flink.version)),
    ...customMetrics(config).map((c) => c.def),
  ];
  return candidates.filter((metric) => {
    const stored = storeNames(metric);
    return names(tokens, texts, stored.prometheus) || names(tokens, texts, stored.influxdb);
  });
}
