/** What changed, in words: the result of comparing two snapshots. */
export type Area = "dashboards" | "alerts" | "flink" | "budget" | "stack" | "files";

export interface Change {
  readonly area: Area;
  /** What it is about: `flink-job (prometheus) › "Checkpoint duration"`, `docker_volume.grafana_data`. */
  readonly subject: string;
  readonly kind: "added" | "removed" | "changed";
  /** One line each: `query A: old → new`, `image: a → b`. */
  readonly details: readonly string[];
  /** danger: data would be destroyed; warning: a container is replaced; info: everything else. */
  readonly level: "info" | "warning" | "danger";
}

export const AREA_TITLE: Record<Area, string> = {
  dashboards: "Dashboards",
  alerts: "Alert rules",
  flink: "Flink reporter configuration",
  budget: "Series budget",
  stack: "Monitoring stack",
  files: "Other generated files",
};

/** `a → b` with long values shortened; JSON for non-strings. */
export function arrow(before: unknown, after: unknown): string {
  const show = (v: unknown) => {
    const text = v === undefined ? "(none)" : typeof v === "string" ? v : JSON.stringify(v);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  };
  return `\`${show(before)}\` → \`${show(after)}\``;
}

/** Keys of two records: only in a, only in b, in both (sorted). */
export function keySplit<T>(
  a: Record<string, T>,
  b: Record<string, T>,
): { removed: string[]; added: string[]; common: string[] } {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return { removed: ka.filter((k) => !(k in b)), added: kb.filter((k) => !(k in a)), common: ka.filter((k) => k in b) };
}

export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
