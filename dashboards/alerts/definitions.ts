/**
 * The alert catalogue (docs/runbook.md) as data: for each alert, the value to watch in both
 * query languages and how it compares with its threshold. Prometheus rules use `<query> <op> <threshold>`;
 * Grafana rules run the same query and compare in a threshold expression. Metric names come from the catalog.
 */
import { CATALOG, available, pick, storeNames } from "../../flink/catalog.js";
import type { MonitoringConfig } from "../../config/resolve.js";
import type { AlertName, AlertSettings } from "../../config/alert-defaults.js";
import { formatDuration } from "../../config/duration.js";
import { renderPromQL, promGcSelector } from "../dialects/promql.js";
import type { RenderContext } from "../dialects/spec.js";
import { gcWindowSeconds } from "../jvm.js";
import { rangeWindow, subqueryStep } from "../windows.js";
import { customMetrics } from "../../flink/custom-metrics.js";
import { customGrouping, customSpec, customPanelKey } from "../custom.js";
import { atLeast } from "../../config/version.js";
import { renderInfluxQL } from "../dialects/influxql.js";
import { scrapesFlink } from "../../config/resolve.js";
import { prometheusLabelValue } from "../../flink/naming.js";
import { FLINK_POD_MONITOR, FLINK_SCRAPE_JOB } from "../../contract/services.js";

export interface AlertQuery {
  /** PromQL giving the watched value per series (no template variables). */
  readonly prometheus: string;
  /**
   * InfluxQL with `$timeFilter` and a fixed GROUP BY time(); undefined when InfluxQL cannot express it. Two
   * queries are combined (divided or added) by a Grafana math expression, as InfluxQL cannot join measurements.
   */
  readonly influxdb?: string | InfluxPair;
  /** Seconds of data the Grafana rule asks for. */
  readonly lookbackSeconds: number;
  /**
   * The whole expression of the Prometheus rule, where it differs from `<prometheus> <op> <limit>`: Prometheus
   * rules have no "no data" state, so absence is written with absent() there.
   */
  readonly prometheusRule?: string;
}

/** Two InfluxQL queries, each one series per group, joined by Grafana on their labels: `first <combine> second`. */
export interface InfluxPair {
  readonly parts: readonly [first: string, second: string];
  readonly combine: "/" | "+";
}

export interface AlertDef {
  /** An AlertName, or custom<Metric> for a custom metric's alert. */
  readonly name: string;
  /** Section of docs/runbook.md. @default the name in lower case */
  readonly runbookSection?: string;
  readonly title: string;
  readonly op: "gt" | "lt";
  /** Labels that identify what fires, for summaries and grouping. */
  readonly about: readonly string[];
  /** Summary; {{VALUE}} stands for the watched value, formatted per `valueFormat` by each rule form. */
  readonly summary: string;
  /** How {{VALUE}} prints: a whole number, or a 0..1 ratio as a percentage. @default "integer" */
  readonly valueFormat?: "integer" | "percent";
  readonly description: string;
  /** Dashboard that shows it. */
  readonly dashboard: "flink-jobmanager" | "flink-taskmanager" | "flink-job";
  /** Key of the panel that shows it: a notification links to that panel. */
  readonly panel: string;
  /** What Grafana does when the query returns nothing. */
  readonly noData: "OK" | "Alerting";
  readonly query: AlertQuery;
  readonly settings: AlertSettings;
  /** What the value is compared with: the threshold, except where the threshold sets a window. */
  readonly limit: number;
}

/**
 * Alert queries' windows: Prometheus rates over 5 minutes; InfluxDB buckets of four reporter intervals (one minute
 * at the default 15 s), as the dashboards' range windows, so an alert sees data as soon as a panel does.
 */
function alertContext(config: MonitoringConfig): RenderContext {
  return { rateWindow: "5m", bucket: rangeWindow(config) };
}

const influxSelectIn =
  (bucket: string) =>
  (fn: string, measurement: string, tags: readonly string[], window = bucket, where = "") =>
    `SELECT ${fn} AS "value" FROM ${measurement.startsWith("/") ? measurement : `"${measurement}"`} WHERE ${where}$timeFilter GROUP BY time(${window})${tags.map((t) => `, "${t}"`).join("")} fill(none)`;

/** Every alert the configured Flink version can support, with its settings; disabled ones left out. */
export function alertDefinitions(config: MonitoringConfig): AlertDef[] {
  const v = config.flink.version;
  const ALERT_CONTEXT = alertContext(config);
  const INFLUX_BUCKET = ALERT_CONTEXT.bucket;
  const influxSelect = influxSelectIn(INFLUX_BUCKET);
  const rules = config.alerts.rules;
  const { job, task, operator, taskmanager: tm, jobmanager: jm } = CATALOG;
  const defs: (Omit<AlertDef, "settings" | "limit" | "name"> & { name: AlertName; limit?: number })[] = [];
  const promMax = (metric: Parameters<typeof storeNames>[0], by: string[]) =>
    renderPromQL({ metric, transform: "value", aggregate: { op: "max", by } }, ALERT_CONTEXT);
  /** The highest value per group, in both languages (gauges compared directly with a threshold). */
  const highest = (metric: Parameters<typeof storeNames>[0], by: string[]): AlertQuery => ({
    prometheus: promMax(metric, by),
    influxdb: influxSelect('max("value")', storeNames(metric).influxdb, by),
    lookbackSeconds: 600,
  });
  const increase = (metric: Parameters<typeof storeNames>[0], window: string) =>
    `max by (job_name) (increase(${storeNames(metric).prometheus}[${window}]))`;
  const running = pick(v, job.runningTime, job.uptime)!;

  defs.push({
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

  const restarts = pick(v, job.numRestarts, job.fullRestarts)!;
  defs.push({
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
      lookbackSeconds: 600,
    },
  });

  defs.push({
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

  defs.push({
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
      lookbackSeconds: 600,
    },
  });

  const windowSeconds = rules.noCompletedCheckpoint.threshold * 60;
  const window = formatDuration(windowSeconds);
  defs.push({
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

  defs.push({
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

  if (available(task.backPressuredTime, v)) {
    defs.push({
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
    defs.push({
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

  defs.push({
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

  const ratio = (u: Parameters<typeof storeNames>[0], m: Parameters<typeof storeNames>[0], by: string) =>
    `max by (${by}) (${storeNames(u).prometheus}) / max by (${by}) (${storeNames(m).prometheus})`;
  defs.push({
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
      prometheus: `${ratio(tm.heapUsed, tm.heapMax, "tm_id")} or ${ratio(jm.heapUsed, jm.heapMax, "host")}`,
      influxdb: {
        parts: [
          influxSelect('last("value")', storeNames(tm.heapUsed).influxdb, ["tm_id"]),
          influxSelect('last("value")', storeNames(tm.heapMax).influxdb, ["tm_id"]),
        ],
        combine: "/",
      },
      lookbackSeconds: 600,
    },
  });

  const gcWindow = gcWindowSeconds(config);
  const gc = { metric: tm.gcTime, transform: "value" as const };
  defs.push({
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
      prometheus: `sum by (tm_id) (clamp_min(${promGcSelector(gc)} - ${promGcSelector(gc, ` offset ${formatDuration(gcWindow)}`)}, 0)) / ${gcWindow}`,
      influxdb: influxGcPerSecond(config),
      lookbackSeconds: 600,
    },
  });

  if (available(operator.pendingRecords, v)) {
    const lag = renderPromQL(
      { metric: operator.pendingRecords, transform: "value", aggregate: { op: "sum", by: ["job_name"] } },
      ALERT_CONTEXT,
    );
    defs.push({
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
        prometheus: `${lag} and on (job_name) (deriv((${lag})[30m:${subqueryStep(config)}]) > 0)`,
        influxdb: influxSelect('sum("value")', storeNames(operator.pendingRecords).influxdb, ["job_name"]),
        lookbackSeconds: 600,
      },
    });
  }

  // Operators, not tasks: a fully chained job is one task whose output is its sink's (always 0), and a filter on
  // task names ("not a sink") removed that task altogether. Some operator of a job that moves records emits them.
  defs.push({
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
      prometheus: `sum by (job_name) (${storeNames(operator.recordsOutPerSecond).prometheus})`,
      influxdb: influxSelect('sum("rate")', storeNames(operator.recordsOutPerSecond).influxdb, ["job_name"]),
      lookbackSeconds: 600,
    },
  });

  defs.push({
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
      prometheus: `time() * 1000 - min by (job_name) (${storeNames(operator.outputWatermark).prometheus} > 0)`,
      influxdb: available(operator.watermarkLag, v)
        ? influxSelect('max("value")', storeNames(operator.watermarkLag).influxdb, ["job_name"])
        : undefined,
      lookbackSeconds: 600,
    },
  });

  const jmProbe = storeNames(jm.registeredTaskManagers);
  if (scrapesFlink(config))
    defs.push({
      name: "reporterDown",
      title: "Flink reporter endpoint down",
      op: "lt",
      about: ["instance"],
      dashboard: "flink-jobmanager",
      panel: "taskmanagers",
      noData: "OK",
      summary: "Prometheus cannot scrape Flink's reporter at {{ $labels.instance }}",
      description:
        "The scrape of a JobManager's or TaskManager's Prometheus reporter fails: the process is gone, or its reporter (port, plugin) is not up. Its metrics, and every alert on them, are missing.",
      query: {
        prometheus: `min by (job, instance) (up{${flinkScrapeMatcher(config)}})`,
        lookbackSeconds: 600,
      },
    });

  defs.push({
    name: "metricsAbsent",
    title: "Flink metrics absent",
    op: "lt",
    about: [],
    dashboard: "flink-jobmanager",
    panel: "taskmanagers",
    noData: "Alerting",
    summary: "No Flink JobManager metrics arrive",
    description: `The store has no ${jmProbe.prometheus} (InfluxDB: ${jmProbe.influxdb}) at all: the cluster is down, or nothing delivers its metrics. Every other Flink alert is blind until this is fixed.`,
    query: {
      prometheus: `count(${jmProbe.prometheus})`,
      prometheusRule: `absent(${jmProbe.prometheus})`,
      // fill(0): a bucket without data counts 0 (fill(none) would keep the last bucket that had data). A partial
      // current bucket can read 0 for one evaluation; the pending period outlasts it.
      influxdb: `SELECT count("value") AS "value" FROM "${jmProbe.influxdb}" WHERE $timeFilter GROUP BY time(${INFLUX_BUCKET}) fill(0)`,
      lookbackSeconds: 600,
    },
  });

  const expected = config.alerts.expectedJobs;
  if (expected.length > 0) {
    // absent() of an equality matcher returns that label: one series, and one alert, per missing job.
    const missing = expected
      .map((name) => `absent(${storeNames(running).prometheus}{job_name="${prometheusLabelValue(name)}"})`)
      .join(" or ");
    defs.push({
      name: "jobMissing",
      title: "Flink expected job missing",
      op: "gt",
      about: ["job_name"],
      dashboard: "flink-jobmanager",
      panel: "running-jobs",
      noData: "OK",
      summary: "Flink job {{ $labels.job_name }} is expected to run but has no metrics",
      description:
        "A job of alerts.expectedJobs reports no metrics: it failed, was cancelled or was never started (a finished job takes its metrics with it, so no other job alert can fire for it).",
      query: { prometheus: missing, prometheusRule: missing, lookbackSeconds: 600 },
    });
  }

  const builtIn = defs
    .filter((d) => rules[d.name].enabled)
    .map((d) => ({ ...d, settings: rules[d.name], limit: d.limit ?? rules[d.name].threshold }));
  return [...builtIn, ...customAlertDefinitions(config)];
}

/**
 * GC milliseconds per second per TaskManager on InfluxDB. Each collector is a measurement of its own, and a regex
 * FROM returns one series per measurement with the same tm_id tag, which Grafana's evaluator rejects. Flink 1.19+
 * reports the sum as the collector "All"; before that, the two G1 collectors (the JVM default) are added.
 */
function influxGcPerSecond(config: MonitoringConfig): string | InfluxPair {
  const pattern = storeNames(CATALOG.taskmanager.gcTime).influxdb;
  const influxSelect = influxSelectIn(alertContext(config).bucket);
  const perSecond = (collector: string) =>
    influxSelect('non_negative_derivative(last("value"), 1s)', pattern.replace("<collector>", collector), ["tm_id"]);
  if (atLeast(config.flink.version, 1, 19)) return perSecond("All");
  return { parts: [perSecond("G1_Young_Generation"), perSecond("G1_Old_Generation")], combine: "+" };
}

/** Prometheus's own `up` series of Flink's reporter endpoints: the Docker scrape jobs, or the Flink PodMonitor. */
function flinkScrapeMatcher(config: MonitoringConfig): string {
  if (config.target === "kubernetes") return `job="${config.kubernetes.namespace}/${FLINK_POD_MONITOR}"`;
  return `job=~"${FLINK_SCRAPE_JOB.jobmanager}|${FLINK_SCRAPE_JOB.taskmanager}"`;
}

const pascal = (s: string) =>
  s
    .replace(/[^a-zA-Z0-9]+/g, " ")
    .trim()
    .split(" ")
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");

/** Alerts declared on custom metrics (`customMetrics[].alert`), on the value their panel shows. */
function customAlertDefinitions(config: MonitoringConfig): AlertDef[] {
  return customMetrics(config)
    .filter((m) => m.config.alert)
    .map((m) => {
      const alert = m.config.alert!;
      const { by } = customGrouping(m);
      const quantile = m.config.type === "histogram" ? ("0.99" as const) : undefined;
      const spec = customSpec(m, [], quantile);
      const above = alert.above !== undefined;
      const limit = alert.above ?? alert.below!;
      const what = quantile
        ? `p99 of ${m.def.path}`
        : m.config.type === "counter"
          ? `${m.def.path} per second`
          : m.def.path;
      const where = by[1] === "operator_name" ? "operator {{ $labels.operator_name }}" : "task {{ $labels.task_name }}";
      return {
        name: `custom${pascal([...m.config.groups, m.config.name].join(" "))}`,
        runbookSection: "custom-metrics",
        title: `Flink custom metric ${m.title} ${above ? "high" : "low"}`,
        op: above ? "gt" : "lt",
        about: by,
        summary: `Flink job {{ $labels.job_name }}, ${where}: ${what} is {{VALUE}} (${above ? "above" : "below"} ${limit})`,
        description: `The custom ${m.config.type} ${m.def.path} (${m.javaLine}) is ${above ? "above" : "below"} ${limit} for ${alert.for}.`,
        dashboard: "flink-job",
        panel: customPanelKey(m),
        noData: "OK",
        query: {
          prometheus: renderPromQL(spec, alertContext(config)),
          influxdb: renderInfluxQL(spec, alertContext(config)),
          lookbackSeconds: 600,
        },
        settings: { enabled: true, threshold: limit, for: alert.for, severity: alert.severity },
        limit,
      } satisfies AlertDef;
    });
}

export const COMPARATOR = { gt: ">", lt: "<" } as const;
