/** Cluster alerts: TaskManagers registered, heap, garbage collection. */
import { CATALOG, storeNames } from "../../flink/catalog.js";
import { gcTimePerSecondByTaskManager, heapRatio } from "../named-queries.js";
import { atLeast } from "../../config/version.js";
import type { MonitoringConfig } from "../../config/resolve.js";
import type { InfluxPair } from "./alert-kit.js";
import type { AlertKit, DraftAlert } from "./alert-kit.js";

export function clusterAlerts(kit: AlertKit): DraftAlert[] {
  const { config, influxSelect, highest, windows } = kit;
  const v = config.flink.version;
  const { taskmanager: tm, jobmanager: jm } = CATALOG;
  const out: DraftAlert[] = [];
  out.push({
    name: "taskManagersMissing",
    title: "Flink TaskManagers missing",
    op: "lt",
    about: [],
    dashboard: "flink-jobmanager",
    panel: "taskmanagers",
    noData: "Alerting",
    summary: "Only {{VALUE}} Flink TaskManagers are registered",
    description: "numRegisteredTaskManagers is below the number the cluster should have (alerts.expectedTaskManagers).",
    query: highest(jm.registeredTaskManagers, []),
  });

  out.push({
    name: "heapHigh",
    title: "Flink JVM heap nearly full",
    op: "gt",
    about: ["tm_id"],
    dashboard: "flink-taskmanager",
    panel: "heap",
    noData: "OK",
    summary: "Flink heap use {{VALUE}} on {{ $labels.tm_id }}{{ $labels.host }}",
    valueFormat: "percent",
    description:
      "Heap used / heap max is above the threshold on a TaskManager or the JobManager; expect long GC pauses and OutOfMemoryError.",
    query: {
      prometheus: `${heapRatio(tm.heapUsed, tm.heapMax, ["tm_id"])} or ${heapRatio(jm.heapUsed, jm.heapMax, ["host"])}`,
      influxdb: {
        parts: [
          influxSelect('last("value")', storeNames(tm.heapUsed).influxdb, ["tm_id"]),
          influxSelect('last("value")', storeNames(tm.heapMax).influxdb, ["tm_id"]),
        ],
        combine: "/",
      },
      lookbackSeconds: windows.lookbackSeconds,
    },
  });

  out.push({
    name: "gcTimeHigh",
    title: "Flink GC time high",
    op: "gt",
    about: ["tm_id"],
    dashboard: "flink-taskmanager",
    panel: "gc-time",
    noData: "OK",
    summary: "Flink TaskManager {{ $labels.tm_id }} spends {{VALUE}} ms/s in garbage collection",
    description: `Milliseconds per second spent in garbage collection (all collectors) are above the threshold: the heap is too small or something leaks.${atLeast(v, 1, 19) ? "" : " (InfluxDB before Flink 1.19: the G1 collectors, the JVM's default.)"}`,
    query: {
      prometheus: gcTimePerSecondByTaskManager(config),
      influxdb: influxGcPerSecond(config, influxSelect),
      lookbackSeconds: windows.lookbackSeconds,
    },
  });

  return out;
}

/**
 * GC milliseconds per second per TaskManager on InfluxDB. Each collector is a measurement of its own, and a regex
 * FROM returns one series per measurement with the same tm_id tag, which Grafana's evaluator rejects. Flink 1.19+
 * reports the sum as the collector "All"; before that, the two G1 collectors (the JVM default) are added.
 */
function influxGcPerSecond(config: MonitoringConfig, influxSelect: AlertKit["influxSelect"]): string | InfluxPair {
  const pattern = storeNames(CATALOG.taskmanager.gcTime).influxdb;
  const perSecond = (collector: string) =>
    influxSelect('non_negative_derivative(last("value"), 1s)', pattern.replace("<collector>", collector), ["tm_id"]);
  if (atLeast(config.flink.version, 1, 19)) return perSecond("All");
  return { parts: [perSecond("G1_Young_Generation"), perSecond("G1_Old_Generation")], combine: "+" };
}
