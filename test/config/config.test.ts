/** Defaults, derived values and the exact text of important errors. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { configFromObject, configFromYaml } from "../../config/load.js";
import { ConfigError } from "../../config/errors.js";
import { configJsonSchema } from "../../config/json-schema.js";

function messages(raw: unknown): string[] {
  try {
    configFromObject(raw, "test");
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail("config was accepted");
}

describe("config defaults", () => {
  it("the built-in default is Flink 1.20 with a Prometheus reporter and its store", () => {
    const c = configFromObject({});
    assert.equal(c.flink.version.text, "1.20");
    assert.deepEqual(c.flink.reporters, ["prometheus"]);
    assert.deepEqual(c.stores, { prometheus: true, pushgateway: false, influxdb: false });
    assert.equal(c.flink.intervalSeconds, 15);
    assert.equal(c.prometheus.scrapeIntervalSeconds, 15);
    assert.equal(c.flink.prometheusPort, "9249");
    assert.equal(c.grafana.folder, "Flink");
    assert.equal(c.docker.bindAddress, "127.0.0.1");
  });

  it("stores follow the reporters unless the config says otherwise", () => {
    assert.deepEqual(configFromObject({ flink: { reporters: ["pushgateway", "influxdb"] } }).stores, {
      prometheus: true,
      pushgateway: true,
      influxdb: true,
    });
    assert.deepEqual(configFromObject({ flink: { reporters: ["jmx"] } }).stores, {
      prometheus: false,
      pushgateway: false,
      influxdb: false,
    });
    assert.deepEqual(configFromObject({ flink: { reporters: ["influxdb"] }, stores: { prometheus: true } }).stores, {
      prometheus: true,
      pushgateway: false,
      influxdb: true,
    });
  });

  it("reporters come out in one canonical order whatever the file says", () => {
    assert.deepEqual(configFromObject({ flink: { reporters: ["influxdb", "jmx", "prometheus"] } }).flink.reporters, [
      "jmx",
      "prometheus",
      "influxdb",
    ]);
  });

  it("accepts versions with and without patch numbers, and 2.x", () => {
    for (const v of ["1.9", "1.9.3", "1.20.1", "2.0", "2.1.1", "2.x"])
      assert.equal(configFromObject({ flink: { version: v } }).flink.version.text, v);
  });
});

describe("config errors", () => {
  it("names the path, the value, what is allowed, and a near miss", () => {
    assert.deepEqual(messages({ flink: { reporters: ["prometheus", "promethus"] } }), [
      'flink.reporters[1]: "promethus" is not allowed; allowed: jmx, prometheus, pushgateway, influxdb, statsd, graphite, slf4j, datadog. Did you mean "prometheus"?',
    ]);
  });

  it("unknown keys get a did-you-mean", () => {
    assert.deepEqual(messages({ flink: { verison: "1.18" } }), [
      'flink.verison: unknown key; allowed here: version, cluster, reporters, interval, sharedHost, location, taskManagers, reporter, metricFilter, latencyTrackingInterval, rocksdbNativeMetrics. Did you mean "version"?',
    ]);
  });

  it("rejects unsupported Flink versions with the allowed range", () => {
    assert.deepEqual(messages({ flink: { version: "1.8" } }), [
      'flink.version: "1.8" is not allowed: must be a Flink version: "1.9" … "1.20", "2.0", "2.1", … or "2.x", optionally with a patch number ("1.17.2")',
    ]);
  });

  it("reports one message per problem", () => {
    const all = messages({ flink: { version: "3.0", interval: "soon", reporters: [] } });
    assert.equal(all.length, 3);
    assert.ok(all.some((m) => m.startsWith("flink.interval: ")));
    assert.ok(all.some((m) => m.startsWith("flink.reporters: ")));
  });

  it("an option the version lacks is an error naming the version", () => {
    assert.deepEqual(
      messages({ flink: { version: "1.11", reporters: ["influxdb"], reporter: { influxdb: { scheme: "https" } } } }),
      [
        'flink.reporter.influxdb.scheme: Flink 1.11 has no InfluxDB reporter option "scheme" (added in 1.12); remove it or raise flink.version',
      ],
    );
    assert.deepEqual(
      messages({
        flink: { version: "2.0", reporters: ["influxdb"], reporter: { influxdb: { connectTimeout: 5000 } } },
      }),
      [
        'flink.reporter.influxdb.connectTimeout: Flink 2.0 cannot use InfluxDB reporter option "connectTimeout" (Flink 1.20 made it a Duration that the reporter cannot read from a config file); remove it',
      ],
    );
    assert.deepEqual(
      messages({
        flink: { version: "1.9", reporters: ["pushgateway"], reporter: { pushgateway: { groupingKey: { a: "b" } } } },
      }),
      [
        'flink.reporter.pushgateway.groupingKey: Flink 1.9 has no Prometheus PushGateway reporter option "groupingKey" (added in 1.10); remove it or raise flink.version',
      ],
    );
    assert.deepEqual(
      messages({
        flink: { version: "1.15", reporters: ["prometheus"], reporter: { prometheus: { filterIncludes: ["*:x"] } } },
      }),
      [
        'flink.reporter.prometheus.filterIncludes: Flink 1.15 has no Prometheus reporter option "filter.includes" (added in 1.16); remove it or raise flink.version',
      ],
    );
  });

  it("YAML syntax errors and duplicate keys name the file", () => {
    assert.throws(
      () => configFromYaml("flink:\n  version: 1.18\n  version: 1.19\n", "my.yaml"),
      (e: unknown) => e instanceof ConfigError && /my\.yaml: Map keys must be unique/.test(e.message),
    );
  });

  it("a bare number for the version is rejected with the value shown", () => {
    assert.deepEqual(messages({ flink: { version: 1.18 } }), ["flink.version: 1.18 is not allowed; expected string"]);
  });
});

describe("JSON schema", () => {
  it("describes the config for editors", () => {
    const schema = configJsonSchema();
    assert.equal(schema.type, "object");
    const flink = schema.properties!.flink!;
    assert.ok(flink.properties!.reporters);
    assert.equal(flink.properties!.version!.default, "1.20");
  });
});

describe("config is data, not text", () => {
  it("reordering keys in the config file changes no output byte", async () => {
    const { build } = await import("../../artifacts/build.js");
    const a = configFromYaml(
      'flink:\n  version: "1.18"\n  reporters: [prometheus, influxdb]\n  interval: 30s\ngrafana:\n  folder: X\n',
      "a.yaml",
    );
    const b = configFromYaml(
      'grafana:\n  folder: X\nflink:\n  interval: 30s\n  reporters: [influxdb, prometheus]\n  version: "1.18"\n',
      "b.yaml",
    );
    assert.deepEqual([...build(a).artifacts], [...build(b).artifacts]);
  });
});

describe("custom metrics", () => {
  it("names: the stored names per store, and a warning where a reporter rewrites one", async () => {
    const { customMetrics, customMetricWarnings } = await import("../../flink/custom-metrics.js");
    const { storeNames } = await import("../../flink/catalog.js");
    const c = configFromObject({
      customMetrics: [
        { name: "records-dropped", type: "counter", groups: ["my group"] },
        { name: "lag", type: "gauge", scope: "task" },
      ],
    });
    const [dropped, lag] = customMetrics(c);
    assert.deepEqual(
      storeNames(dropped!.def).prometheus,
      "flink_taskmanager_job_task_operator_my_group_records_dropped",
    );
    assert.deepEqual(storeNames(dropped!.def).influxdb, "taskmanager_job_task_operator_my_group_records-dropped");
    assert.equal(storeNames(dropped!.def).field, "count");
    assert.equal(storeNames(lag!.def).prometheus, "flink_taskmanager_job_task_lag");
    assert.equal(
      dropped!.javaLine,
      'getRuntimeContext().getMetricGroup().addGroup("my group").counter("records-dropped")',
    );
    assert.deepEqual(customMetricWarnings(c), [
      'customMetrics[0] "my group.records-dropped": Flink\'s reporters rewrite characters outside [a-zA-Z0-9:_]; Prometheus stores flink_taskmanager_job_task_operator_my_group_records_dropped, InfluxDB taskmanager_job_task_operator_my_group_records-dropped',
    ]);
  });

  it("validation: alert needs exactly one limit, names are unique", () => {
    assert.deepEqual(messages({ customMetrics: [{ name: "x", type: "counter", alert: { above: 1, below: 2 } }] }), [
      'customMetrics[0].alert: needs exactly one of "above" or "below"',
    ]);
    assert.deepEqual(
      messages({
        customMetrics: [
          { name: "x", type: "gauge" },
          { name: "x", type: "gauge" },
        ],
      }),
      ["customMetrics: declares the same metric twice"],
    );
    assert.match(
      messages({ customMetrics: [{ name: "x", type: "timer" }] })[0]!,
      /customMetrics\[0\]\.type: "timer" is not allowed; allowed: counter, gauge, histogram, meter/,
    );
  });
});

describe("error texts for common slips", () => {
  it("say what is allowed, not just 'Invalid input'", () => {
    assert.deepEqual(messages({ docker: { bindAddress: "localhost" } }), [
      'docker.bindAddress: "localhost" is not allowed: must be an IPv4 or IPv6 address such as "127.0.0.1" or "0.0.0.0"',
    ]);
    assert.deepEqual(messages({ flink: { reporter: { pushgateway: { url: "ftp://x" } } } }), [
      'flink.reporter.pushgateway.url: "ftp://x" is not allowed: must be an http:// or https:// URL',
    ]);
    assert.deepEqual(messages({ grafana: { port: 70000 } }), [
      "grafana.port: 70000 is not allowed: too big: expected number to be <=65535",
    ]);
  });
});

describe("alert thresholds", () => {
  it("are refused outside their unit's range, naming the value, the range and the unit", () => {
    const messages = (rules: object) => {
      try {
        configFromObject({ alerts: { rules } });
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    };
    assert.match(
      messages({ heapHigh: { threshold: 95 } }),
      /alerts\.rules\.heapHigh\.threshold: 95 is not allowed: must be 0 < x < 1 \(fraction of the heap, not a percentage\)/,
    );
    assert.match(
      messages({ jobRestarting: { threshold: -1 } }),
      /must be an integer ≥ 0 \(restarts within 10 minutes\)/,
    );
    assert.match(messages({ gcTimeHigh: { threshold: 1000 } }), /must be 0 ≤ x < 1000 \(milliseconds per second/);
    assert.match(messages({ noRecords: { threshold: 0 } }), /must be > 0 \(records per second\)/);
    assert.match(messages({ noCompletedCheckpoint: { threshold: 1e9 } }), /must be an integer 1 ≤ x ≤ 10080/);
    assert.match(
      messages({ busyHigh: { for: "100000h" } }),
      /alerts\.rules\.busyHigh\.for: "100000h" is not allowed: must be at most 7d/,
    );
    assert.equal(messages({ heapHigh: { threshold: 0.85 }, noCompletedCheckpoint: { threshold: 30 } }), "");
  });
});
