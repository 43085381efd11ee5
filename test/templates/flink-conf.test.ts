/** Table-driven: every tested Flink version × every reporter, keys and classes written here from the reference. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { configFromObject } from "../../config/load.js";
import { renderFlinkConf } from "../../templates/flink-conf.js";
import { parseLegacyFlinkConf, parseNestedFlinkConfig } from "../helpers/flink-parsers.js";

const VERSIONS = ["1.9", "1.10", "1.11", "1.13", "1.15", "1.17", "1.18", "1.19", "1.20", "2.0", "2.1"];

// The factory classes of apache/flink flink-metrics/flink-metrics-*/src/main/java/**/*ReporterFactory.java
const FACTORY: Record<string, string> = {
  jmx: "org.apache.flink.metrics.jmx.JMXReporterFactory",
  prometheus: "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
  pushgateway: "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory",
  influxdb: "org.apache.flink.metrics.influxdb.InfluxdbReporterFactory",
  statsd: "org.apache.flink.metrics.statsd.StatsDReporterFactory",
  graphite: "org.apache.flink.metrics.graphite.GraphiteReporterFactory",
  slf4j: "org.apache.flink.metrics.slf4j.Slf4jReporterFactory",
  datadog: "org.apache.flink.metrics.datadog.DatadogHttpReporterFactory",
};
const LEGACY_CLASS: Record<string, string> = {
  jmx: "org.apache.flink.metrics.jmx.JMXReporter",
  prometheus: "org.apache.flink.metrics.prometheus.PrometheusReporter",
  pushgateway: "org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporter",
  influxdb: "org.apache.flink.metrics.influxdb.InfluxdbReporter",
  statsd: "org.apache.flink.metrics.statsd.StatsDReporter",
  graphite: "org.apache.flink.metrics.graphite.GraphiteReporter",
  slf4j: "org.apache.flink.metrics.slf4j.Slf4jReporter",
  datadog: "org.apache.flink.metrics.datadog.DatadogHttpReporter",
};
const INSTANCE: Record<string, string> = {
  jmx: "jmx",
  prometheus: "prom",
  pushgateway: "promgateway",
  influxdb: "influxdb",
  statsd: "statsd",
  graphite: "graphite",
  slf4j: "slf4j",
  datadog: "datadog",
};

function minor(v: string): number {
  const [major, min] = v.split(".").map(Number);
  return major! * 100 + min!;
}

/** The keys and values the reference says this version needs, with the defaults of the built-in config. */
function expectedKeys(version: string, reporter: string): Record<string, string> {
  const v = minor(version);
  const interval = v >= 112 ? "15 s" : "15 SECONDS";
  const p = `metrics.reporter.${INSTANCE[reporter]}.`;
  const out: Record<string, string> = { "metrics.reporters": INSTANCE[reporter]! };
  // JMXReporterFactory exists from 1.9 (reference flink-metrics.md §1.2): real 1.9 deployments use it.
  if (v <= 110 && reporter !== "jmx") out[`${p}class`] = LEGACY_CLASS[reporter]!;
  else out[`${p}factory.class`] = FACTORY[reporter]!;
  const specific: Record<string, Record<string, string>> = {
    // From 1.18 the JMX server port is the cluster option jmx.server.port (the reporter's key is deprecated there).
    jmx: v >= 118 ? {} : { port: "8789" },
    prometheus: { port: "9249" },
    // The default location: Flink's containers on the stack's network reach the stores by their names.
    // The cluster's name (flink.cluster, "default") travels in the grouping key (1.10+, reference §PushGateway).
    pushgateway: {
      ...(v >= 115 ? { hostUrl: "http://pushgateway:9091" } : { host: "pushgateway", port: "9091" }),
      jobName: "flink",
      // Written deliberately (Flink's default too): a stopped process deletes its group.
      deleteOnShutdown: "true",
      ...(v >= 110 ? { groupingKey: "cluster=default" } : {}),
      interval,
    },
    influxdb: {
      host: "influxdb",
      port: "8086",
      db: "flink",
      username: "flink",
      password: "${FLINKMON_INFLUXDB_WRITE_PASSWORD}",
      retentionPolicy: "flink_retention",
      interval,
      // …and as an additional variable of the tag-based InfluxDB reporter (1.15+, FLINK-17495).
      ...(v >= 115 ? { "scope.variables.additional": "cluster:default" } : {}),
    },
    statsd: { host: "localhost", port: "8125", interval },
    graphite: { host: "localhost", port: "2003", interval },
    slf4j: { interval },
    datadog: { apikey: "${FLINKMON_DATADOG_API_KEY}", interval },
  };
  for (const [k, val] of Object.entries(specific[reporter]!)) out[p + k] = val;
  if (reporter === "jmx" && v >= 118) out["jmx.server.port"] = "8789";
  return out;
}

/** Parses the output the way that Flink version does; every value comes back as a string. */
function readBack(version: string, file: string, content: string): Record<string, string> {
  if (minor(version) >= 119) {
    assert.equal(file, "flink/config.yaml");
    const flat = parseNestedFlinkConfig(content);
    for (const [k, value] of flat)
      assert.equal(typeof value, "string", `${k} must be a YAML string, got ${typeof value}`);
    return Object.fromEntries(flat) as Record<string, string>;
  }
  assert.equal(file, "flink/flink-conf.yaml");
  return Object.fromEntries(parseLegacyFlinkConf(content));
}

describe("reporter configuration per Flink version", () => {
  for (const version of VERSIONS) {
    for (const reporter of Object.keys(FACTORY)) {
      it(`Flink ${version} × ${reporter}`, () => {
        const config = configFromObject({ flink: { version, reporters: [reporter] } });
        const { file, content } = renderFlinkConf(config);
        assert.deepEqual(readBack(version, file, content), expectedKeys(version, reporter));
        if (minor(version) >= 117) assert.doesNotMatch(content, /^\s*(metrics\.reporter\.\w+\.)?class:/m);
      });
    }
  }

  it("shared host gives port ranges to Prometheus and JMX", () => {
    const config = configFromObject({ flink: { version: "1.18", reporters: ["prometheus", "jmx"], sharedHost: true } });
    const keys = parseLegacyFlinkConf(renderFlinkConf(config).content);
    assert.equal(keys.get("metrics.reporter.prom.port"), "9249-9259");
    assert.equal(keys.get("jmx.server.port"), "8789-8799");
    assert.equal(keys.get("metrics.reporters"), "jmx,prom");
    const older = parseLegacyFlinkConf(
      renderFlinkConf(configFromObject({ flink: { version: "1.17", reporters: ["jmx"], sharedHost: true } })).content,
    );
    assert.equal(older.get("metrics.reporter.jmx.port"), "8789-8799");
  });

  it("config.yaml keeps quoted ports, a string reporter list and quoted * filters", () => {
    const config = configFromObject({
      flink: {
        version: "2.0",
        reporters: ["prometheus", "influxdb"],
        sharedHost: true,
        reporter: { prometheus: { filterIncludes: ["*:numRecords*", "jobmanager:*"] } },
      },
    });
    const { content } = renderFlinkConf(config);
    const flat = parseNestedFlinkConfig(content);
    assert.equal(flat.get("metrics.reporters"), "prom,influxdb");
    assert.equal(flat.get("metrics.reporter.prom.port"), "9249-9259");
    assert.equal(flat.get("metrics.reporter.prom.filter.includes"), "*:numRecords*;jobmanager:*");
    assert.equal(flat.get("metrics.reporter.influxdb.port"), "8086");
  });

  it("every pushgateway and influxdb option lands with its version's key", () => {
    const config = configFromObject({
      flink: {
        version: "1.19.1",
        reporters: ["pushgateway", "influxdb"],
        reporter: {
          pushgateway: {
            url: "https://pgw.example:9443",
            jobName: "etl",
            randomJobNameSuffix: false,
            deleteOnShutdown: false,
            filterLabelValueCharacters: false,
            groupingKey: { env: "prod", dc: "eu" },
          },
          influxdb: {
            host: "influx",
            port: 8087,
            scheme: "https",
            consistency: "ANY",
            connectTimeout: 5000,
            writeTimeout: 6000,
          },
        },
      },
    });
    const flat = parseNestedFlinkConfig(renderFlinkConf(config).content);
    assert.equal(flat.get("metrics.reporter.promgateway.hostUrl"), "https://pgw.example:9443");
    assert.equal(flat.get("metrics.reporter.promgateway.groupingKey"), "cluster=default;dc=eu;env=prod");
    assert.equal(flat.get("metrics.reporter.promgateway.randomJobNameSuffix"), "false");
    assert.equal(flat.get("metrics.reporter.promgateway.deleteOnShutdown"), "false");
    assert.equal(flat.get("metrics.reporter.influxdb.scheme"), "https");
    assert.equal(flat.get("metrics.reporter.influxdb.consistency"), "ANY");
    assert.equal(flat.get("metrics.reporter.influxdb.connectTimeout"), "5000");
    assert.equal(flat.get("metrics.reporter.influxdb.writeTimeout"), "6000");
  });

  it("comments name the install step and the ports to scrape", () => {
    const old = renderFlinkConf(configFromObject({ flink: { version: "1.10", reporters: ["prometheus"] } })).content;
    assert.match(old, /# install: copy opt\/flink-metrics-prometheus-\*\.jar into lib\//);
    assert.match(old, /# scrape: .* port 9249/);
    // The distribution's folder is metrics-influx (the jar is flink-metrics-influxdb): seen in 1.18 to 2.3.
    const plugin = renderFlinkConf(configFromObject({ flink: { version: "1.15", reporters: ["influxdb"] } })).content;
    assert.match(
      plugin,
      /# install: plugins\/metrics-influx\/ must hold flink-metrics-influxdb-\*\.jar \(copy it from opt\/ if it is not there\)/,
    );
    const shipped = renderFlinkConf(
      configFromObject({ flink: { version: "1.18", reporters: ["jmx", "influxdb"] } }),
    ).content;
    assert.match(
      shipped,
      /# install: plugins\/metrics-jmx\/ must hold flink-metrics-jmx-\*\.jar \(Flink's distribution ships it there; keep the folder\)/,
    );
    assert.match(
      shipped,
      /# install: plugins\/metrics-influx\/ must hold flink-metrics-influxdb-\*\.jar \(Flink's distribution ships it there; keep the folder\)/,
    );
  });

  it("InfluxDB on 1.11.0 falls back to .class with a warning", () => {
    const exact = renderFlinkConf(configFromObject({ flink: { version: "1.11.0", reporters: ["influxdb"] } }));
    assert.equal(parseLegacyFlinkConf(exact.content).get("metrics.reporter.influxdb.class"), LEGACY_CLASS.influxdb);
    assert.match(exact.warnings.join("\n"), /1\.11\.0 cannot discover the InfluxDB reporter factory/);
    const later = renderFlinkConf(configFromObject({ flink: { version: "1.11.2", reporters: ["influxdb"] } }));
    assert.deepEqual(later.warnings, []);
  });

  it("no secret is ever written literally", () => {
    const { content } = renderFlinkConf(configFromObject({ flink: { reporters: ["influxdb", "datadog"] } }));
    assert.match(content, /password: "\$\{FLINKMON_INFLUXDB_WRITE_PASSWORD\}"/);
    assert.match(content, /apikey: "\$\{FLINKMON_DATADOG_API_KEY\}"/);
  });
});

describe("latency tracking and RocksDB native metrics keys", () => {
  it("are written flat, in milliseconds, as strings", () => {
    const content = renderFlinkConf(
      configFromObject({ flink: { version: "1.20", latencyTrackingInterval: "30s", rocksdbNativeMetrics: true } }),
    ).content;
    const flat = parseNestedFlinkConfig(content);
    assert.equal(flat.get("metrics.latency.interval"), "30000");
    assert.equal(flat.get("metrics.latency.granularity"), "operator");
    assert.equal(flat.get("state.backend.rocksdb.metrics.column-family-as-variable"), "true");
    assert.equal(flat.get("state.backend.rocksdb.metrics.estimate-num-keys"), "true");
    const legacy = parseLegacyFlinkConf(
      renderFlinkConf(configFromObject({ flink: { version: "1.15", latencyTrackingInterval: "1m" } })).content,
    );
    assert.equal(legacy.get("metrics.latency.interval"), "60000");
  });
});
