/** Renders changes as Markdown (a PR comment: summary table first, details folded), plain text or JSON. */
import { AREA_TITLE, type Area, type Change } from "./model.js";

/** Hidden marker that lets CI find and update its one PR comment. */
export const COMMENT_MARKER = "<!-- flinkmon-diff -->";
const AREAS = Object.keys(AREA_TITLE) as Area[];

function byArea(changes: readonly Change[]): [Area, Change[]][] {
  return AREAS.map((area) => [area, changes.filter((c) => c.area === area)] as [Area, Change[]]).filter(
    ([, list]) => list.length > 0,
  );
}

export function formatMarkdown(changes: readonly Change[], base: string, head: string): string {
  const lines = [COMMENT_MARKER, `### flinkmon: monitoring changes \`${base}\` → \`${head}\``, ""];
  if (changes.length === 0)
    return `${[...lines, "No changes to dashboards, alerts, Flink reporter keys or the stack."].join("\n")}\n`;
  const dangers = changes.filter((c) => c.level === "danger");
  for (const d of dangers)
    lines.push(`> [!CAUTION]`, `> **${d.subject}**: ${d.details.filter((x) => x.includes("DESTROYED")).join(" ")}`, "");
  const replaced = changes.filter((c) => c.area === "stack" && c.level === "warning");
  if (replaced.length > 0)
    lines.push(
      `> [!WARNING]`,
      `> Containers replaced on deploy: ${replaced.map((c) => c.subject.replace("container ", "")).join(", ")}`,
      "",
    );
  lines.push("| Area | Added | Removed | Changed |", "|---|---:|---:|---:|");
  for (const [area, list] of byArea(changes)) {
    const n = (kind: Change["kind"]) => list.filter((c) => c.kind === kind).length;
    lines.push(`| ${AREA_TITLE[area]} | ${n("added")} | ${n("removed")} | ${n("changed")} |`);
  }
  lines.push("");
  for (const [area, list] of byArea(changes)) {
    lines.push(`<details><summary>${AREA_TITLE[area]} (${list.length})</summary>`, "");
    for (const c of list) {
      lines.push(`- **${c.kind}** ${c.subject}`);
      for (const d of c.details) lines.push(`  - ${d}`);
    }
    lines.push("", "</details>", "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

export function formatText(changes: readonly Change[]): string {
  if (changes.length === 0) return "";
  const lines: string[] = [];
  for (const [area, list] of byArea(changes)) {
    lines.push(`${AREA_TITLE[area]}:`);
    for (const c of list) {
      lines.push(`  ${c.level === "danger" ? "!! " : ""}${c.kind} ${c.subject}`);
      for (const d of c.details) lines.push(`      ${d.replace(/`/g, "")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export function formatJson(changes: readonly Change[], base: string, head: string): string {
  return `${JSON.stringify({ base, head, changes }, null, 2)}\n`;
}
