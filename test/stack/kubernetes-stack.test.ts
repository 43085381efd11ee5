/** The Kubernetes target, synthesized: charts pinned, PodMonitors, the PrometheusRule, ConfigMaps, Secrets, validation. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { synthStack } from "../helpers/synth.js";
import { manifestsOf } from "../helpers/k8s-manifests.js";
import { tempDir, promtool } from "../helpers/servers.js";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";

const RAW = {
  target: "kubernetes",
  flink: { version: "1.20", reporters: ["prometheus", "pushgateway", "influxdb"] },
  kubernetes: {
    namespace: "observability",
    context: "prod",
    storageClass: "fast",
    remoteWrite: [{ url: "https://mimir.example/api/v1/push" }],
  },
  grafana: { folder: "Streaming" },
};
const installing = synthStack(RAW);
const existing = synthStack({
  ...RAW,
  kubernetes: { ...RAW.kubernetes, installPrometheusOperator: false, existingRelease: "kps" },
});
const artifacts = build(configFromObject(RAW)).artifacts;
const rulesFile = parse(artifacts.get("prometheus/rules/flinkmon-alerts.rules.yml")!);
const releases = installing.json.resource.helm_release;
const kpsValues = parse(releases.kube_prometheus_stack.values[0]);

const VALIDATORS: Record<string, (m: any) => { validate(): void }> = {
  PodMonitor: (m) => new PodMonitor(m),
  PrometheusRule: (m) => new PrometheusRule(m),
  ConfigMap: (m) => new ConfigMap(m),
  Secret: (m) => new Secret(m),
  Service: (m) => new Service(m),
  Namespace: (m) => new Namespace(m),
  Deployment: (m) => new Deployment(m),
};

describe("Kubernetes stack", () => {
  it("pins the charts and the providers", () => {
    assert.equal(releases.kube_prometheus_stack.chart, "kube-prometheus-stack");
    assert.equal(releases.kube_prometheus_stack.version, "88.5.3");
    assert.equal(releases.kube_prometheus_stack.repository, "https://prometheus-community.github.io/helm-charts");
    assert.equal(releases.influxdb.chart, "influxdb");
    assert.equal(releases.influxdb.version, "4.12.5");
    assert.deepEqual(installing.json.terraform.required_providers.helm.version, "3.1.1");
    assert.deepEqual(installing.json.terraform.required_providers.kubernetes.version, "2.38.0");
    assert.deepEqual(installing.json.provider.kubernetes, [{ config_context: "prod", config_path: "~/.kube/config" }]);
  });

  it("takes retention, storage, resources and remote write from config", () => {
    const spec = kpsValues.prometheus.prometheusSpec;
    assert.equal(spec.retention, "15d");
    assert.equal(spec.scrapeInterval, "15s");
    assert.deepEqual(spec.storageSpec.volumeClaimTemplate.spec, {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "50Gi" } },
      storageClassName: "fast",
    });
    assert.deepEqual(spec.remoteWrite, [{ url: "https://mimir.example/api/v1/push" }]);
    assert.equal(spec.podMonitorSelectorNilUsesHelmValues, false);
    assert.equal(spec.ruleSelectorNilUsesHelmValues, false);
    assert.deepEqual(kpsValues.grafana.admin, {
      existingSecret: "flinkmon-grafana-admin",
      passwordKey: "admin-password",
      userKey: "admin-user",
    });
  });

  it("selects Flink's pods on the reporter port, and scrapes the Pushgateway keeping pushed labels", () => {
    const [flink, pushgateway] = kpsValues.prometheus.additionalPodMonitors;
    assert.deepEqual(flink.selector.matchExpressions, [
      { key: "type", operator: "In", values: ["flink-native-kubernetes", "flink-standalone-kubernetes"] },
      { key: "component", operator: "In", values: ["jobmanager", "taskmanager"] },
    ]);
    // Every scraped series is labelled with the cluster's name (flink.cluster, "default").
    assert.deepEqual(flink.podMetricsEndpoints, [
      {
        interval: "15s",
        path: "/metrics",
        port: "metrics",
        relabelings: [{ targetLabel: "cluster", replacement: "default" }],
      },
    ]);
    assert.deepEqual(flink.namespaceSelector, { matchNames: ["flink"] });
    assert.equal(pushgateway.podMetricsEndpoints[0].honorLabels, true);
    const snippet = parse(artifacts.get("kubernetes/flinkdeployment-snippet.yaml")!);
    assert.equal(snippet.spec.flinkConfiguration["metrics.reporter.prom.port"], "9249");
    assert.deepEqual(snippet.spec.podTemplate.spec.containers[0].ports, [
      { containerPort: 9249, name: "metrics", protocol: "TCP" },
    ]);
    assert.equal(
      snippet.spec.flinkConfiguration["metrics.reporter.promgateway.hostUrl"],
      "http://flinkmon-pushgateway.observability:9091",
    );
  });

  it("ships the alert rules byte for byte as in prometheus/rules/", () => {
    assert.deepEqual(kpsValues.additionalPrometheusRulesMap.alerts.groups, rulesFile.groups);
    const manifest = existing.json.resource.kubernetes_manifest.prometheusrule_flinkmon.manifest;
    assert.deepEqual(manifest.spec.groups, rulesFile.groups);
    assert.equal(manifest.metadata.labels.release, "kps", "picked up by the existing release's rule selector");
    assert.equal(
      existing.json.resource.helm_release.kube_prometheus_stack,
      undefined,
      "nothing installed over an existing operator",
    );
    const dir = tempDir("k8s-rules");
    writeFileSync(join(dir, "rules.yml"), stringify({ groups: manifest.spec.groups }));
    const r = promtool(["check", "rules", join(dir, "rules.yml")]);
    assert.equal(r.code, 0, r.output);
  });

  it("dashboards are ConfigMaps for Grafana's sidecar, equal to the dashboard files, in the configured folder", () => {
    const maps = installing.json.resource.kubernetes_config_map_v1;
    let count = 0;
    for (const [path, content] of artifacts) {
      const m = /^grafana\/dashboards\/(\w+)\/(.+)\.json$/.exec(path);
      if (!m) continue;
      const cm = maps[`dashboard_${m[1]}_${m[2]!.replace(/-/g, "_")}`];
      assert.equal(cm.data[`${m[2]}-${m[1]}.json`], content);
      assert.deepEqual(cm.metadata.labels.grafana_dashboard, "1");
      assert.equal(cm.metadata.annotations.grafana_folder, "Streaming");
      count++;
    }
    assert.equal(count, 6);
    assert.equal(
      maps.grafana_datasources.data["flinkmon-datasources.yaml"],
      artifacts.get("kubernetes/grafana-datasources.yaml"),
    );
    assert.equal(kpsValues.grafana.sidecar.dashboards.folderAnnotation, "grafana_folder");
  });

  it("InfluxDB runs with auth and persistent storage; passwords only as sensitive variables", () => {
    const values = parse(releases.influxdb.values[0]);
    assert.equal(values.config.http["auth-enabled"], true);
    assert.deepEqual(values.persistence, { enabled: true, size: "8Gi", storageClass: "fast" });
    assert.equal(values.image.tag, "1.12.4-alpine");
    assert.equal(values.setDefaultUser.user.existingSecret, "flinkmon-influxdb-auth");
    assert.equal(values.initScripts.scripts["01-flinkmon.iql"], artifacts.get("influxdb/init/01-flinkmon.iql"));
    const secret = installing.json.resource.kubernetes_secret_v1.influxdb_auth_secret.data;
    assert.equal(secret["influxdb-password"], "${var.influxdb_admin_password}");
    const secretValue = "K8s-Test-Password-91x";
    for (const v of Object.keys(installing.json.variable)) process.env[`TF_VAR_${v}`] = secretValue;
    try {
      assert.ok(!synthStack(RAW).text.includes(secretValue));
    } finally {
      for (const v of Object.keys(installing.json.variable)) delete process.env[`TF_VAR_${v}`];
    }
  });

  it("every Kubernetes object validates against its schema", () => {
    const objects = [
      ...manifestsOf(installing.json),
      ...manifestsOf(existing.json),
      ...kpsValues.prometheus.additionalPodMonitors.map((pm: any) => {
        const { name, additionalLabels, ...spec } = pm;
        return {
          address: `values.additionalPodMonitors.${name}`,
          manifest: {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PodMonitor",
            metadata: { name, labels: additionalLabels },
            spec,
          },
        };
      }),
      ...[...artifacts]
        .filter(([p]) => /^kubernetes\/(podmonitor|prometheusrule)/.test(p))
        .map(([p, c]) => ({ address: p, manifest: parse(c) })),
    ];
    const kinds = new Set<string>();
    for (const { address, manifest } of objects) {
      const make = VALIDATORS[manifest.kind];
      assert.ok(make, `${address}: no schema for ${manifest.kind}`);
      assert.doesNotThrow(() => make(manifest).validate(), `${address} is not a valid ${manifest.kind}`);
      kinds.add(manifest.kind);
    }
    assert.deepEqual([...kinds].sort(), [
      "ConfigMap",
      "Deployment",
      "Namespace",
      "PodMonitor",
      "PrometheusRule",
      "Secret",
      "Service",
    ]);
  });

  it("the validator rejects a broken PodMonitor (the check can fail)", () => {
    assert.throws(() =>
      new PodMonitor({
        metadata: { name: "x" },
        spec: { podMetricsEndpoints: [{ portNumber: 70000 }] },
      } as any).validate(),
    );
  });

  it("is deterministic with stable addresses", () => {
    assert.equal(synthStack(RAW).text, installing.text);
    const addresses = Object.entries<Record<string, unknown>>(installing.json.resource)
      .flatMap(([t, v]) => Object.keys(v).map((n) => `${t}.${n}`))
      .sort();
    assert.deepEqual(
      addresses.filter((a) => !a.startsWith("kubernetes_config_map_v1.dashboard_")),
      [
        "helm_release.influxdb",
        "helm_release.kube_prometheus_stack",
        "kubernetes_config_map_v1.grafana_datasources",
        "kubernetes_deployment_v1.pushgateway_deployment",
        "kubernetes_namespace_v1.namespace",
        "kubernetes_secret_v1.grafana_admin_secret",
        "kubernetes_secret_v1.grafana_env_secret",
        "kubernetes_secret_v1.influxdb_auth_secret",
        "kubernetes_service_v1.pushgateway_service",
      ],
    );
  });
});
