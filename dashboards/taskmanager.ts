/** flink-taskmanager: one TaskManager (variable) or all; JVM, managed and network memory, top TaskManagers. */
import { CATALOG, available, storeNames } from "../flink/catalog.js";
import type { MonitoringConfig } from "../config/resolve.js";
import type { VariableFilter } from "./dialects/spec.js";
import { series, custom, followFirst, label, labelIn } from "./query.js";
import { MS_PER_SECOND, present, type DashboardSpec, type PanelSpec } from "./model.js";
import { jvmRow } from "./jvm.js";
import { CLUSTER, clusterVariable, influxConditions, promFilters } from "./filters.js";
import { gcTimePerSecondByTaskManager, heapRatio } from "./named-queries.js";
import { INFLUX_ONE_COLLECTOR } from "./dialects/influxql.js";
import { atLeast } from "../config/version.js";

/**
 * InfluxDB's top-GC query: Flink 1.19+ reports the sum of all collectors (collector "All"), one series per
 * TaskManager; before, InfluxQL cannot add measurements, so each collector is its own series (legend names it).
 */
function influxTopGc(config: MonitoringConfig): string {
  const pattern = storeNames(CATALOG.taskmanager.gcTime).influxdb;
  const source = atLeast(config.flink.version, 1, 19)
    ? `"${pattern.replace("<collector>", "All")}"`
    : `/^${pattern.replace("<collector>", INFLUX_ONE_COLLECTOR)}$/`;
  return `SELECT non_negative_derivative(last("value"), 1s) AS "value" FROM ${source} WHERE ${influxConditions(CLUSTER)} AND $timeFilter GROUP BY time($__interval), "tm_id" fill(none)`;
}

export function taskManagerDashboard(config: MonitoringConfig): DashboardSpec {
  const tm = CATALOG.taskmanager;
  const version = config.flink.version;
  const filters: VariableFilter[] = [...CLUSTER, { label: "tm_id", variable: "tm_id" }];
  const perTm = (metric: (typeof tm)["heapUsed"], legend: string, worst?: "low") =>
    series({ metric, transform: "value", filters, aggregate: { op: "max", by: ["tm_id"] } }, [label("tm_id"), legend], {
      worst,
    });
  const cpu = storeNames(tm.cpuLoad);
  const heap = { used: storeNames(tm.heapUsed), max: storeNames(tm.heapMax) };

  const memory: (PanelSpec | false)[] = [
    available(tm.managedUsed, version) && {
      key: "managed",
      title: "Managed memory",
      kind: "timeseries",
      unit: "bytes",
      min: 0,
      description:
        "Managed memory used against the total (RocksDB state, batch sorting, Python). Full managed memory slows RocksDB.",
      targets: followFirst([perTm(tm.managedUsed, "used"), perTm(tm.managedTotal, "total")]),
    },
    {
      key: "network-segments",
      title: "Network memory segments",
      kind: "timeseries",
      unit: "short",
      min: 0,
      description:
        "Shuffle (Netty) memory segments: available, used (1.12+) and total. No available segments stall data exchange.",
      targets: followFirst(
        present([
          perTm(tm.segmentsAvailable, "available", "low"),
          available(tm.segmentsUsed, version) && perTm(tm.segmentsUsed, "used"),
          perTm(tm.segmentsTotal, "total"),
        ]),
      ),
    },
  ];

  return {
    key: "flink-taskmanager",
    title: "TaskManagers",
    description: "TaskManager JVMs, managed and network memory, and the TaskManagers under the most pressure.",
    variables: [
      clusterVariable(tm.cpuLoad),
      {
        name: "tm_id",
        label: "TaskManager",
        startOnAll: false,
        prometheus: `label_values(${cpu.prometheus}${promFilters(CLUSTER)}, tm_id)`,
        influxdb: `SHOW TAG VALUES FROM "${cpu.influxdb}" WITH KEY = "tm_id" WHERE ${influxConditions(CLUSTER)}`,
      },
    ],
    rows: [
      {
        title: "Top TaskManagers",
        panels: [
          {
            key: "top-heap",
            title: "Top TaskManagers by heap use",
            kind: "bargauge",
            unit: "percentunit",
            width: 12,
            min: 0,
            max: 1,
            description:
              "The ten TaskManagers using the largest share of their heap (InfluxDB: heap used in bytes, which InfluxQL cannot divide across measurements).",
            thresholds: [
              { value: 0.8, color: "orange" },
              { value: config.alerts.rules.heapHigh.threshold, color: "red" },
            ],
            // InfluxQL cannot divide used by max across measurements: the bytes, with no ratio thresholds.
            influxdb: { unit: "bytes", max: undefined, thresholds: [] },
            targets: [
              custom(
                `topk(10, ${heapRatio(tm.heapUsed, tm.heapMax, ["tm_id"], CLUSTER)})`,
                `SELECT last("value") AS "value" FROM "${heap.used.influxdb}" WHERE ${influxConditions(CLUSTER)} AND $timeFilter GROUP BY "tm_id"`,
                [label("tm_id")],
                { instant: true },
              ),
            ],
          },
          {
            key: "top-gc",
            title: "Top TaskManagers by GC time",
            kind: "bargauge",
            unit: MS_PER_SECOND,
            width: 12,
            min: 0,
            description:
              "The ten TaskManagers spending the most milliseconds per second in garbage collection (all collectors).",
            thresholds: [{ value: config.alerts.rules.gcTimeHigh.threshold, color: "red" }],
            targets: [
              custom(
                `topk(10, ${gcTimePerSecondByTaskManager(config, CLUSTER)})`,
                influxTopGc(config),
                [label("tm_id"), ...(atLeast(config.flink.version, 1, 19) ? [] : [labelIn("influxdb", "collector")])],
                { instant: true },
              ),
            ],
          },
        ],
      },
      { title: "Memory", panels: present(memory) },
      jvmRow(config, "taskmanager", filters),
    ],
  };
}
