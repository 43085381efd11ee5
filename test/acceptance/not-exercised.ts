/**
 * Catalog metrics the acceptance job cannot make Flink report, and why. Everything else the catalog claims for a
 * version must be in the stores (the acceptance suite) and in docs/verified-metrics.json (a unit test).
 */
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

/** The catalog's key of a metric: scope, path and (dotted) name. */
export function metricKey(metric: { readonly scope: string; readonly path: string; readonly name?: string }): string {
  return [metric.scope, metric.path, metric.name].filter((p) => p !== undefined && p !== "").join(".");
}
