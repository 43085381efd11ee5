/** Reads flinkmon.config.yaml (or the built-in default), validates it and derives the typed config. */
import { readFileSync, existsSync } from "node:fs";
import { parseDocument } from "yaml";
import type * as z from "zod";
import { configSchema } from "./schema.js";
import { resolveConfig, type MonitoringConfig } from "./resolve.js";
import { ConfigError, formatPath, type ConfigIssue } from "./errors.js";
import { allowedKeysAt } from "./json-schema.js";
import { didYouMean } from "./suggest.js";
import { checkConfigForVersion } from "./version-rules.js";

export const DEFAULT_CONFIG_FILE = "flinkmon.config.yaml";

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeIssue(issue: z.core.$ZodIssue): ConfigIssue[] {
  const path = formatPath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeysAt(issue.path);
      return issue.keys.map((key) => {
        const hint = didYouMean(key, allowed);
        return {
          path: formatPath([...issue.path, key]),
          message: `unknown key; allowed here: ${allowed.join(", ")}${hint ? `. Did you mean "${hint}"?` : ""}`,
        };
      });
    }
    case "invalid_value": {
      const allowed = issue.values.map(String);
      const hint = typeof input === "string" ? didYouMean(input, allowed) : undefined;
      return [
        {
          path,
          message: `${show(input)} is not allowed; allowed: ${allowed.join(", ")}${hint ? `. Did you mean "${hint}"?` : ""}`,
        },
      ];
    }
    case "invalid_type":
      return [{ path, message: `${show(input)} is not allowed; expected ${issue.expected}` }];
    default: {
      // Zod's own texts ("Too big: expected number to be <=65535") become "…is not allowed: too big: …".
      const message = issue.message.replace(/^Invalid input: /, "");
      if (input === undefined || (typeof input === "object" && input !== null)) return [{ path, message }];
      return [{ path, message: `${show(input)} is not allowed: ${message[0]!.toLowerCase()}${message.slice(1)}` }];
    }
  }
}

/** Validates a config object (already parsed from YAML). Throws ConfigError listing every problem. */
export function configFromObject(raw: unknown, source = "built-in default"): MonitoringConfig {
  const result = configSchema.safeParse(raw ?? {}, { reportInput: true });
  if (!result.success) throw new ConfigError(result.error.issues.flatMap(describeIssue), source);
  const config = resolveConfig(result.data);
  const issues = checkConfigForVersion(config);
  if (issues.length > 0) throw new ConfigError(issues, source);
  return config;
}

/** Parses YAML text; syntax errors and duplicate keys become ConfigErrors with line numbers. */
export function parseConfigYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({ path: "", message: `${source}: ${e.message.split("\n")[0]}` })),
      source,
    );
  }
  return doc.toJS() ?? {};
}

export function configFromYaml(text: string, source: string): MonitoringConfig {
  return configFromObject(parseConfigYaml(text, source), source);
}

/**
 * The config file as a plain object: the named file (must exist), or `false` for the built-in default. Which file a
 * command uses is decided once, by scripts/config-option.ts (the project's flinkmon.config.yaml, found upwards).
 */
export function readConfigObject(path: string | false): { raw: unknown; source: string } {
  if (path === false) return { raw: {}, source: "built-in default" };
  if (!existsSync(path))
    throw new ConfigError([{ path: "--config", message: `config file ${path} does not exist` }], path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "EISDIR"
        ? "is a folder, not a YAML file"
        : code === "EACCES"
          ? "cannot be read (permission denied)"
          : `cannot be read (${code ?? (error as Error).message})`;
    throw new ConfigError([{ path: "--config", message: `${path} ${why}` }], path);
  }
  return { raw: parseConfigYaml(text, path), source: path };
}

/** Loads and validates the config (see readConfigObject for which file). */
export function loadConfig(file: string | false): { config: MonitoringConfig; source: string } {
  const { raw, source } = readConfigObject(file);
  return { config: configFromObject(raw, source), source };
}
