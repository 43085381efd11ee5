/**
 * Which reporter options exist in which Flink version (apache/flink MetricOptions and the reporters' *Options classes; 1.18 to 2.3 proven by test/acceptance).
 * An option the configured version lacks is an error naming the version, never a silently dropped line.
 */
import type { MonitoringConfig } from "./resolve.js";
import type { ReporterKind } from "./schema.js";
import type { ConfigIssue } from "./errors.js";
import { atLeast, minorLabel, type FlinkVersion } from "./version.js";
import { REPORTER_TITLES } from "./reporter-titles.js";

type MinorVersion = readonly [major: number, minor: number];

interface OptionRule {
  /** Flink key, for the message. */
  readonly key: string;
  readonly since?: MinorVersion;
  /** First version that no longer has (or no longer safely reads) it. */
  readonly until?: MinorVersion;
  readonly why?: string;
}

const COMMON_RULES: Record<string, OptionRule> = {
  scopeVariablesExcludes: { key: "scope.variables.excludes", since: [1, 10] },
  scopeVariablesAdditional: { key: "scope.variables.additional", since: [1, 15] },
  filterIncludes: { key: "filter.includes", since: [1, 16] },
  filterExcludes: { key: "filter.excludes", since: [1, 16] },
};

const TIMEOUT_WHY = "Flink 1.20 made it a Duration that the reporter cannot read from a config file";

const REPORTER_RULES: Partial<Record<ReporterKind, Record<string, OptionRule>>> = {
  pushgateway: { groupingKey: { key: "groupingKey", since: [1, 10] } },
  influxdb: {
    scheme: { key: "scheme", since: [1, 12] },
    consistency: { key: "consistency", since: [1, 10] },
    connectTimeout: { key: "connectTimeout", since: [1, 10], until: [1, 20], why: TIMEOUT_WHY },
    writeTimeout: { key: "writeTimeout", since: [1, 10], until: [1, 20], why: TIMEOUT_WHY },
  },
};

/**
 * Whether the version has a reporter option (a field of `flink.reporter.<kind>`): what generators ask before they
 * write a key flinkmon sets itself (the cluster's grouping key or tag, the generated filters).
 */
export function hasReporterOption(version: FlinkVersion, field: string, kind?: ReporterKind): boolean {
  const rule = COMMON_RULES[field] ?? (kind ? REPORTER_RULES[kind]?.[field] : undefined);
  if (!rule) throw new Error(`no version rule for reporter option ${kind ?? "*"}.${field}`);
  return (!rule.since || atLeast(version, ...rule.since)) && !(rule.until && atLeast(version, ...rule.until));
}

function label(v: MinorVersion): string {
  return `${v[0]}.${v[1]}`;
}

function ruleIssue(
  version: FlinkVersion,
  kind: ReporterKind,
  field: string,
  rule: OptionRule,
): ConfigIssue | undefined {
  const title = REPORTER_TITLES[kind];
  const path = `flink.reporter.${kind}.${field}`;
  if (rule.since && !atLeast(version, ...rule.since)) {
    return {
      path,
      message: `Flink ${minorLabel(version)} has no ${title} reporter option "${rule.key}" (added in ${label(rule.since)}); remove it or raise flink.version`,
    };
  }
  if (rule.until && atLeast(version, ...rule.until)) {
    return {
      path,
      message: `Flink ${minorLabel(version)} cannot use ${title} reporter option "${rule.key}" (${rule.why ?? `gone since ${label(rule.until)}`}); remove it`,
    };
  }
  return undefined;
}

/** Every option set for an enabled reporter that the configured Flink version does not have. */
export function checkConfigForVersion(config: MonitoringConfig): ConfigIssue[] {
  const { version, reporters, reporter } = config.flink;
  const issues: ConfigIssue[] = [];
  for (const kind of reporters) {
    const options = reporter[kind] as Record<string, unknown>;
    const rules = { ...COMMON_RULES, ...REPORTER_RULES[kind] };
    for (const [field, rule] of Object.entries(rules)) {
      if (options[field] === undefined) continue;
      const issue = ruleIssue(version, kind, field, rule);
      if (issue) issues.push(issue);
    }
  }
  if (reporters.includes("pushgateway") && !atLeast(version, 1, 15) && reporter.pushgateway.url.startsWith("https:")) {
    issues.push({
      path: "flink.reporter.pushgateway.url",
      message: `Flink ${minorLabel(version)} PushGateway reporter takes host and port only (plain http); "hostUrl" with https needs Flink 1.15+`,
    });
  }
  return issues;
}
