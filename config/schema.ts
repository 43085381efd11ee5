/**
 * The schema of flinkmon.config.yaml. Every field is optional: the built-in default is a Prometheus
 * reporter on Flink 1.20 with its stores, dashboards and alerts. Defaults that depend on other fields
 * (ports for a shared host, stores from reporters, scrape interval from the reporter interval) are
 * derived once, in `resolve.ts`.
 */
import * as z from "zod";
import { CLUSTER_LABEL } from "../contract/services.js";
import { parseFlinkVersion, ALLOWED_VERSIONS_TEXT } from "./version.js";
import { parseDurationSeconds, DURATION_HINT } from "./duration.js";
import { ALERT_NAMES, THRESHOLD_RULES, allowedRange, type ThresholdRule } from "./alert-defaults.js";

export const REPORTERS = [
  "jmx",
  "prometheus",
  "pushgateway",
  "influxdb",
  "statsd",
  "graphite",
  "slf4j",
  "datadog",
] as const;
export type ReporterKind = (typeof REPORTERS)[number];

const duration = z
  .string()
  .refine((s) => parseDurationSeconds(s) !== undefined, { message: `must be ${DURATION_HINT}` });
const port = z.number().int().min(1).max(65535);
/** A port or a port range such as "9249-9259", as Flink's Prometheus and JMX reporters accept. */
const portOrRange = z.union([
  port,
  z.string().regex(/^\d{1,5}(-\d{1,5})?$/, 'must be a port or a range like "9249-9259"'),
]);
const hostName = z
  .string()
  .min(1)
  .regex(/^[^\s:/]+$/, "must be a host name or address without scheme or port");
/**
 * A cluster name travels as a label value, a Pushgateway URL path segment and an entry of Flink's
 * `k1:v1,k2:v2` / `k1=v1;k2=v2` maps: nothing that would need quoting in any of them.
 */
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const labelMap = z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a label name"), z.string());
const megabytes = z.number().int().min(16);
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

/** Options every reporter has (Flink's generic `metrics.reporter.<name>.*` keys). */
const common = {
  /** Variables dropped from labels/tags (`scope.variables.excludes`, Flink 1.10+). */
  scopeVariablesExcludes: z.array(z.string().regex(/^[a-z_]+$/)).optional(),
  /** Constant labels/tags added to every metric (`scope.variables.additional`, Flink 1.15+). */
  scopeVariablesAdditional: labelMap.optional(),
  /** Metric filters (`filter.includes`, Flink 1.16+), e.g. "*:numRecords*". */
  filterIncludes: z.array(z.string().min(1)).optional(),
  /** Metric filters (`filter.excludes`, Flink 1.16+). */
  filterExcludes: z.array(z.string().min(1)).optional(),
};

const reporterOptions = z
  .object({
    jmx: z
      .object({ ...common, port: portOrRange.optional() })
      .strict()
      .prefault({}),
    prometheus: z
      .object({ ...common, port: portOrRange.optional(), filterLabelValueCharacters: z.boolean().optional() })
      .strict()
      .prefault({}),
    pushgateway: z
      .object({
        ...common,
        /** Where Flink pushes. Default: the stack's Pushgateway (localhost on Docker, its Service on Kubernetes). */
        url: httpUrl.optional(),
        jobName: z.string().min(1).default("flink"),
        randomJobNameSuffix: z.boolean().optional(),
        deleteOnShutdown: z.boolean().optional(),
        filterLabelValueCharacters: z.boolean().optional(),
        groupingKey: labelMap.optional(),
      })
      .strict()
      .prefault({}),
    influxdb: z
      .object({
        ...common,
        /** InfluxDB as Flink reaches it. Default: localhost on Docker, the stack's Service on Kubernetes. */
        host: hostName.optional(),
        /** Port Flink writes to. Default: influxdb.port (the stack's published port) on Docker, 8086 on Kubernetes. */
        port: port.optional(),
        scheme: z.enum(["http", "https"]).optional(),
        consistency: z.enum(["ALL", "ANY", "ONE", "QUORUM"]).optional(),
        /** Milliseconds; Flink 1.10 to 1.19 only (1.20 made these Durations that break the reporter). */
        connectTimeout: z.number().int().positive().optional(),
        writeTimeout: z.number().int().positive().optional(),
      })
      .strict()
      .prefault({}),
    statsd: z
      .object({ ...common, host: hostName.default("localhost"), port: port.default(8125) })
      .strict()
      .prefault({}),
    graphite: z
      .object({
        ...common,
        host: hostName.default("localhost"),
        port: port.default(2003),
        protocol: z.enum(["TCP", "UDP"]).optional(),
        prefix: z.string().optional(),
      })
      .strict()
      .prefault({}),
    slf4j: z
      .object({ ...common })
      .strict()
      .prefault({}),
    datadog: z
      .object({
        ...common,
        dataCenter: z.enum(["US", "EU"]).optional(),
        proxyHost: hostName.optional(),
        proxyPort: port.optional(),
        maxMetricsPerRequest: z.number().int().positive().optional(),
        useLogicalIdentifier: z.boolean().optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

const flink = z
  .object({
    /** Flink version of the cluster; picks key style, options and metric names. @default "1.20" */
    version: z
      .string()
      .refine((s) => parseFlinkVersion(s) !== undefined, {
        message: `must be a Flink version: ${ALLOWED_VERSIONS_TEXT}`,
      })
      .default("1.20"),
    /**
     * The cluster's name: every series carries it as the label (InfluxDB: tag) "cluster", dashboards have a
     * cluster variable, and alerts fire per cluster, so clusters sharing the stores stay apart. @default "default"
     */
    cluster: z
      .string()
      .regex(CLUSTER_NAME, "must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit")
      .default("default"),
    /** Reporters to configure. @default ["prometheus"] */
    reporters: z
      .array(z.enum(REPORTERS))
      .min(1, "must name at least one reporter")
      .refine((list) => new Set(list).size === list.length, { message: "must not name a reporter twice" })
      .default(["prometheus"]),
    /** Push interval of the push reporters; also the Prometheus scrape interval. @default "15s" */
    interval: duration.default("15s"),
    /** JobManager and TaskManagers share a host: reporters get port ranges. @default true with location "dockerHost" */
    sharedHost: z.boolean().optional(),
    /**
     * Where Flink runs (Docker target); every generated address follows from it.
     * "dockerNetwork": Flink's containers join the stack's network with the aliases jobmanager and taskmanager;
     * Prometheus finds every TaskManager container by DNS, Flink reaches pushgateway:9091 and influxdb:8086.
     * "dockerHost": Flink runs on the Docker host itself; its processes bind successive ports of a range,
     * Prometheus scrapes each through host.docker.internal, Flink reaches the published ports on localhost.
     * "external": Flink runs elsewhere; prometheus.scrape, flink.reporter.pushgateway.url and
     * flink.reporter.influxdb.host say where.
     * @default "dockerHost" when sharedHost is true, else "dockerNetwork"
     */
    location: z.enum(["dockerNetwork", "dockerHost", "external"]).optional(),
    /** TaskManagers on the Docker host (location "dockerHost"): each is scraped on its own port. @default 1 */
    taskManagers: z.number().int().min(1).max(32).optional(),
    /** Per-reporter options. */
    reporter: reporterOptions,
    /**
     * What the Prometheus, PushGateway and InfluxDB reporters send (Flink 1.16+, `filter.includes`): only the
     * metrics flinkmon's dashboards, alerts, recording rules and custom metrics read, plus `keep`.
     */
    metricFilter: z
      .object({
        /** Generate the filters; false sends every metric Flink has. @default true */
        enabled: z.boolean().default(true),
        /**
         * More metrics to send: a name ("numRecordsIn", any scope) or a Flink filter pattern
         * ("taskmanager.job.task:isBackPressured"). @default []
         */
        keep: z
          .array(
            z
              .string()
              .regex(
                /^[A-Za-z0-9_.*-]+(:[A-Za-z0-9_.*,-]+(:[a-z*,]+)?)?$/,
                "must be a metric name or a Flink filter pattern <scope>[:<name>[,<name>][:<type>]]",
              ),
          )
          .default([]),
      })
      .strict()
      .prefault({}),
    /** Turns on latency markers (metrics.latency.interval) and the latency panel. @default off */
    latencyTrackingInterval: duration.optional(),
    /** Turns on RocksDB native metrics (state.backend.rocksdb.metrics.*) and their panels. @default false */
    rocksdbNativeMetrics: z.boolean().default(false),
  })
  .strict()
  .prefault({});

const service = { port: port.optional(), memoryMb: megabytes.optional() };

const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'must be a Kubernetes quantity such as "50Gi" or "512Mi"');
const labelSelector = z.record(z.string().min(1), z.string());

const kubernetes = z
  .object({
    /** Namespace of the monitoring stack. @default "monitoring" */
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
      .default("monitoring"),
    /** kubeconfig file. @default "~/.kube/config" */
    kubeconfig: z.string().min(1).default("~/.kube/config"),
    /** kubeconfig context. @default the current context */
    context: z.string().min(1).optional(),
    /** Install kube-prometheus-stack (true), or use a Prometheus Operator already in the cluster (false). @default true */
    installPrometheusOperator: z.boolean().default(true),
    /** Helm release name of the existing kube-prometheus-stack (its `release` label selects PodMonitors and rules). @default "kube-prometheus-stack" */
    existingRelease: z.string().min(1).default("kube-prometheus-stack"),
    /** Namespaces where Flink runs; empty means all. @default ["flink"] */
    flinkNamespaces: z.array(z.string().min(1)).default(["flink"]),
    /** Pod labels selecting Flink pods (Flink Kubernetes Operator: type, component, app). */
    podSelector: z
      .object({
        matchLabels: labelSelector.default({}),
        types: z.array(z.string().min(1)).default(["flink-native-kubernetes", "flink-standalone-kubernetes"]),
        components: z.array(z.string().min(1)).default(["jobmanager", "taskmanager"]),
      })
      .strict()
      .prefault({}),
    /** Storage class of the persistent volumes. @default the cluster default */
    storageClass: z.string().min(1).optional(),
    storage: z
      .object({
        prometheus: quantity.default("50Gi"),
        grafana: quantity.default("10Gi"),
        influxdb: quantity.default("8Gi"),
      })
      .strict()
      .prefault({}),
    /** Memory request of Prometheus. @default "2Gi" */
    prometheusMemory: quantity.default("2Gi"),
    /** Long-term stores Prometheus writes to (remote_write), e.g. Thanos, Mimir, VictoriaMetrics. @default [] */
    remoteWrite: z.array(z.object({ url: httpUrl, name: z.string().optional() }).strict()).default([]),
  })
  .strict()
  .prefault({});

/** The reporter that delivers each prometheus.source. */
const SOURCE_REPORTER = { scrape: "prometheus", pushgateway: "pushgateway" } as const;

/** prometheus.source must name a path whose reporter is on. */
function sourceIssues(config: {
  flink: { reporters: readonly string[] };
  prometheus: { source?: keyof typeof SOURCE_REPORTER };
}): { path: string[]; message: string }[] {
  const source = config.prometheus.source;
  if (!source || config.flink.reporters.includes(SOURCE_REPORTER[source])) return [];
  const allowed = (Object.keys(SOURCE_REPORTER) as (keyof typeof SOURCE_REPORTER)[])
    .filter((s) => config.flink.reporters.includes(SOURCE_REPORTER[s]))
    .map((s) => `"${s}"`);
  return [
    {
      path: ["prometheus", "source"],
      message: `is "${source}" but flink.reporters has no ${SOURCE_REPORTER[source]} reporter; allowed: ${allowed.join(", ") || "none (no reporter delivers to Prometheus)"}`,
    },
  ];
}

/** The cluster label is flinkmon's: a reporter option that sets it too would be overwritten or duplicated. */
function clusterIssues(config: {
  flink: {
    reporter: Record<
      string,
      { scopeVariablesAdditional?: Record<string, string>; groupingKey?: Record<string, string> }
    >;
  };
}): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  for (const [reporter, options] of Object.entries(config.flink.reporter))
    for (const key of ["scopeVariablesAdditional", "groupingKey"] as const)
      if (options[key] && CLUSTER_LABEL in options[key])
        issues.push({
          path: ["flink", "reporter", reporter, key, CLUSTER_LABEL],
          message: `is set by flinkmon from flink.cluster; name the cluster there`,
        });
  return issues;
}

/** What a Flink location needs from the rest of the config (Docker target only). */
function locationIssues(config: {
  target: string;
  flink: {
    location?: string;
    sharedHost?: boolean;
    taskManagers?: number;
    reporters: readonly string[];
    reporter: { prometheus: { port?: number | string }; pushgateway: { url?: string }; influxdb: { host?: string } };
  };
  prometheus: { source?: string; scrape: { jobmanagers?: string[]; taskmanagers?: string[] } };
}): { path: string[]; message: string }[] {
  const f = config.flink;
  const issues: { path: string[]; message: string }[] = [];
  const location = f.location ?? (f.sharedHost ? "dockerHost" : "dockerNetwork");
  if (f.taskManagers !== undefined && location !== "dockerHost")
    issues.push({
      path: ["flink", "taskManagers"],
      message: `counts TaskManagers on the Docker host; flink.location is "${location}" (there Prometheus finds them itself)`,
    });
  if (location === "dockerHost" && config.target === "docker") {
    const range = String(f.reporter.prometheus.port ?? "9249-9259");
    const [from, to = from] = range.split("-").map(Number) as [number, number?];
    const room = to - from; // ports beside the JobManager's
    if ((f.taskManagers ?? 1) > room)
      issues.push({
        path: ["flink", "taskManagers"],
        message: `is ${f.taskManagers ?? 1} but the reporter port range ${range} leaves ${room} port(s) beside the JobManager's: widen flink.reporter.prometheus.port`,
      });
  }
  if (config.target !== "docker" || location !== "external") return issues;
  const scrapes = f.reporters.includes("prometheus") && config.prometheus.source !== "pushgateway";
  if (scrapes)
    for (const component of ["jobmanagers", "taskmanagers"] as const)
      if (!config.prometheus.scrape[component]?.length)
        issues.push({
          path: ["prometheus", "scrape", component],
          message: `is required with flink.location "external": list the host:port of every ${component.slice(0, -1)}'s Prometheus reporter`,
        });
  if (f.reporters.includes("pushgateway") && !f.reporter.pushgateway.url)
    issues.push({
      path: ["flink", "reporter", "pushgateway", "url"],
      message: 'is required with flink.location "external": the Pushgateway\'s URL as Flink reaches it',
    });
  if (f.reporters.includes("influxdb") && !f.reporter.influxdb.host)
    issues.push({
      path: ["flink", "reporter", "influxdb", "host"],
      message: 'is required with flink.location "external": InfluxDB\'s host as Flink reaches it',
    });
  return issues;
}

/** An alert threshold in its unit, refused outside the values that make sense (message: unit and range). */
function thresholdSchema(rule: ThresholdRule) {
  const message = `must be ${allowedRange(rule)} (${rule.unit})`;
  let schema = z.number({ error: message }).describe(`In ${rule.unit}: ${allowedRange(rule)}.`);
  schema = rule.minExclusive ? schema.gt(rule.min, { error: message }) : schema.min(rule.min, { error: message });
  if (rule.max !== undefined)
    schema = rule.maxExclusive ? schema.lt(rule.max, { error: message }) : schema.max(rule.max, { error: message });
  return rule.integer ? schema.int({ error: message }) : schema;
}

/** A pending period: up to a week (longer is no alert, and Prometheus rejects durations beyond its range). */
const alertFor = duration
  .refine((d) => parseDurationSeconds(d)! <= 7 * 86400, { message: "must be at most 7d" })
  .describe("Pending period, such as 5m; at most 7d.");

export const configSchema = z
  .object({
    /** Where the monitoring stack runs. @default "docker" */
    target: z.enum(["docker", "kubernetes"]).default("docker"),
    kubernetes,
    flink,
    /** Which stores to run; by default the ones the reporters need. */
    stores: z.object({ prometheus: z.boolean().optional(), influxdb: z.boolean().optional() }).strict().prefault({}),
    prometheus: z
      .object({
        ...service,
        /** How long Prometheus keeps data. @default "15d" */
        retention: duration.default("15d"),
        /**
         * The one path Flink's metrics take into Prometheus when both the prometheus and pushgateway reporters are
         * on: "scrape" (Prometheus scrapes every Flink process) or "pushgateway" (Flink pushes, Prometheus scrapes
         * the Pushgateway). Flink series arriving by the other path are dropped, so no sum counts a series twice.
         * @default "scrape" when the prometheus reporter is on, else "pushgateway"
         */
        source: z.enum(["scrape", "pushgateway"]).optional(),
        /** Flink reporter endpoints Prometheus scrapes (host:port). Default: derived from `flink.location`. */
        scrape: z
          .object({
            jobmanagers: z.array(z.string().regex(/^[^\s/]+:\d+$/, "must be host:port")).optional(),
            taskmanagers: z.array(z.string().regex(/^[^\s/]+:\d+$/, "must be host:port")).optional(),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    pushgateway: z
      .object({ ...service })
      .strict()
      .prefault({}),
    influxdb: z
      .object({
        ...service,
        /** Database Flink writes to. @default "flink" */
        database: z
          .string()
          .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)
          .default("flink"),
        /** Retention policy created at first start and written to by Flink. */
        retentionPolicy: z
          .object({
            name: z
              .string()
              .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)
              .default("flink_retention"),
            /** At least 1h (InfluxDB's minimum). @default "7d" */
            duration: duration
              .refine((d) => parseDurationSeconds(d)! >= 3600, {
                message: "must be at least 1h (InfluxDB's shortest retention)",
              })
              .default("7d"),
          })
          .strict()
          .prefault({}),
        /** User names; passwords come from the environment, never from this file. */
        adminUser: z
          .string()
          .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)
          .default("admin"),
        writeUser: z
          .string()
          .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)
          .default("flink"),
        readUser: z
          .string()
          .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)
          .default("grafana"),
      })
      .strict()
      .prefault({}),
    grafana: z
      .object({
        ...service,
        /** Grafana folder of the dashboards and alert rules. @default "Flink" */
        folder: z.string().min(1).default("Flink"),
        adminUser: z.string().min(1).default("admin"),
        /**
         * The mail server Grafana sends alert email through (GF_SMTP_*). Needed by an email contact point; the
         * password, when the server wants one, is the sensitive variable grafana_smtp_password.
         */
        smtp: z
          .object({
            /** "host:port", e.g. "smtp.example.com:587". */
            host: z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be "host:port", e.g. "smtp.example.com:587"'),
            /** Login user; set TF_VAR_grafana_smtp_password with it. @default no login */
            user: z.string().min(1).optional(),
            /** Sender address of alert email. */
            fromAddress: z.email(),
            /** @default "Grafana" */
            fromName: z.string().min(1).default("Grafana"),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    /** The series the stores are to hold: `flinkmon budget` estimates them, `check` fails above maxSeries. */
    budget: z
      .object({
        /**
         * Most series the Prometheus store may get (the estimate with the generated filters, from graph);
         * `check` fails above it, naming what grows most. @default no limit
         */
        maxSeries: z.number().int().min(1).optional(),
        /** The cluster to estimate for, when no live cluster is asked (`flinkmon budget --rest-url`). */
        graph: z
          .object({
            taskManagers: z.number().int().min(1).max(100_000),
            jobs: z
              .array(
                z
                  .object({
                    name: z.string().min(1),
                    /** Each vertex (task): its parallelism and how many operators it chains. */
                    vertices: z
                      .array(
                        z
                          .object({
                            parallelism: z.number().int().min(1).max(100_000),
                            operators: z.number().int().min(1).max(1000).default(1),
                          })
                          .strict(),
                      )
                      .min(1),
                  })
                  .strict(),
              )
              .default([]),
          })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    /** A job's own metrics (RichFunction.open(): getRuntimeContext().getMetricGroup()...), charted and alerted on. */
    customMetrics: z
      .array(
        z
          .object({
            /** The name passed to counter()/gauge()/histogram()/meter(). */
            name: z
              .string()
              .min(1)
              .regex(/^[^.\s]+$/, "must be one metric name without dots or spaces (put groups under groups)"),
            type: z.enum(["counter", "gauge", "histogram", "meter"]),
            /** addGroup("…") names, outermost first. @default [] */
            groups: z
              .array(
                z
                  .string()
                  .min(1)
                  .regex(/^[^.]+$/, "must be one group name without dots"),
              )
              .default([]),
            /** Where the metric is registered. @default "operator" */
            scope: z.enum(["operator", "task"]).default("operator"),
            title: z.string().min(1).optional(),
            /** Grafana unit (e.g. "short", "ms", "bytes"). @default "short" */
            unit: z.string().min(1).default("short"),
            description: z.string().optional(),
            alert: z
              .object({
                above: z.number().optional(),
                below: z.number().optional(),
                for: duration.default("5m"),
                severity: z.enum(["critical", "warning", "info"]).default("warning"),
              })
              .strict()
              .refine((a) => (a.above === undefined) !== (a.below === undefined), {
                message: 'needs exactly one of "above" or "below"',
              })
              .optional(),
          })
          .strict(),
      )
      .refine((list) => new Set(list.map((m) => [m.scope, ...m.groups, m.name].join("."))).size === list.length, {
        message: "declares the same metric twice",
      })
      .default([]),
    alerts: z
      .object({
        /** Emit alert rules (Prometheus rules and Grafana provisioning). @default true */
        enabled: z.boolean().default(true),
        /** TaskManagers the cluster should have; taskManagersMissing fires below it. @default 1 */
        expectedTaskManagers: z.number().int().min(1).default(1),
        /**
         * Jobs that must be running (names as submitted): a job that fails or is cancelled takes its metrics with it,
         * and FlinkJobMissing fires for it (Prometheus). @default []
         */
        expectedJobs: z.array(z.string().min(1)).default([]),
        /** Base of every alert's runbook link (one anchor per alert). */
        runbookUrl: httpUrl.default("https://github.com/flinkmon/flinkmon/blob/main/docs/runbook.md"),
        /**
         * Where Grafana sends notifications. Slack and webhook URLs carry tokens: they are sensitive variables
         * (TF_VAR_slack_webhook_url, TF_VAR_alert_webhook_url) that reach Grafana's environment, never a file.
         */
        contactPoint: z
          .object({
            type: z.enum(["email", "webhook", "slack"]).default("email"),
            /** email: recipients. @default ["flink-oncall@example.com"] */
            addresses: z.array(z.email()).min(1).default(["flink-oncall@example.com"]),
            /** No longer accepted: a webhook URL is a secret (see `type`). */
            url: z.unknown().optional(),
          })
          .strict()
          .refine((cp) => cp.url === undefined, {
            message:
              "is not written to files any more (such URLs carry tokens): set TF_VAR_alert_webhook_url (or TF_VAR_slack_webhook_url) when you deploy",
            path: ["url"],
          })
          .prefault({}),
        /** Per-alert overrides: enabled, threshold, for, severity. */
        rules: z
          .object(
            Object.fromEntries(
              ALERT_NAMES.map((name) => [
                name,
                z
                  .object({
                    enabled: z.boolean().optional(),
                    threshold: thresholdSchema(THRESHOLD_RULES[name]).optional(),
                    for: alertFor.optional(),
                    severity: z.enum(["critical", "warning", "info"]).optional(),
                  })
                  .strict()
                  .optional(),
              ]),
            ),
          )
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    docker: z
      .object({
        /** Docker host: the local socket, `ssh://user@host` or `tcp://host:2376`. @default "unix:///var/run/docker.sock" */
        host: z
          .string()
          .regex(
            /^(unix|ssh|tcp|npipe):\/\/\S+$/,
            'must be a Docker host URL such as "unix:///var/run/docker.sock" or "ssh://user@host"',
          )
          .default("unix:///var/run/docker.sock"),
        /** Address published ports bind to. @default "127.0.0.1" */
        bindAddress: z
          .union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address such as "127.0.0.1" or "0.0.0.0"' })
          .default("127.0.0.1"),
        /** Name prefix of containers, volumes and the network. @default "flinkmon" */
        namePrefix: z
          .string()
          .regex(/^[a-z][a-z0-9-]*$/)
          .default("flinkmon"),
        /** Let `destroy` remove the data volumes. @default false */
        allowVolumeRemoval: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.budget.maxSeries !== undefined && !config.budget.graph)
      ctx.addIssue({
        code: "custom",
        path: ["budget", "maxSeries"],
        message: "needs budget.graph: the estimate is of the cluster the graph describes",
      });
    locationIssues(config).forEach((issue) => ctx.addIssue({ code: "custom", ...issue }));
    sourceIssues(config).forEach((issue) => ctx.addIssue({ code: "custom", ...issue }));
    clusterIssues(config).forEach((issue) => ctx.addIssue({ code: "custom", ...issue }));
  });

/** The config with schema defaults applied (before derived values). */
export type ParsedConfig = z.output<typeof configSchema>;
