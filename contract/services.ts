/**
 * Names and places of the monitoring services, shared by the generators, both stacks, the doctor and the tests:
 * host names on the private network, ports, paths inside the containers, data source uids.
 */
/** Where things live inside the containers and on the private network, and each container's default memory limit. */
export const SERVICE = {
  prometheus: {
    host: "prometheus",
    port: 9090,
    memoryMb: 1024,
    configFile: "/etc/prometheus/prometheus.yml",
    rulesDir: "/etc/prometheus/rules",
    dataDir: "/prometheus",
  },
  pushgateway: { host: "pushgateway", port: 9091, memoryMb: 128, dataDir: "/pushgateway" },
  influxdb: {
    host: "influxdb",
    port: 8086,
    memoryMb: 1024,
    configFile: "/etc/influxdb/influxdb.conf",
    initDir: "/docker-entrypoint-initdb.d",
    dataDir: "/var/lib/influxdb",
  },
  grafana: {
    host: "grafana",
    port: 3000,
    memoryMb: 512,
    provisioningDir: "/etc/grafana/provisioning",
    /** Secret settings as files (GF_<KEY>__FILE), out of `docker inspect`. */
    secretsDir: "/run/secrets/flinkmon",
    dashboardsDir: "/etc/flinkmon/dashboards",
    dataDir: "/var/lib/grafana",
  },
} as const;

/** Data source uids: fixed, because dashboards and alert rules reference them. */
export const DATASOURCE_UID = { prometheus: "flinkmon-prometheus", influxdb: "flinkmon-influxdb" } as const;

/**
 * Network aliases Flink's containers take on the stack's network (flink.location "dockerNetwork"): every
 * TaskManager container shares one alias, and Prometheus scrapes each address behind it.
 */
export const FLINK_NETWORK_ALIAS = { jobmanager: "jobmanager", taskmanager: "taskmanager" } as const;

/**
 * The label (InfluxDB: tag) naming the Flink cluster a series comes from (flink.cluster): set by the scrape config
 * or PodMonitor, the Pushgateway grouping key, the InfluxDB reporter's additional variables, and `collect`.
 */
export const CLUSTER_LABEL = "cluster";

/** Prometheus scrape jobs of Flink's reporters (Docker target), and the target label they set. */
export const FLINK_SCRAPE_JOB = { jobmanager: "flink-jobmanager", taskmanager: "flink-taskmanager" } as const;

/** The PodMonitor that scrapes Flink's pods on Kubernetes (Prometheus names its job "<namespace>/<name>"). */
export const FLINK_POD_MONITOR = "flinkmon-flink";

/** Host that containers use to reach Flink running on the Docker host itself. */
export const DOCKER_HOST_GATEWAY = "host.docker.internal";

/** In-cluster Service names of the Kubernetes target (release "flinkmon" with fullnameOverride). */
export const K8S_SERVICE = {
  pushgateway: "flinkmon-pushgateway",
  influxdb: "flinkmon-influxdb",
  prometheus: "flinkmon-prometheus",
} as const;
