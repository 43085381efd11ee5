/** What a Grafana server reads at start-up: the input of the conformance check. */

export interface GrafanaInstance {
  /** Provisioning files by path below the provisioning folder: "alerting/flinkmon-alerts.yaml", "datasources/…". */
  readonly provisioning: ReadonlyMap<string, string>;
  /**
   * Provisioning files already parsed, by the same paths (build()'s documents): the check reads these instead of
   * parsing the text again. @default none
   */
  readonly parsed?: ReadonlyMap<string, unknown>;
  /** Files Grafana can read outside provisioning, by absolute path: the dashboard JSON under a provider's path. */
  readonly files: ReadonlyMap<string, string>;
  /** Names of the variables set in Grafana's environment (values are secrets; a set variable is non-empty). */
  readonly environment: ReadonlySet<string>;
  /**
   * Data sources that exist without flinkmon's provisioning (a Helm chart's own).
   * @default none
   */
  readonly extraDatasources?: readonly { readonly uid: string; readonly type: string }[];
  /**
   * Labels each stored metric carries, for the alert-query grouping rule: metric or measurement name → labels.
   * Undefined: names the check does not know are not checked.
   */
  readonly metricLabels?: (name: string, store: "prometheus" | "influxdb") => readonly string[] | undefined;
}

/** One thing Grafana would refuse (or silently get wrong), in words a user can act on. */
export interface Finding {
  /** Path of the file, below the provisioning folder or absolute; "environment" for the container's variables. */
  readonly file: string;
  /** Short id of the rule, for tests and `--format json`. */
  readonly rule: string;
  readonly message: string;
}

export const formatFinding = (f: Finding): string => `${f.file}: ${f.message}`;

/** Grafana's provisioning folder unless GF_PATHS_PROVISIONING moves it (conf/defaults.ini [paths] provisioning). */
export const DEFAULT_PROVISIONING_DIR = "/etc/grafana/provisioning";

/**
 * A Grafana container as its files and environment give it: files below the provisioning folder are provisioning,
 * every file is readable by a dashboard provider.
 */
export function fromContainerFiles(
  files: ReadonlyMap<string, string>,
  environment: ReadonlySet<string>,
  provisioningDir = DEFAULT_PROVISIONING_DIR,
): GrafanaInstance {
  const dir = `${provisioningDir.replace(/\/$/, "")}/`;
  return {
    provisioning: new Map([...files].filter(([p]) => p.startsWith(dir)).map(([p, c]) => [p.slice(dir.length), c])),
    files,
    environment,
  };
}
