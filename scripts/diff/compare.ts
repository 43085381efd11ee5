/** Compares two snapshots in words, area by area. */
import type { Snapshot } from "../snapshot.js";
import type { Change } from "./model.js";
import { dashboardChanges } from "./dashboards.js";
import { alertChanges } from "./alerts.js";
import { flinkChanges } from "./flink.js";
import { stackChanges } from "./stack.js";
import { budgetChanges } from "./budget.js";
import { keySplit } from "./model.js";

/** Files the semantic comparisons above already explain. */
const EXPLAINED =
  /^(grafana\/dashboards\/|grafana\/provisioning\/dashboards\/|grafana\/provisioning\/alerting\/|prometheus\/rules\/|flink\/)/;

function otherFileChanges(before: Record<string, string>, after: Record<string, string>): Change[] {
  const pick = (files: Record<string, string>) =>
    Object.fromEntries(Object.entries(files).filter(([p]) => !EXPLAINED.test(p)));
  const a = pick(before);
  const b = pick(after);
  const { added, removed, common } = keySplit(a, b);
  const lines = (t: string) => new Set(t.split("\n"));
  return [
    ...added.map((p): Change => ({ area: "files", subject: p, kind: "added", details: [], level: "info" })),
    ...removed.map((p): Change => ({ area: "files", subject: p, kind: "removed", details: [], level: "info" })),
    ...common
      .filter((p) => a[p] !== b[p])
      .map((p): Change => {
        const la = lines(a[p]!);
        const lb = lines(b[p]!);
        const plus = [...lb].filter((l) => !la.has(l));
        const minus = [...la].filter((l) => !lb.has(l));
        return {
          area: "files",
          subject: p,
          kind: "changed",
          details: [...minus.map((l) => `- \`${l.trim()}\``), ...plus.map((l) => `+ \`${l.trim()}\``)].slice(0, 20),
          level: "info",
        };
      }),
  ];
}

export function compareSnapshots(before: Snapshot, after: Snapshot): Change[] {
  return [
    ...dashboardChanges(before.files, after.files),
    ...alertChanges(before.files, after.files),
    ...flinkChanges(before.files, after.files),
    ...budgetChanges(before.budget, after.budget),
    ...stackChanges(before.stack, after.stack),
    ...otherFileChanges(before.files, after.files),
  ];
}
