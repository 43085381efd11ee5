/** Alerts on what a query on metrics cannot see: a reporter endpoint down, metrics absent, an expected job missing. */
import { CATALOG, storeNames } from "../../flink/catalog.js";
import { prometheusKnowsCluster, scrapesFlink, type MonitoringConfig } from "../../config/resolve.js";
import { prometheusLabelValue } from "../../flink/naming.js";
import { CLUSTER_LABEL, FLINK_POD_MONITOR, FLINK_SCRAPE_JOB } from "../../contract/services.js";
import { groupingOf, influxGroupingOf, type AlertKit, type DraftAlert } from "./alert-kit.js";

export function presenceAlerts(kit: AlertKit): DraftAlert[] {
  const { config, running, windows } = kit;
  const { jobmanager: jm } = CATALOG;
  const out: DraftAlert[] = [];
  const jmProbe = storeNames(jm.registeredTaskManagers);
  // Absence has no labels to group by: absent() watches this config's cluster, by name.
  const thisCluster = prometheusKnowsCluster(config) ? [`${CLUSTER_LABEL}="${config.flink.cluster}"`] : [];
  const probe = thisCluster.length > 0 ? `${jmProbe.prometheus}{${thisCluster.join(", ")}}` : jmProbe.prometheus;
  if (scrapesFlink(config))
    out.push({
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
        prometheus: `min by (${groupingOf(["job", "instance"])}) (up{${flinkScrapeMatcher(config)}})`,
        lookbackSeconds: windows.lookbackSeconds,
      },
    });

  out.push({
    name: "metricsAbsent",
    title: "Flink metrics absent",
    op: "lt",
    about: [],
    dashboard: "flink-jobmanager",
    panel: "taskmanagers",
    noData: "Alerting",
    summary: `No Flink JobManager metrics arrive from cluster ${config.flink.cluster}`,
    description: `The store has no ${jmProbe.prometheus} (InfluxDB: ${jmProbe.influxdb}) at all: the cluster is down, or nothing delivers its metrics. Every other Flink alert is blind until this is fixed.`,
    query: {
      prometheus: `count by (${CLUSTER_LABEL}) (${probe})`,
      prometheusRule: `absent(${probe})`,
      // fill(0): a bucket without data counts 0 (fill(none) would keep the last bucket that had data). A partial
      // current bucket can read 0 for one evaluation; the pending period outlasts it.
      influxdb: `SELECT count("value") AS "value" FROM "${jmProbe.influxdb}" WHERE $timeFilter GROUP BY time(${windows.bucket}), ${influxGroupingOf()} fill(0)`,
      lookbackSeconds: windows.lookbackSeconds,
    },
  });

  const expected = config.alerts.expectedJobs;
  if (expected.length > 0) {
    // absent() of an equality matcher returns that label: one series, and one alert, per missing job.
    const missing = expected
      .map(
        (name) =>
          `absent(${storeNames(running).prometheus}{${[...thisCluster, `job_name="${prometheusLabelValue(name)}"`].join(", ")}})`,
      )
      .join(" or ");
    out.push({
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
      query: { prometheus: missing, prometheusRule: missing, lookbackSeconds: windows.lookbackSeconds },
    });
  }

  return out;
}

/** Prometheus's own `up` series of Flink's reporter endpoints: the Docker scrape jobs, or the Flink PodMonitor. */
function flinkScrapeMatcher(config: MonitoringConfig): string {
  if (config.target === "kubernetes") return `job="${config.kubernetes.namespace}/${FLINK_POD_MONITOR}"`;
  return `job=~"${FLINK_SCRAPE_JOB.jobmanager}|${FLINK_SCRAPE_JOB.taskmanager}"`;
}
