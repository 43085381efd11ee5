/** What a change does to the series estimate of budget.graph: per store, and the metric families that move most. */
import type { BudgetReport } from "../../flink/budget/report.js";
import { n } from "../../flink/budget/report.js";
import type { Change } from "./model.js";

const signed = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${n(Math.abs(x))}`;

export function budgetChanges(before: BudgetReport | undefined, after: BudgetReport | undefined): Change[] {
  if (!before || !after) return [];
  const changes: Change[] = [];
  for (const store of after.estimate.stores) {
    const was = before.estimate.stores.find((s) => s.store === store.store);
    if (!was || was.sent === store.sent) continue;
    const family = (r: BudgetReport) =>
      new Map(r.estimate.families.map((f) => [`${f.scope} ${f.metric}`, f.series] as [string, number]));
    const a = family(before);
    const b = family(after);
    const moved = [...new Set([...a.keys(), ...b.keys()])]
      .map((key) => [key, (b.get(key) ?? 0) - (a.get(key) ?? 0)] as [string, number])
      .filter(([, d]) => d !== 0)
      .sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]) || (x[0] < y[0] ? -1 : 1))
      .slice(0, 5);
    const limit = after.maxSeries;
    changes.push({
      area: "budget",
      subject: `${store.store} series (with the generated filters)`,
      kind: "changed",
      details: [
        `${n(was.sent)} → ${n(store.sent)} (${signed(store.sent - was.sent)})` +
          (limit !== undefined ? `; budget.maxSeries ${n(limit)}${store.sent > limit ? ": OVER" : ""}` : ""),
        ...moved.map(([key, d]) => `${signed(d)} series: ${key}`),
      ],
      level: limit !== undefined && store.sent > limit ? "warning" : "info",
    });
  }
  return changes;
}
