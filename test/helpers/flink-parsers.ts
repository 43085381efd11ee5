/**
 * How Flink itself reads its configuration files (apache/flink GlobalConfiguration and YamlParserUtils), re-implemented
 * for tests: the legacy line parser of flink-conf.yaml and the flatten() of the standard config.yaml parser.
 */
import { parseDocument } from "yaml";

/** Flink's legacy parser: text after "#" is a comment, split on the first ": ", trimmed; duplicates are errors here. */
export function parseLegacyFlinkConf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.split("#")[0]!;
    const at = line.indexOf(": ");
    if (line.trim() === "") continue;
    if (at < 0) throw new Error(`line without ": " would be skipped by Flink: ${raw}`);
    const key = line.slice(0, at).trim();
    const value = line.slice(at + 2).trim();
    if (!key || !value) throw new Error(`empty key or value would be skipped by Flink: ${raw}`);
    if (out.has(key)) throw new Error(`duplicate key ${key}`);
    out.set(key, value);
  }
  return out;
}

/** Standard YAML parse (duplicate keys are errors, as in Flink 1.19+) then flatten nested maps with ".". */
export function parseNestedFlinkConfig(text: string): Map<string, unknown> {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join("\n"));
  const out = new Map<string, unknown>();
  const walk = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    } else {
      if (out.has(prefix)) throw new Error(`duplicate flattened key ${prefix}`);
      out.set(prefix, value);
    }
  };
  walk("", doc.toJS());
  return out;
}
