/** Grafana's environment: the variables provisioning files reference, and the GF_* settings the stack sets. */
import { GRAFANA_SETTINGS, envKey, referencedVariables } from "./facts.js";
import type { Finding, GrafanaInstance } from "./instance.js";
import { strings, type Doc } from "./yaml-doc.js";

const KNOWN_SETTINGS = new Set(
  Object.entries(GRAFANA_SETTINGS).flatMap(([section, keys]) => keys.map((k) => envKey(section, k))),
);

/** Alert rule query models are passed raw; annotations expand only ${NAME} (rules_types.go). */
function expansion(path: string): "none" | "braced" | "all" {
  if (/^groups\[\d+\]\.rules\[\d+\]\.data\[\d+\]\.model\b/.test(path)) return "none";
  if (/^groups\[\d+\]\.rules\[\d+\]\.annotations\./.test(path)) return "braced";
  return "all";
}

/**
 * The environment Grafana's process sees: the grafana/grafana image's entry script (packaging/docker/run.sh) reads
 * every GF_<NAME>__FILE variable's file into GF_<NAME> before Grafana starts.
 */
export function processEnvironment(names: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    const file = /^(GF_.+)__FILE$/.exec(name);
    out.add(file ? file[1]! : name);
  }
  return out;
}

export function checkEnvironment(
  files: ReadonlyMap<string, Doc>,
  instance: GrafanaInstance,
  findings: Finding[],
): void {
  const environment = processEnvironment(instance.environment);
  for (const [file, doc] of files) {
    for (const [path, text] of strings(doc)) {
      const mode = expansion(path);
      if (mode === "none") continue;
      for (const name of referencedVariables(text, mode === "braced")) {
        if (environment.has(name)) continue;
        findings.push({
          file,
          rule: "environment-variable",
          message: `${path}: references $${name}, which Grafana's environment does not set (Grafana expands it to "")`,
        });
      }
    }
  }
  for (const name of [...environment].sort()) {
    if (name.startsWith("GF_") && !KNOWN_SETTINGS.has(name) && !name.startsWith("GF_PLUGIN")) {
      findings.push({
        file: "environment",
        rule: "grafana-setting",
        message: `${name} is not a Grafana setting (conf/defaults.ini has no such section and key): Grafana ignores it`,
      });
    }
  }
}
