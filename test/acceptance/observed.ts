/**
 * What the real clusters reported, per Flink version and store: metric names by scope. The acceptance suite writes
 * it to docs/verified-metrics.json when FLINKMON_UPDATE_VERIFIED=1; test/flink/catalog-verified.test.ts keeps the
 * catalog in agreement with the committed file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scopeOfStoredName } from "../../flink/naming.js";

export const VERIFIED_FILE = join(import.meta.dirname, "..", "..", "docs", "verified-metrics.json");

/** version → store → scope → sorted names */
export type Verified = Record<string, Record<"prometheus" | "influxdb", Record<string, string[]>>>;

/** The scope a stored name belongs to, or "other" (a table key). */
export function scopeOf(name: string, store: "prometheus" | "influxdb"): string {
  return scopeOfStoredName(name, store) ?? "other";
}

export function group(names: readonly string[], store: "prometheus" | "influxdb"): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const n of [...new Set(names)].sort()) (out[scopeOf(n, store)] ??= []).push(n);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function readVerified(): Verified {
  return JSON.parse(readFileSync(VERIFIED_FILE, "utf8")) as Verified;
}

export function writeVerified(v: Verified): void {
  const sorted = Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(VERIFIED_FILE, `${JSON.stringify(sorted, null, 1)}\n`);
  writeFileSync(VERIFIED_FILE.replace(/\.json$/, ".md"), markdown(sorted));
}

/** The same facts for reading: per store and scope, each name with the versions it was seen in. */
function markdown(v: Verified): string {
  const versions = Object.keys(v);
  const lines = [
    "# Metric names seen on real Flink clusters",
    "",
    "Written by the acceptance suite (`FLINKMON_UPDATE_VERIFIED=1 npm run test:acceptance`) from what Flink's own",
    "distributions reported into Prometheus (scraped reporter) and InfluxDB while running the acceptance job",
    "(test/acceptance/job/MetricsJob.java). `docs/verified-metrics.json` holds the same data; a unit test keeps",
    "flinkmon's metric catalog in agreement with it.",
    "",
  ];
  for (const store of ["prometheus", "influxdb"] as const) {
    const scopes = [...new Set(versions.flatMap((ver) => Object.keys(v[ver]![store] ?? {})))].sort();
    for (const scope of scopes) {
      lines.push(
        `## ${store}: ${scope}`,
        "",
        `| name | ${versions.join(" | ")} |`,
        `|---|${versions.map(() => ":-:").join("|")}|`,
      );
      const names = [...new Set(versions.flatMap((ver) => v[ver]![store]?.[scope] ?? []))].sort();
      for (const name of names)
        lines.push(
          `| \`${name}\` | ${versions.map((ver) => ((v[ver]![store]?.[scope] ?? []).includes(name) ? "✓" : "")).join(" | ")} |`,
        );
      lines.push("");
    }
  }
  return lines.join("\n");
}
