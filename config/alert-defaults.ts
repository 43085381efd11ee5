/**
 * The alerts flinkmon ships, with default thresholds, pending periods and severities (sources in
 * docs/runbook.md explains each). Every value can be overridden under `alerts.rules.<name>`.
 */
export type Severity = "critical" | "warning" | "info";

export interface AlertSettings {
  readonly enabled: boolean;
  /** Number compared against, in the unit the alert names. */
  readonly threshold: number;
  /** Pending period, e.g. "5m". */
  readonly for: string;
  readonly severity: Severity;
}

export const ALERT_DEFAULTS = {
  /** downtime (ms) above threshold: the job is failing or restarting. */
  jobNotRunning: { enabled: true, threshold: 0, for: "1m", severity: "critical" },
  /** Restarts within 10 minutes above threshold: one restart is worth a look, not a page. */
  jobRestarting: { enabled: true, threshold: 0, for: "0m", severity: "warning" },
  /** Restarts within 30 minutes above threshold: a restart loop, the job makes no progress. */
  jobRestartLoop: { enabled: true, threshold: 2, for: "0m", severity: "critical" },
  /** Failed checkpoints within 10 minutes above threshold. */
  checkpointsFailing: { enabled: true, threshold: 0, for: "0m", severity: "warning" },
  /** Minutes without a completed checkpoint (threshold = the window, in minutes). */
  noCompletedCheckpoint: { enabled: true, threshold: 15, for: "0m", severity: "critical" },
  /** lastCheckpointDuration (ms) above threshold. */
  checkpointDurationHigh: { enabled: true, threshold: 60000, for: "5m", severity: "warning" },
  /** backPressuredTimeMsPerSecond above threshold (Flink's UI calls > 500 HIGH). */
  backpressureHigh: { enabled: true, threshold: 500, for: "15m", severity: "warning" },
  /** busyTimeMsPerSecond above threshold. */
  busyHigh: { enabled: true, threshold: 800, for: "15m", severity: "warning" },
  /** Registered TaskManagers below threshold (default: alerts.expectedTaskManagers). */
  taskManagersMissing: { enabled: true, threshold: 1, for: "2m", severity: "critical" },
  /** Heap used / max above threshold (0..1). */
  heapHigh: { enabled: true, threshold: 0.9, for: "5m", severity: "warning" },
  /** GC time (ms per second) above threshold. */
  gcTimeHigh: { enabled: true, threshold: 100, for: "10m", severity: "warning" },
  /** Source backlog (pendingRecords / Kafka records-lag-max) above threshold and still growing over 30 minutes. */
  sourceLagGrowing: { enabled: true, threshold: 10000, for: "15m", severity: "warning" },
  /** Records emitted per second by all of a job's operators below threshold. */
  noRecords: { enabled: true, threshold: 1, for: "10m", severity: "warning" },
  /** Event-time lag of operator watermarks (ms) above threshold. */
  watermarkLagHigh: { enabled: true, threshold: 300000, for: "10m", severity: "warning" },
  /** A Flink reporter endpoint Prometheus scrapes answers no more (up below threshold). */
  reporterDown: { enabled: true, threshold: 1, for: "2m", severity: "critical" },
  /** The JobManager's metrics are gone from the store (threshold: fewer series than this). */
  metricsAbsent: { enabled: true, threshold: 1, for: "5m", severity: "critical" },
  /** A job of alerts.expectedJobs has no metrics: it failed, was cancelled or never started. */
  jobMissing: { enabled: true, threshold: 0, for: "2m", severity: "critical" },
} as const satisfies Record<string, AlertSettings>;

export type AlertName = keyof typeof ALERT_DEFAULTS;
export const ALERT_NAMES = Object.keys(ALERT_DEFAULTS) as AlertName[];

/** What an alert's threshold means, and the values that make sense (the config refuses the rest). */
export interface ThresholdRule {
  readonly unit: string;
  readonly min: number;
  /** The threshold must be above `min`, not equal to it (`< 0` could never fire). */
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly maxExclusive?: boolean;
  readonly integer?: boolean;
}

const MS_PER_SECOND: ThresholdRule = {
  unit: "milliseconds per second, at most 1000",
  min: 0,
  max: 1000,
  maxExclusive: true,
};

export const THRESHOLD_RULES: Readonly<Record<AlertName, ThresholdRule>> = {
  jobNotRunning: { unit: "milliseconds of downtime", min: 0 },
  jobRestarting: { unit: "restarts within 10 minutes", min: 0, integer: true },
  jobRestartLoop: { unit: "restarts within 30 minutes", min: 0, integer: true },
  checkpointsFailing: { unit: "failed checkpoints within 10 minutes", min: 0, integer: true },
  // The window of a PromQL range: a week keeps it within what Prometheus keeps by default and parses.
  noCompletedCheckpoint: { unit: "minutes: the window", min: 1, max: 10080, integer: true },
  checkpointDurationHigh: { unit: "milliseconds", min: 0, minExclusive: true },
  backpressureHigh: MS_PER_SECOND,
  busyHigh: MS_PER_SECOND,
  taskManagersMissing: { unit: "registered TaskManagers", min: 1, integer: true },
  heapHigh: {
    unit: "fraction of the heap, not a percentage",
    min: 0,
    minExclusive: true,
    max: 1,
    maxExclusive: true,
  },
  gcTimeHigh: MS_PER_SECOND,
  sourceLagGrowing: { unit: "pending records", min: 0 },
  noRecords: { unit: "records per second", min: 0, minExclusive: true },
  watermarkLagHigh: { unit: "milliseconds", min: 0, minExclusive: true },
  reporterDown: { unit: "up (1: answers)", min: 0, minExclusive: true, max: 1 },
  metricsAbsent: { unit: "JobManager series", min: 1, integer: true },
  jobMissing: { unit: "missing expected jobs", min: 0, integer: true },
};

/** "≥ 0", "an integer ≥ 1", "0 < x < 1", … */
export function allowedRange(rule: ThresholdRule): string {
  const kind = rule.integer ? "an integer " : "";
  const low = rule.minExclusive ? "<" : "≤";
  if (rule.max === undefined) return `${kind}${rule.minExclusive ? ">" : "≥"} ${rule.min}`;
  return `${kind}${rule.min} ${low} x ${rule.maxExclusive ? "<" : "≤"} ${rule.max}`;
}
