/** Job alerts: running, restarts, checkpoints. */
import { CATALOG, storeNames } from "../../flink/catalog.js";
import { formatDuration } from "../../config/duration.js";
import { groupingOf, influxGroupingOf, type AlertKit, type AlertQuery, type DraftAlert } from "./alert-kit.js";

/** "Within 10 minutes" (a restart, a failed checkpoint) and "within 30 minutes" (a restart loop). */
const RECENT_SECONDS = 600;
const LOOP_SECONDS = 1800;

type Metric = Parameters<typeof storeNames>[0];

/**
 * How much a counter grew per job within `seconds`. InfluxDB: over the rule's whole look-back, which is the window:
 * a trailing window, not epoch-aligned buckets, whose boundaries split a window and whose partial current bucket
 * missed checkpoints (replayed on a healthy job checkpointing every 3 minutes, the bucketed query fired in 11 of 89
 * evaluations).
 */
function growth(increase: AlertKit["increase"], counter: Metric, seconds: number): AlertQuery {
  return {
    prometheus: increase(counter, formatDuration(seconds)),
    influxdb: `SELECT spread("value") AS "value" FROM "${storeNames(counter).influxdb}" WHERE $timeFilter GROUP BY ${influxGroupingOf(["job_name"])}`,
    lookbackSeconds: seconds,
  };
}

export function jobAlerts(kit: AlertKit): DraftAlert[] {
  const { config, highest, increase, promMax, running, restarts } = kit;
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
    query: growth(increase, restarts, RECENT_SECONDS),
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
    query: growth(increase, restarts, LOOP_SECONDS),
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
    query: growth(increase, job.checkpointsFailed, RECENT_SECONDS),
  });

  const windowSeconds = rules.noCompletedCheckpoint.threshold * 60;
  const window = formatDuration(windowSeconds);
  const completed = growth(increase, job.checkpointsCompleted, windowSeconds);
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
    // Only jobs running longer than the window: a young job has had no chance to checkpoint yet.
    query: {
      ...completed,
      prometheus: `${completed.prometheus} and on (${groupingOf(["job_name"])}) (${promMax(running, ["job_name"])} > ${windowSeconds * 1000})`,
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
