/** JVM panels shared by the JobManager and TaskManager dashboards. */
import { CATALOG, available } from "../flink/catalog.js";
import type { MonitoringConfig } from "../config/resolve.js";
import type { VariableFilter } from "./dialects/spec.js";
import { series, gcPerSecond, followFirst, label, type LegendPart } from "./query.js";
import { MS_PER_SECOND, present, type PanelSpec, type RowSpec } from "./model.js";
import { rangeSeconds, rangeWindow } from "./windows.js";

/** Rate window for the cumulative GC gauges (see windows.ts). */
export const gcWindowSeconds = rangeSeconds;

export function jvmRow(
  config: MonitoringConfig,
  component: "jobmanager" | "taskmanager",
  filters: readonly VariableFilter[],
): RowSpec {
  const jvm = CATALOG[component];
  const version = config.flink.version;
  const by: string[] = component === "jobmanager" ? ["host"] : ["tm_id"];
  const who: LegendPart[] = by.map(label);
  const gauge = (metric: (typeof jvm)["heapUsed"], legend: string) =>
    series({ metric, transform: "value", filters, aggregate: { op: "max", by } }, [...who, legend]);
  const name = component === "jobmanager" ? "JobManager" : "TaskManager";
  const gcAlert = config.alerts.rules.gcTimeHigh.threshold;

  const panels: (PanelSpec | undefined)[] = [
    {
      key: "cpu",
      title: "CPU load",
      kind: "timeseries",
      unit: "percentunit",
      min: 0,
      max: 1,
      description: `${jvm.cpuLoad.description} Sustained values near 1 mean the ${name} is CPU-bound.`,
      thresholds: [
        { value: 0.8, color: "orange" },
        { value: 0.95, color: "red" },
      ],
      targets: [gauge(jvm.cpuLoad, "")],
    },
    {
      key: "cpu-time",
      title: "CPU cores used",
      kind: "timeseries",
      unit: "short",
      min: 0,
      description: `CPU time the ${name} process used per second, in cores (Status.JVM.CPU.Time, a cumulative count of nanoseconds). Unlike the load, not capped at the cores the JVM sees.`,
      targets: [
        series(
          {
            metric: jvm.cpuTime,
            transform: "perSecond",
            filters,
            aggregate: { op: "max", by },
            divideBy: 1_000_000_000,
            recordRateOver: rangeWindow(config),
          },
          [...who, "cores"],
        ),
      ],
    },
    {
      key: "heap",
      title: "Heap memory",
      kind: "timeseries",
      unit: "bytes",
      min: 0,
      description:
        "Heap used against committed and max. Used close to max for long means GC pressure and a risk of OutOfMemoryError.",
      targets: followFirst([
        gauge(jvm.heapUsed, "used"),
        gauge(jvm.heapCommitted, "committed"),
        gauge(jvm.heapMax, "max"),
      ]),
    },
    {
      key: "nonheap",
      title: "Non-heap and metaspace",
      kind: "timeseries",
      unit: "bytes",
      min: 0,
      description:
        "Non-heap memory used and committed, and metaspace used against its limit (1.12+). Growing metaspace across job restarts hints at a class-loader leak.",
      targets: followFirst(
        present([
          gauge(jvm.nonHeapUsed, "non-heap used"),
          gauge(jvm.nonHeapCommitted, "non-heap committed"),
          available(jvm.metaspaceUsed, version) && gauge(jvm.metaspaceUsed, "metaspace used"),
          available(jvm.metaspaceMax, version) && gauge(jvm.metaspaceMax, "metaspace max"),
        ]),
      ),
    },
    {
      key: "direct",
      title: "Direct memory",
      kind: "timeseries",
      unit: "bytes",
      min: 0,
      description: "Direct buffers used against their total capacity (network buffers, RocksDB, connectors).",
      targets: followFirst([gauge(jvm.directUsed, "used"), gauge(jvm.directCapacity, "capacity")]),
    },
    {
      key: "threads",
      title: "Threads",
      kind: "timeseries",
      unit: "short",
      min: 0,
      description: `${jvm.threads.description} A steady climb is a thread leak.`,
      targets: [gauge(jvm.threads, "")],
    },
    {
      key: "classes",
      title: "Class loading",
      kind: "timeseries",
      unit: "short",
      min: 0,
      description:
        "Classes loaded and unloaded since start; loaded growing with every job restart is a class-loader leak.",
      targets: followFirst([gauge(jvm.classesLoaded, "loaded"), gauge(jvm.classesUnloaded, "unloaded")]),
    },
    {
      key: "gc-count",
      title: "GC collections per second",
      kind: "timeseries",
      unit: "short",
      min: 0,
      description:
        "Collections per second for each garbage collector (any collector: G1, Parallel, CMS/ParNew, Serial, ZGC).",
      targets: [gcPerSecond({ metric: jvm.gcCount, transform: "value", filters }, by, who, gcWindowSeconds(config))],
    },
    {
      key: "gc-time",
      title: "GC time per second",
      kind: "timeseries",
      unit: MS_PER_SECOND,
      min: 0,
      // Red where the GC alert fires (it adds up the collectors; one collector above it is over for sure).
      description: `Milliseconds per second spent collecting, per collector. Red from ${gcAlert} ms/s (${gcAlert / 10} % of wall time, the alert's threshold for all collectors together): the JVM is short of heap.`,
      thresholds: [{ value: gcAlert, color: "red" }],
      targets: [gcPerSecond({ metric: jvm.gcTime, transform: "value", filters }, by, who, gcWindowSeconds(config))],
    },
  ];
  return { title: `${name} JVM`, panels: present(panels) };
}
