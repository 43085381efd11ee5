import * as z from "zod";
import { configSchema } from "./schema.js";

export interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  [key: string]: unknown;
}

let cached: JsonSchemaNode | undefined;

/** JSON Schema of flinkmon.config.yaml (input side: every field optional), for editors and messages. */
export function configJsonSchema(): JsonSchemaNode {
  cached ??= {
    ...(z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode),
    title: "flinkmon.config.yaml",
    description: "flinkmon configuration: Flink reporters, monitoring stores, dashboards and alerts.",
  };
  return cached;
}

/** Property names allowed at a config path, for "did you mean" on unknown keys. */
export function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  let node: JsonSchemaNode | undefined = configJsonSchema();
  for (const seg of path) {
    if (!node) return [];
    node = typeof seg === "number" ? node.items : node.properties?.[String(seg)];
  }
  return Object.keys(node?.properties ?? {});
}
