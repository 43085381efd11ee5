/** Flink reporter key changes, values of secret-looking keys masked. */
import { parseDocument } from "yaml";
import { arrow, keySplit, type Change } from "./model.js";

const FILES = ["flink/flink-conf.yaml", "flink/config.yaml"];
const SECRET_KEY = /password|apikey|api-key|secret|token/i;

/** Flat key → value of either Flink file format (legacy lines, or nested YAML flattened with "."). */
export function flinkKeys(path: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (path.endsWith("flink-conf.yaml")) {
    for (const line of text.split("\n")) {
      const body = line.split("#")[0]!;
      const at = body.indexOf(": ");
      if (at > 0) out[body.slice(0, at).trim()] = body.slice(at + 2).trim();
    }
    return out;
  }
  const walk = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    else out[prefix] = String(value);
  };
  walk("", parseDocument(text).toJS());
  return out;
}

const mask = (key: string, value: string | undefined) => (value !== undefined && SECRET_KEY.test(key) ? "••••" : value);

export function flinkChanges(before: Record<string, string>, after: Record<string, string>): Change[] {
  const fileA = FILES.find((f) => f in before);
  const fileB = FILES.find((f) => f in after);
  const changes: Change[] = [];
  if (fileA !== fileB)
    changes.push({
      area: "flink",
      subject: "Flink configuration file",
      kind: "changed",
      details: [`file ${arrow(fileA, fileB)} (the Flink version crossed 1.19)`],
      level: "info",
    });
  const a = fileA ? flinkKeys(fileA, before[fileA]!) : {};
  const b = fileB ? flinkKeys(fileB, after[fileB]!) : {};
  const { added, removed, common } = keySplit(a, b);
  const details = [
    ...added.map((k) => `added \`${k}: ${mask(k, b[k])}\``),
    ...removed.map((k) => `removed \`${k}\``),
    ...common.filter((k) => a[k] !== b[k]).map((k) => `\`${k}\`: ${arrow(mask(k, a[k]), mask(k, b[k]))}`),
  ];
  if (details.length > 0)
    changes.push({ area: "flink", subject: "metrics.reporter keys", kind: "changed", details, level: "info" });
  return changes;
}
