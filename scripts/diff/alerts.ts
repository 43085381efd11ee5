/** Alert rule changes: added or removed, expression and threshold, for, severity; contact point and policy. */
import { parse } from "yaml";
import { arrow, keySplit, same, type Change } from "./model.js";
import { ARTIFACT } from "../../artifacts/build.js";

type Json = Record<string, any>;
const RULES = ARTIFACT.prometheusRules;
const GRAFANA = ARTIFACT.grafanaAlerting;

function prometheusRules(files: Record<string, string>): Record<string, Json> {
  const text = files[RULES];
  if (!text) return {};
  return Object.fromEntries(
    (parse(text).groups ?? [])
      .flatMap((g: Json) => g.rules)
      .filter((r: Json) => r.alert)
      .map((r: Json) => [r.alert, r]),
  );
}

function grafanaRules(files: Record<string, string>): Record<string, Json> {
  const text = files[GRAFANA];
  if (!text) return {};
  return Object.fromEntries((parse(text).groups ?? []).flatMap((g: Json) => g.rules).map((r: Json) => [r.title, r]));
}

/** A Grafana rule's threshold and data queries, comparable. */
function grafanaShape(rule: Json): { threshold: unknown; queries: string[] } {
  const threshold = rule.data.find((d: Json) => d.model?.type === "threshold")?.model.conditions?.[0]?.evaluator;
  const queries = rule.data
    .filter((d: Json) => d.datasourceUid !== "__expr__")
    .map((d: Json) => d.model.expr ?? d.model.query);
  return { threshold, queries };
}

export function alertChanges(before: Record<string, string>, after: Record<string, string>): Change[] {
  const changes: Change[] = [];
  const pa = prometheusRules(before);
  const pb = prometheusRules(after);
  const ps = keySplit(pa, pb);
  for (const n of ps.added)
    changes.push({
      area: "alerts",
      subject: `${n} (Prometheus rule)`,
      kind: "added",
      details: [`\`${pb[n]!.expr}\` for ${pb[n]!.for}, severity ${pb[n]!.labels?.severity}`],
      level: "info",
    });
  for (const n of ps.removed)
    changes.push({ area: "alerts", subject: `${n} (Prometheus rule)`, kind: "removed", details: [], level: "info" });
  for (const n of ps.common) {
    const a = pa[n]!;
    const b = pb[n]!;
    const d: string[] = [];
    if (a.expr !== b.expr) {
      const ta = /([<>]=?) (\S+)$/.exec(a.expr);
      const tb = /([<>]=?) (\S+)$/.exec(b.expr);
      if (ta && tb && a.expr.slice(0, ta.index) === b.expr.slice(0, tb.index))
        d.push(`threshold ${arrow(`${ta[1]} ${ta[2]}`, `${tb[1]} ${tb[2]}`)}`);
      else d.push(`expression ${arrow(a.expr, b.expr)}`);
    }
    if (a.for !== b.for) d.push(`for ${arrow(a.for, b.for)}`);
    if (a.labels?.severity !== b.labels?.severity) d.push(`severity ${arrow(a.labels?.severity, b.labels?.severity)}`);
    if (!same(a.annotations, b.annotations)) d.push("summary, description or runbook link changed");
    if (d.length > 0)
      changes.push({ area: "alerts", subject: `${n} (Prometheus rule)`, kind: "changed", details: d, level: "info" });
  }

  const ga = grafanaRules(before);
  const gb = grafanaRules(after);
  const gs = keySplit(ga, gb);
  for (const n of gs.added)
    changes.push({
      area: "alerts",
      subject: `"${n}" (Grafana rule)`,
      kind: "added",
      details: [`for ${gb[n]!.for}, severity ${gb[n]!.labels?.severity}`],
      level: "info",
    });
  for (const n of gs.removed)
    changes.push({ area: "alerts", subject: `"${n}" (Grafana rule)`, kind: "removed", details: [], level: "info" });
  for (const n of gs.common) {
    const a = ga[n]!;
    const b = gb[n]!;
    const sa = grafanaShape(a);
    const sb = grafanaShape(b);
    const d: string[] = [];
    if (!same(sa.threshold, sb.threshold)) d.push(`threshold ${arrow(sa.threshold, sb.threshold)}`);
    if (!same(sa.queries, sb.queries)) d.push(`queries ${arrow(sa.queries.join(" ; "), sb.queries.join(" ; "))}`);
    if (a.for !== b.for) d.push(`for ${arrow(a.for, b.for)}`);
    if (a.labels?.severity !== b.labels?.severity) d.push(`severity ${arrow(a.labels?.severity, b.labels?.severity)}`);
    if (d.length > 0)
      changes.push({ area: "alerts", subject: `"${n}" (Grafana rule)`, kind: "changed", details: d, level: "info" });
  }

  const contact = (files: Record<string, string>) => {
    const doc = files[GRAFANA] ? parse(files[GRAFANA]!) : {};
    const receiver = doc.contactPoints?.[0]?.receivers?.[0];
    return receiver ? { type: receiver.type, settings: Object.keys(receiver.settings ?? {}).sort() } : undefined;
  };
  const ca = contact(before);
  const cb = contact(after);
  if (!same(ca, cb))
    changes.push({
      area: "alerts",
      subject: "contact point",
      kind: "changed",
      details: [`${arrow(ca?.type, cb?.type)} (settings: ${cb?.settings.join(", ") ?? "none"})`],
      level: "info",
    });
  return changes;
}
