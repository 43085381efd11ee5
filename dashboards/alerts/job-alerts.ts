/** Job alerts: running, restarts, checkpoints. */
import { CATALOG, storeNames } from "../../flink/catalog.js";
import { formatDuration } from "../../config/duration.js";
import type { AlertKit, DraftAlert } from "./alert-kit.js";

export function jobAlerts(kit: AlertKit): DraftAlert[] {
  const { config, influxSelect, highest, increase, promMax, running, restarts, windows } = kit;
  const rules = config.alerts.rules;
  const { job } = CATALOG;
  const out: DraftAlert[] = [];
  out.push({
    name: "jobNotRunning",
    title: "Flink job not running",
    op: "gt",
    about: ["job_name"],
    dashboard: "flink-job",
    panel: "downtime",
    noData: "OK",
    summary: "Flink job {{ $labels.job_name }} is failing or restarting",
    description: "The job's downtime is above zero: it is failing or restarting instead of running.",
    query: highest(job.downtime, ["job_name"]),
  });

  out.push({
    name: "jobRestarting",
    title: "Flink job restarting",
    op: "gt",
    about: ["job_name"],
    dashboard: "flink-job",
    panel: "restarts",
    noData: "OK",
    summary: "Flink job {{ $labels.job_name }} restarted within 10 minutes",
    description: `The job's ${restarts.path} counter grew within the last 10 minutes.`,
    query: {
      prometheus: increase(restarts, "10m"),
      influxdb: influxSelect('spread("value")', storeNames(restarts).influxdb, ["job_name"], "10m"),
      lookbackSeconds: windows.lookbackSeconds,
    },
  });

  out.push({
    name: "jobRestartLoop",
    title: "Flink job restart loop",
    op: "gt",
    about: ["job_name"],
    dashboard: "flink-job",
    panel: "restarts",
    noData: "OK",
    summary: "Flink job {{ $labels.job_name }} restarted {{VALUE}} times within 30 minutes",
    description: `The job's ${restarts.path} counter grew more than the threshold within 30 minutes: it fails again after each restart and makes no progress.`,
    query: {
      prometheus: increase(restarts, "30m"),
      influxdb: influxSelect('spread("value")', storeNames(restarts).influxdb, ["job_name"], "30m"),
      lookbackSeconds: 1800,
    },
  });

  out.push({
    name: "checkpointsFailing",
    title: "Flink checkpoints failing",
    op: "gt",
    about: ["job_name"],
    dashboard: "flink-job",
    panel: "checkpoint-counts",
    noData: "OK",
    summary: "Flink job {{ $labels.job_name }} has failing checkpoints",
    description: "numberOfFailedCheckpoints grew within the last 10 minutes.",
    query: {
      prometheus: increase(job.checkpointsFailed, "10m"),
      influxdb: influxSelect('spread("value")', storeNames(job.checkpointsFailed).influxdb, ["job_name"], "10m"),
      lookbackSeconds: windows.lookbackSeconds,
    },
  });

  const windowSeconds = rules.noCompletedCheckpoint.threshold * 60;
  const window = formatDuration(windowSeconds);
  out.push({
    name: "noCompletedCheckpoint",
    title: "Flink checkpoints not completing",
    op: "lt",
    about: ["job_name"],
    dashboard: "flink-job",
    panel: "last-checkpoint",
    noData: "OK",
    // The threshold is the window in minutes; the alert fires when fewer than one checkpoint completed in it.
    limit: 1,
    summary: `Flink job {{ $labels.job_name }} completed no checkpoint in ${window}`,
    description: `numberOfCompletedCheckpoints did not grow for ${window} while the job has been running longer than that. Jobs without checkpointing should disable this alert.`,
    query: {
      prometheus: `${increase(job.checkpointsCompleted, window)} and on (job_name) (${promMax(running, ["job_name"])} > ${windowSeconds * 1000})`,
      influxdb: influxSelect('spread("value")', storeNames(job.checkpointsCompleted).influxdb, ["job_name"], window),
      lookbackSeconds: windowSeconds,
    },
  });

  out.push({
    name: "checkpointDurationHigh",
    title: "Flink checkpoints slow",
    op: "gt",
    about: ["job_name"],
    dashboard: "flink-job",
    panel: "checkpoint-duration",
    noData: "OK",
    summary: "Flink job {{ $labels.job_name }}: last checkpoint took {{VALUE}} ms",
    description:
      "lastCheckpointDuration is above the threshold; slow checkpoints delay recovery and can cause backpressure.",
    query: highest(job.checkpointDuration, ["job_name"]),
  });

  return out;
}
