/** Reading provisioning YAML the forgiving way: a document of unknown shape, probed field by field. */
import { parse } from "yaml";

export type Doc = Record<string, unknown>;

export const isDoc = (v: unknown): v is Doc => v !== null && typeof v === "object" && !Array.isArray(v);
export const list = (v: unknown): Doc[] => (Array.isArray(v) ? v.filter(isDoc) : []);
export const str = (v: unknown): string =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "";

/** The parsed document, or the parser's message. */
export function parseYaml(text: string): { doc?: Doc; error?: string } {
  try {
    const doc = parse(text) as unknown;
    return isDoc(doc) ? { doc } : { error: "is not a YAML mapping" };
  } catch (error) {
    return { error: `is not valid YAML: ${(error as Error).message.split("\n")[0]}` };
  }
}

/** Every string value in a document, with its path ("groups[0].rules[1].title"), for variable references. */
export function* strings(value: unknown, path = ""): Generator<[path: string, text: string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${path}[${i}]`);
  else if (isDoc(value)) for (const [k, v] of Object.entries(value)) yield* strings(v, path ? `${path}.${k}` : k);
}
