/** The series estimate as `flinkmon budget` prints it, and the over-the-limit message `check` gives. */
import type { SeriesEstimate, StoreEstimate } from "./estimate.js";

const STORE_TITLE: Record<StoreEstimate["store"], string> = {
  prometheus: "Prometheus",
  pushgateway: "Pushgateway",
  influxdb: "InfluxDB",
};

/** 12,345 */
export const n = (x: number): string => x.toLocaleString("en-US");
const fewer = (sent: number, all: number) =>
  all > 0 && sent < all ? ` (${Math.round(100 - (100 * sent) / all)} % fewer)` : "";

export interface BudgetReport {
  /** Where the instances came from: "budget.graph: …" or "http://jobmanager:8081: …". */
  readonly source: string;
  readonly estimate: SeriesEstimate;
  readonly maxSeries?: number;
}

/** Whether the first store's estimate (with the generated filters) is above budget.maxSeries. */
export function overBudget(report: BudgetReport): boolean {
  const first = report.estimate.stores[0];
  return report.maxSeries !== undefined && first !== undefined && first.sent > report.maxSeries;
}

/** "… exceeds budget.maxSeries …; grows most: …": for `check`. */
export function overBudgetMessage(report: BudgetReport): string {
  const first = report.estimate.stores[0]!;
  const top = report.estimate.largest[0];
  return (
    `flinkmon: ${STORE_TITLE[first.store]} would hold about ${n(first.sent)} series, over budget.maxSeries ${n(report.maxSeries!)} (${report.source})` +
    (top ? `; grows most: ${top.scope} ${top.metric} (${n(top.series)} series)` : "")
  );
}

export function formatBudgetText(report: BudgetReport): string {
  const { estimate } = report;
  const lines = [`flinkmon budget: series estimate from ${report.source}`, ""];
  const pad = (s: string, w: number) => s.padEnd(w);
  const num = (x: number, w: number) => n(x).padStart(w);
  lines.push(`${pad("store", 12)}${pad("reporter", 13)}${"sent".padStart(12)}${"without filters".padStart(18)}`);
  for (const s of estimate.stores)
    lines.push(
      `${pad(STORE_TITLE[s.store], 12)}${pad(s.reporter, 13)}${num(s.sent, 12)}${num(s.all, 18)}${fewer(s.sent, s.all)}`,
    );
  const first = estimate.stores[0];
  if (first) {
    lines.push("", `${STORE_TITLE[first.store]} by scope${"sent".padStart(27)}${"without filters".padStart(18)}`);
    for (const s of estimate.byScope) lines.push(`  ${pad(s.scope, 35)}${num(s.sent, 12)}${num(s.all, 18)}`);
    lines.push("", `Largest metric families sent (${STORE_TITLE[first.store]} series)`);
    const width = Math.max(0, ...estimate.largest.map((f) => f.metric.length)) + 2;
    for (const f of estimate.largest) lines.push(`  ${pad(f.scope, 31)}${pad(f.metric, width)}${num(f.series, 10)}`);
  }
  if (report.maxSeries !== undefined && first)
    lines.push(
      "",
      overBudget(report)
        ? `OVER budget.maxSeries ${n(report.maxSeries)} by ${n(first.sent - report.maxSeries)}`
        : `within budget.maxSeries ${n(report.maxSeries)}`,
    );
  return `${lines.join("\n")}\n`;
}
