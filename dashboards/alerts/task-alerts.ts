/** Task alerts: back-pressure, saturation, source backlog, record flow, watermarks. */
import { CATALOG, available, storeNames } from "../../flink/catalog.js";
import { renderPromQL } from "../dialects/promql.js";
import { subqueryStep } from "../windows.js";
import { groupingOf, perCluster, type AlertKit, type DraftAlert } from "./alert-kit.js";

export function taskAlerts(kit: AlertKit): DraftAlert[] {
  const { config, influxSelect, highest, windows } = kit;
  const v = config.flink.version;
  const { task, operator } = CATALOG;
  const out: DraftAlert[] = [];
  if (available(task.backPressuredTime, v)) {
    out.push({
      name: "backpressureHigh",
      title: "Flink task back-pressured",
      op: "gt",
      about: ["job_name", "task_name"],
      dashboard: "flink-job",
      panel: "backpressured",
      noData: "OK",
      summary: "Flink task {{ $labels.task_name }} of {{ $labels.job_name }} is back-pressured {{VALUE}} ms/s",
      description:
        "backPressuredTimeMsPerSecond is above the threshold (Flink's UI calls > 500 ms/s HIGH): a downstream task cannot keep up.",
      query: highest(task.backPressuredTime, ["job_name", "task_name"]),
    });
  }
  if (available(task.busyTime, v)) {
    out.push({
      name: "busyHigh",
      title: "Flink task saturated",
      op: "gt",
      about: ["job_name", "task_name"],
      dashboard: "flink-job",
      panel: "busy",
      noData: "OK",
      summary: "Flink task {{ $labels.task_name }} of {{ $labels.job_name }} is busy {{VALUE}} ms/s",
      description:
        "busyTimeMsPerSecond is above the threshold: the task is the bottleneck; scale it out or make it cheaper.",
      query: highest(task.busyTime, ["job_name", "task_name"]),
    });
  }

  if (available(operator.pendingRecords, v)) {
    const lag = renderPromQL(
      { metric: operator.pendingRecords, transform: "value", aggregate: { op: "sum", by: perCluster(["job_name"]) } },
      windows,
    );
    out.push({
      name: "sourceLagGrowing",
      title: "Flink source backlog growing",
      op: "gt",
      about: ["job_name"],
      dashboard: "flink-job",
      panel: "pending-records",
      noData: "OK",
      summary: "Flink job {{ $labels.job_name }} has {{VALUE}} pending source records and the backlog grows",
      description:
        "The sources' pendingRecords is above the threshold and grew over the last 30 minutes (InfluxDB: above the threshold for the pending period): the job does not keep up.",
      query: {
        prometheus: `${lag} and on (${groupingOf(["job_name"])}) (deriv((${lag})[30m:${subqueryStep(config)}]) > 0)`,
        influxdb: influxSelect('sum("value")', storeNames(operator.pendingRecords).influxdb, ["job_name"]),
        lookbackSeconds: windows.lookbackSeconds,
      },
    });
  }

  // Operators, not tasks: a fully chained job is one task whose output is its sink's (always 0), and a filter on
  // task names ("not a sink") removed that task altogether. Some operator of a job that moves records emits them.
  out.push({
    name: "noRecords",
    title: "Flink job emits no records",
    op: "lt",
    about: ["job_name"],
    dashboard: "flink-job",
    panel: "records-operator",
    noData: "OK",
    summary: "Flink job {{ $labels.job_name }}: its operators emit {{VALUE}} records/s",
    description:
      "numRecordsOutPerSecond summed over every operator of the job (sources included, sinks emit none) is below the threshold: sources are idle or the job is stuck.",
    query: {
      prometheus: `sum by (${groupingOf(["job_name"])}) (${storeNames(operator.recordsOutPerSecond).prometheus})`,
      influxdb: influxSelect('sum("rate")', storeNames(operator.recordsOutPerSecond).influxdb, ["job_name"]),
      lookbackSeconds: windows.lookbackSeconds,
    },
  });

  out.push({
    name: "watermarkLagHigh",
    title: "Flink watermark lag high",
    op: "gt",
    about: ["job_name"],
    dashboard: "flink-job",
    panel: "watermark-lag",
    noData: "OK",
    summary: "Flink job {{ $labels.job_name }}: event time trails by {{VALUE}} ms",
    description:
      "Now minus the lowest operator output watermark is above the threshold (InfluxDB: the sources' watermarkLag): results are late.",
    query: {
      prometheus: `time() * 1000 - min by (${groupingOf(["job_name"])}) (${storeNames(operator.outputWatermark).prometheus} > 0)`,
      influxdb: available(operator.watermarkLag, v)
        ? influxSelect('max("value")', storeNames(operator.watermarkLag).influxdb, ["job_name"])
        : undefined,
      lookbackSeconds: windows.lookbackSeconds,
    },
  });

  return out;
}
