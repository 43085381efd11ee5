/** Dashboard changes: panels added, removed or moved, queries before → after, units, thresholds, variables, folder. */
import { parse } from "yaml";
import { arrow, keySplit, same, type Change } from "./model.js";

type Json = Record<string, any>;

function panelsByTitle(dashboard: Json): Record<string, Json & { row: string }> {
  const out: Record<string, Json & { row: string }> = {};
  let row = "";
  for (const p of dashboard.panels ?? []) {
    if (p.type === "row") row = p.title;
    else out[p.title] = { ...p, row };
  }
  return out;
}

const queryOf = (t: Json) => t.expr ?? t.query;

function panelDetails(a: Json & { row: string }, b: Json & { row: string }): string[] {
  const d: string[] = [];
  if (a.row !== b.row) d.push(`moved from row "${a.row}" to "${b.row}"`);
  else if (!same(a.gridPos, b.gridPos)) d.push(`moved: position ${arrow(a.gridPos, b.gridPos)}`);
  if (a.type !== b.type) d.push(`visualisation ${arrow(a.type, b.type)}`);
  const ua = a.fieldConfig?.defaults?.unit;
  const ub = b.fieldConfig?.defaults?.unit;
  if (ua !== ub) d.push(`unit ${arrow(ua, ub)}`);
  const ta = a.fieldConfig?.defaults?.thresholds?.steps;
  const tb = b.fieldConfig?.defaults?.thresholds?.steps;
  if (!same(ta, tb))
    d.push(
      `thresholds ${arrow(
        ta?.map((s: Json) => s.value).filter((v: unknown) => v !== null),
        tb?.map((s: Json) => s.value).filter((v: unknown) => v !== null),
      )}`,
    );
  if (a.description !== b.description) d.push("description changed");
  const qa = Object.fromEntries((a.targets ?? []).map((t: Json) => [t.refId, queryOf(t)]));
  const qb = Object.fromEntries((b.targets ?? []).map((t: Json) => [t.refId, queryOf(t)]));
  const { added, removed, common } = keySplit(qa, qb);
  for (const r of removed) d.push(`query ${r} removed: \`${qa[r]}\``);
  for (const r of added) d.push(`query ${r} added: \`${qb[r]}\``);
  for (const r of common) if (qa[r] !== qb[r]) d.push(`query ${r}: ${arrow(qa[r], qb[r])}`);
  return d;
}

function variables(dashboard: Json): Record<string, string> {
  return Object.fromEntries(
    (dashboard.templating?.list ?? []).map((v: Json) => [
      v.name,
      typeof v.query === "string" ? v.query : JSON.stringify(v.query),
    ]),
  );
}

export function dashboardChanges(before: Record<string, string>, after: Record<string, string>): Change[] {
  const changes: Change[] = [];
  const pick = (files: Record<string, string>) =>
    Object.fromEntries(Object.entries(files).filter(([p]) => p.startsWith("grafana/dashboards/")));
  const a = pick(before);
  const b = pick(after);
  const name = (path: string) => path.replace(/^grafana\/dashboards\/(\w+)\/(.+)\.json$/, "$2 ($1)");
  const { added, removed, common } = keySplit(a, b);
  for (const p of added)
    changes.push({
      area: "dashboards",
      subject: name(p),
      kind: "added",
      details: [`${Object.keys(panelsByTitle(JSON.parse(b[p]!))).length} panels`],
      level: "info",
    });
  for (const p of removed)
    changes.push({ area: "dashboards", subject: name(p), kind: "removed", details: [], level: "info" });
  for (const p of common) {
    if (a[p] === b[p]) continue;
    const da = JSON.parse(a[p]!) as Json;
    const db = JSON.parse(b[p]!) as Json;
    const header: string[] = [];
    if (da.title !== db.title) header.push(`title ${arrow(da.title, db.title)}`);
    const va = variables(da);
    const vb = variables(db);
    const vs = keySplit(va, vb);
    for (const v of vs.added) header.push(`variable $${v} added`);
    for (const v of vs.removed) header.push(`variable $${v} removed`);
    for (const v of vs.common) if (va[v] !== vb[v]) header.push(`variable $${v}: ${arrow(va[v], vb[v])}`);
    if (header.length > 0)
      changes.push({ area: "dashboards", subject: name(p), kind: "changed", details: header, level: "info" });
    const pa = panelsByTitle(da);
    const pb = panelsByTitle(db);
    const ps = keySplit(pa, pb);
    for (const t of ps.added)
      changes.push({
        area: "dashboards",
        subject: `${name(p)} › panel "${t}"`,
        kind: "added",
        details: (pb[t]!.targets ?? []).map((q: Json) => `query ${q.refId}: \`${queryOf(q)}\``),
        level: "info",
      });
    for (const t of ps.removed)
      changes.push({
        area: "dashboards",
        subject: `${name(p)} › panel "${t}"`,
        kind: "removed",
        details: [],
        level: "info",
      });
    for (const t of ps.common) {
      const details = panelDetails(pa[t]!, pb[t]!);
      if (details.length > 0)
        changes.push({
          area: "dashboards",
          subject: `${name(p)} › panel "${t}"`,
          kind: "changed",
          details,
          level: "info",
        });
    }
  }
  const provider = "grafana/provisioning/dashboards/flinkmon.yaml";
  const fa = before[provider] ? parse(before[provider]!).providers?.[0]?.folder : undefined;
  const fb = after[provider] ? parse(after[provider]!).providers?.[0]?.folder : undefined;
  if (fa !== fb)
    changes.push({
      area: "dashboards",
      subject: "Grafana folder",
      kind: "changed",
      details: [`folder ${arrow(fa, fb)}`],
      level: "info",
    });
  return changes;
}
