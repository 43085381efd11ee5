/** prometheus.source: one path for Flink's series into Prometheus, whatever reporters are on. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { configFromObject } from "../../config/load.js";
import { ConfigError } from "../../config/errors.js";
import { build } from "../../artifacts/build.js";
import { prometheusYml } from "../../templates/stores.js";
import { kubernetesFiles, K8S_FILES } from "../../templates/kubernetes/files.js";

const both = (extra: object = {}) => ({
  flink: { version: "1.20", reporters: ["prometheus", "pushgateway"] },
  ...extra,
});
const jobs = (yml: string) => parse(yml).scrape_configs.map((j: { job_name: string }) => j.job_name);
const pushJob = (yml: string) =>
  parse(yml).scrape_configs.find((j: { job_name: string }) => j.job_name === "pushgateway");

describe("prometheus.source", () => {
  it("defaults to scrape when the prometheus reporter is on, and drops the pushed Flink copy", () => {
    const config = configFromObject(both());
    assert.equal(config.prometheus.source, "scrape");
    const yml = prometheusYml(config);
    assert.deepEqual(jobs(yml), ["prometheus", "flink-jobmanager", "flink-taskmanager", "pushgateway"]);
    assert.deepEqual(pushJob(yml).metric_relabel_configs, [
      { source_labels: ["__name__"], regex: "flink_.+", action: "drop" },
    ]);
  });

  it("pushgateway: Prometheus does not scrape Flink and keeps everything pushed", () => {
    const yml = prometheusYml(configFromObject(both({ prometheus: { source: "pushgateway" } })));
    assert.deepEqual(jobs(yml), ["prometheus", "pushgateway"]);
    assert.equal(pushJob(yml).metric_relabel_configs, undefined);
  });

  it("defaults to pushgateway with the pushgateway reporter alone, and warns of nothing", () => {
    const config = configFromObject({ flink: { version: "1.20", reporters: ["pushgateway"] } });
    assert.equal(config.prometheus.source, "pushgateway");
    assert.deepEqual(jobs(prometheusYml(config)), ["prometheus", "pushgateway"]);
    assert.ok(!build(config).warnings.some((w) => w.includes("prometheus.source")));
  });

  it("warns when both reporters deliver and no source is named, naming the copy kept", () => {
    const warnings = build(configFromObject(both())).warnings;
    assert.ok(
      warnings.some((w) => /both deliver .* keeps the scraped copy \(prometheus\.source: scrape\)/.test(w)),
      warnings.join("\n"),
    );
    const chosen = build(configFromObject(both({ prometheus: { source: "pushgateway" } }))).warnings;
    assert.ok(!chosen.some((w) => w.includes("prometheus.source")), chosen.join("\n"));
  });

  it("refuses a path whose reporter is off, naming the field, the value and what is allowed", () => {
    assert.throws(
      () =>
        configFromObject({
          flink: { version: "1.20", reporters: ["prometheus"] },
          prometheus: { source: "pushgateway" },
        }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /prometheus\.source: is "pushgateway" but flink\.reporters has no pushgateway reporter; allowed: "scrape"/.test(
          e.message,
        ),
    );
  });

  it("on Kubernetes: the Flink PodMonitor only for scrape, the Pushgateway's drops the pushed copy", () => {
    const scrape = kubernetesFiles(configFromObject(both({ target: "kubernetes" })));
    assert.ok(scrape.has(K8S_FILES.flinkPodMonitor));
    const endpoint = parse(scrape.get(K8S_FILES.pushgatewayPodMonitor)!).spec.podMetricsEndpoints[0];
    assert.deepEqual(endpoint.metricRelabelings, [{ sourceLabels: ["__name__"], regex: "flink_.+", action: "drop" }]);
    const push = kubernetesFiles(
      configFromObject(both({ target: "kubernetes", prometheus: { source: "pushgateway" } })),
    );
    assert.ok(!push.has(K8S_FILES.flinkPodMonitor));
    assert.equal(
      parse(push.get(K8S_FILES.pushgatewayPodMonitor)!).spec.podMetricsEndpoints[0].metricRelabelings,
      undefined,
    );
  });
});
