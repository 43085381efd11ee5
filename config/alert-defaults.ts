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
  /** Restarts within 10 minutes above threshold. */
  jobRestarting: { enabled: true, threshold: 0, for: "0m", severity: "critical" },
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
  /** Records out per second of a job's non-sink tasks below threshold. */
  noRecords: { enabled: true, threshold: 1, for: "10m", severity: "warning" },
  /** Event-time lag of operator watermarks (ms) above threshold. */
  watermarkLagHigh: { enabled: true, threshold: 300000, for: "10m", severity: "warning" },
} as const satisfies Record<string, AlertSettings>;

export type AlertName = keyof typeof ALERT_DEFAULTS;
export const ALERT_NAMES = Object.keys(ALERT_DEFAULTS) as AlertName[];
