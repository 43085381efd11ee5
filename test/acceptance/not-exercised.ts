/**
 * Catalog metrics the acceptance job cannot make Flink report, and why. Everything else the catalog claims for a
 * version must be in the stores (the acceptance suite) and in docs/verified-metrics.json (a unit test).
 */
import { atLeast, type FlinkVersion } from "../../config/version.js";

export const NOT_EXERCISED: Readonly<Record<string, string>> = {
  "jobmanager.numPendingTaskManagers":
    "reported only by active resource managers (native Kubernetes, YARN); the suite's cluster is standalone",
  "taskmanager.job.task.operator.pendingRecords":
    "an optional FLIP-33 source metric: Kafka and file sources report it, the job's sequence source does not",
  "taskmanager.job.task.operator.watermarkLag":
    "an optional FLIP-33 source metric the job's sequence source does not report",
  "taskmanager.job.task.operator.KafkaSourceReader.KafkaConsumer.records-lag-max":
    "needs a Kafka source; no Kafka broker runs here",
  "taskmanager.job.task.operator.numLateRecordsDropped":
    "registered by event-time window operators; the job has no window",
};

const SINK_V2 =
  "registered by Sink V2 writers; the job's sink is the Sink V2 DiscardingSink from Flink 1.19, before a SinkFunction (which registers none)";

/** Metrics the job exercises only from a Flink version on, because of how it must be written before. */
export const NOT_EXERCISED_BEFORE: Readonly<
  Record<string, { readonly version: [number, number]; readonly reason: string }>
> = {
  "taskmanager.job.task.operator.numRecordsSend": { version: [1, 19], reason: SINK_V2 },
  "taskmanager.job.task.operator.numBytesSend": { version: [1, 19], reason: SINK_V2 },
  "taskmanager.job.task.operator.numRecordsSendErrors": { version: [1, 19], reason: SINK_V2 },
};

/** Why the job cannot make Flink `version` report the metric `key`, or undefined where it does. */
export function notExercisedOn(key: string, version: FlinkVersion): string | undefined {
  const before = NOT_EXERCISED_BEFORE[key];
  return NOT_EXERCISED[key] ?? (before && !atLeast(version, ...before.version) ? before.reason : undefined);
}

/** The catalog's key of a metric: scope, path and (dotted) name. */
export function metricKey(metric: { readonly scope: string; readonly path: string; readonly name?: string }): string {
  return [metric.scope, metric.path, metric.name].filter((p) => p !== undefined && p !== "").join(".");
}
