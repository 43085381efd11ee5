/** The synthesized Docker stack, asserted per service. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { synthStack, uploadsOf } from "../helpers/synth.js";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";

const ALL = { flink: { reporters: ["prometheus", "pushgateway", "influxdb"] } };
const full = synthStack(ALL);
const containers = full.json.resource.docker_container;

describe("Docker stack", () => {
  it("pins every image (no latest) to the versions of the reference", () => {
    const images = Object.values(full.json.resource.docker_image)
      .map((i: any) => i.name)
      .sort();
    assert.deepEqual(images, [
      "grafana/grafana:13.3.0",
      "influxdb:1.12.4",
      "prom/prometheus:v3.13.2",
      "prom/pushgateway:v1.11.3",
    ]);
    assert.deepEqual(full.json.terraform.required_providers.docker, { source: "kreuzwerker/docker", version: "3.6.2" });
  });

  it("puts every container on one private network with a health check, restart policy and memory limit", () => {
    assert.deepEqual(Object.keys(full.json.resource.docker_network), ["network"]);
    for (const [name, c] of Object.entries<any>(containers)) {
      assert.equal(c.restart, "unless-stopped", name);
      assert.equal(c.healthcheck.test[0], "CMD", name);
      assert.ok(c.healthcheck.retries > 0, name);
      assert.ok(c.memory >= 128, name);
      // Unset, Docker makes it twice the memory and every plan after an apply shows a change (seen on a real apply).
      assert.equal(c.memory_swap, c.memory, name);
      assert.deepEqual(c.security_opts, ["no-new-privileges:true"], name);
      // Without it the provider kills at once: the Pushgateway lost its pushes on a real destroy.
      assert.equal(c.destroy_grace_seconds, 30, name);
      assert.deepEqual(c.networks_advanced, [{ aliases: [name], name: "${docker_network.network.name}" }]);
    }
    assert.deepEqual(containers.prometheus.healthcheck.test, ["CMD", "/bin/promtool", "check", "healthy"]);
    assert.deepEqual(containers.influxdb.healthcheck.test, ["CMD", "curl", "-sf", "http://localhost:8086/ping"]);
    assert.deepEqual(containers.grafana.healthcheck.test, ["CMD", "curl", "-fsS", "http://localhost:3000/api/health"]);
    assert.deepEqual(containers.pushgateway.healthcheck.test, [
      "CMD",
      "wget",
      "-q",
      "-O",
      "/dev/null",
      "http://127.0.0.1:9091/-/healthy",
    ]);
  });

  it("binds published ports to 127.0.0.1 unless the config names another address", () => {
    const ports = Object.fromEntries(Object.entries<any>(containers).map(([n, c]) => [n, c.ports]));
    assert.deepEqual(ports, {
      grafana: [{ external: 3000, internal: 3000, ip: "127.0.0.1" }],
      influxdb: [{ external: 8086, internal: 8086, ip: "127.0.0.1" }],
      prometheus: [{ external: 9090, internal: 9090, ip: "127.0.0.1" }],
      pushgateway: [{ external: 9091, internal: 9091, ip: "127.0.0.1" }],
    });
    const open = synthStack({ ...ALL, docker: { bindAddress: "0.0.0.0" }, grafana: { port: 3300, memoryMb: 1024 } })
      .json.resource.docker_container;
    assert.deepEqual(open.grafana.ports, [{ external: 3300, internal: 3000, ip: "0.0.0.0" }]);
    assert.equal(open.grafana.memory, 1024);
  });

  it("mounts a protected named volume at each image's own data path", () => {
    const mounts = Object.fromEntries(Object.entries<any>(containers).map(([n, c]) => [n, c.volumes]));
    assert.deepEqual(mounts, {
      grafana: [{ container_path: "/var/lib/grafana", volume_name: "${docker_volume.grafana_data.name}" }],
      influxdb: [{ container_path: "/var/lib/influxdb", volume_name: "${docker_volume.influxdb_data.name}" }],
      prometheus: [{ container_path: "/prometheus", volume_name: "${docker_volume.prometheus_data.name}" }],
      pushgateway: [{ container_path: "/pushgateway", volume_name: "${docker_volume.pushgateway_data.name}" }],
    });
    for (const v of Object.values<any>(full.json.resource.docker_volume))
      assert.deepEqual(v.lifecycle, { prevent_destroy: true });
    const removable = synthStack({ ...ALL, docker: { allowVolumeRemoval: true } }).json.resource.docker_volume;
    for (const v of Object.values<any>(removable)) assert.deepEqual(v.lifecycle, { prevent_destroy: false });
  });

  it("takes retention from config and persists the Pushgateway", () => {
    const stack = synthStack({ ...ALL, prometheus: { retention: "30d" } }).json.resource.docker_container;
    assert.deepEqual(stack.prometheus.command, [
      "--config.file=/etc/prometheus/prometheus.yml",
      "--storage.tsdb.path=/prometheus",
      "--storage.tsdb.retention.time=30d",
    ]);
    assert.deepEqual(stack.pushgateway.command, ["--persistence.file=/pushgateway/metrics.db"]);
  });

  it("uploads exactly the build(config) artifacts, base64-encoded", () => {
    const artifacts = build(configFromObject(ALL)).artifacts;
    assert.deepEqual(
      uploadsOf(containers.prometheus),
      new Map([
        ["/etc/prometheus/prometheus.yml", artifacts.get("prometheus/prometheus.yml")],
        [
          "/etc/prometheus/rules/flinkmon-alerts.rules.yml",
          artifacts.get("prometheus/rules/flinkmon-alerts.rules.yml"),
        ],
      ]),
    );
    assert.deepEqual(
      uploadsOf(containers.influxdb),
      new Map([
        ["/etc/influxdb/influxdb.conf", artifacts.get("influxdb/influxdb.conf")],
        ["/docker-entrypoint-initdb.d/01-flinkmon.iql", artifacts.get("influxdb/init/01-flinkmon.iql")],
      ]),
    );
    const grafana = uploadsOf(containers.grafana);
    assert.equal(
      grafana.get("/etc/grafana/provisioning/datasources/flinkmon.yaml"),
      artifacts.get("grafana/provisioning/datasources/flinkmon.yaml"),
    );
    assert.equal(
      grafana.get("/etc/grafana/provisioning/dashboards/flinkmon.yaml"),
      artifacts.get("grafana/provisioning/dashboards/flinkmon.yaml"),
    );
    assert.equal(
      grafana.get("/etc/grafana/provisioning/alerting/flinkmon-alerts.yaml"),
      artifacts.get("grafana/provisioning/alerting/flinkmon-alerts.yaml"),
    );
    for (const [path, content] of artifacts) {
      if (!path.startsWith("grafana/dashboards/")) continue;
      assert.equal(grafana.get(`/etc/flinkmon/dashboards/${path.slice("grafana/dashboards/".length)}`), content);
    }
    for (const c of Object.values<any>(containers))
      for (const u of c.upload ?? []) assert.equal(u.content, undefined, "content goes base64");
  });

  it("runs InfluxDB with auth and three users, Grafana without defaults, passwords as sensitive variables", () => {
    assert.deepEqual(containers.influxdb.env, [
      "INFLUXDB_DB=flink",
      "INFLUXDB_HTTP_AUTH_ENABLED=true",
      "INFLUXDB_ADMIN_USER=admin",
      "INFLUXDB_ADMIN_PASSWORD=${var.influxdb_admin_password}",
      "INFLUXDB_WRITE_USER=flink",
      "INFLUXDB_WRITE_USER_PASSWORD=${var.influxdb_flink_password}",
      "INFLUXDB_READ_USER=grafana",
      "INFLUXDB_READ_USER_PASSWORD=${var.influxdb_grafana_password}",
    ]);
    const env: string[] = containers.grafana.env;
    assert.ok(env.includes("GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/flinkmon/grafana_admin_password"));
    assert.ok(env.includes("GF_AUTH_ANONYMOUS_ENABLED=false"));
    assert.ok(env.includes("GF_USERS_ALLOW_SIGN_UP=false"));
    assert.ok(env.includes("FLINKMON_INFLUXDB_READ_PASSWORD=${var.influxdb_grafana_password}"));
    for (const [name, v] of Object.entries<any>(full.json.variable)) {
      assert.equal(v.sensitive, true, name);
      assert.equal(v.default, undefined, `${name} has no default, so no default password exists`);
      assert.match(v.validation[0].condition, /length\(var\.\w+\) >= 12/);
    }
  });

  it("gives Grafana its secret settings as files (GF_<KEY>__FILE), written from the sensitive variables", () => {
    const env: string[] = containers.grafana.env;
    assert.ok(env.includes("GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/flinkmon/grafana_admin_password"));
    assert.ok(!env.some((e) => e.startsWith("GF_SECURITY_ADMIN_PASSWORD=")));
    assert.deepEqual(
      containers.grafana.upload.filter((u: { file: string }) => u.file.startsWith("/run/secrets/")),
      [
        {
          file: "/run/secrets/flinkmon/grafana_admin_password",
          content_base64: "${base64encode(var.grafana_admin_password)}",
        },
      ],
    );
  });

  it("no test password appears anywhere in the synthesized output", () => {
    const secret = "Test-Password-7f3a9c";
    for (const name of [
      "grafana_admin_password",
      "influxdb_admin_password",
      "influxdb_flink_password",
      "influxdb_grafana_password",
    ])
      process.env[`TF_VAR_${name}`] = secret;
    try {
      const { text, json } = synthStack(ALL);
      assert.ok(!text.includes(secret));
      for (const c of Object.values<any>(json.resource.docker_container))
        for (const content of uploadsOf(c).values()) assert.ok(!content.includes(secret));
    } finally {
      for (const name of Object.keys(process.env)) if (name.startsWith("TF_VAR_")) delete process.env[name];
    }
  });

  it("creates only the stores the reporters need, and Grafana always", () => {
    const prom = synthStack({ flink: { reporters: ["prometheus"] } }).json;
    assert.deepEqual(Object.keys(prom.resource.docker_container).sort(), ["grafana", "prometheus"]);
    assert.deepEqual(Object.keys(prom.variable), ["grafana_admin_password"]);
    const influx = synthStack({ flink: { reporters: ["influxdb"] } }).json;
    assert.deepEqual(Object.keys(influx.resource.docker_container).sort(), ["grafana", "influxdb"]);
    const jmx = synthStack({ flink: { reporters: ["jmx"] } }).json;
    assert.deepEqual(Object.keys(jmx.resource.docker_container), ["grafana"]);
  });

  it("warns when a wildcard bind publishes the servers that have no authentication", () => {
    const warned = build(configFromObject({ ...ALL, docker: { bindAddress: "0.0.0.0" } })).warnings;
    assert.ok(
      warned.some((w) =>
        /docker\.bindAddress: "0\.0\.0\.0" publishes Prometheus \(9090\) and the Pushgateway \(9091\) on every interface/.test(
          w,
        ),
      ),
      warned.join("\n"),
    );
    assert.ok(!build(configFromObject(ALL)).warnings.some((w) => w.includes("docker.bindAddress")));
  });

  it("every address follows from flink.location", () => {
    const published = { pushgateway: { port: 19091 }, influxdb: { port: 18086 } };
    const onHost = configFromObject({ flink: { ...ALL.flink, location: "dockerHost", taskManagers: 3 }, ...published });
    assert.equal(onHost.flink.reporter.pushgateway.url, "http://localhost:19091", "the published port");
    assert.deepEqual([onHost.flink.reporter.influxdb.host, onHost.flink.reporter.influxdb.port], ["localhost", 18086]);
    assert.equal(onHost.flink.prometheusPort, "9249-9259", "a port range for processes sharing the host");
    assert.deepEqual(onHost.prometheus.scrape.taskmanagers, {
      kind: "static",
      addresses: ["host.docker.internal:9250", "host.docker.internal:9251", "host.docker.internal:9252"],
    });
    const inNetwork = configFromObject({ ...ALL, ...published });
    assert.equal(inNetwork.flink.location, "dockerNetwork");
    assert.equal(inNetwork.flink.reporter.pushgateway.url, "http://pushgateway:9091", "the container's own port");
    assert.deepEqual(
      [inNetwork.flink.reporter.influxdb.host, inNetwork.flink.reporter.influxdb.port],
      ["influxdb", 8086],
    );
    assert.deepEqual(inNetwork.prometheus.scrape.taskmanagers, { kind: "dns", name: "taskmanager", port: 9249 });
    const k8s = configFromObject({ ...ALL, target: "kubernetes", ...published });
    assert.equal(k8s.flink.reporter.influxdb.port, 8086, "the in-cluster Service port");
  });

  it("flink.location external asks for every address, and taskManagers only fits dockerHost", () => {
    assert.throws(
      () => configFromObject({ flink: { ...ALL.flink, location: "external" } }),
      (e: Error) =>
        /prometheus\.scrape\.jobmanagers: is required with flink\.location "external"/.test(e.message) &&
        /flink\.reporter\.pushgateway\.url: is required/.test(e.message) &&
        /flink\.reporter\.influxdb\.host: is required/.test(e.message),
    );
    assert.throws(
      () => configFromObject({ flink: { ...ALL.flink, location: "dockerHost", taskManagers: 11 } }),
      /flink\.taskManagers: is 11 but the reporter port range 9249-9259 leaves 10 port\(s\) beside the JobManager's/,
    );
    assert.throws(
      () => configFromObject({ flink: { ...ALL.flink, taskManagers: 2 } }),
      /flink\.taskManagers: counts TaskManagers on the Docker host; flink\.location is "dockerNetwork"/,
    );
  });

  it("targets the configured Docker host (local socket by default, ssh:// for remote)", () => {
    assert.deepEqual(full.json.provider.docker, [{ host: "unix:///var/run/docker.sock" }]);
    const remote = synthStack({ docker: { host: "ssh://ops@monitoring.example" } }).json;
    assert.deepEqual(remote.provider.docker, [{ host: "ssh://ops@monitoring.example" }]);
  });

  it("resource addresses are stable (a rename would destroy data)", () => {
    const addresses = Object.entries<Record<string, unknown>>(full.json.resource)
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
      .sort();
    assert.deepEqual(addresses, [
      "docker_container.grafana",
      "docker_container.influxdb",
      "docker_container.prometheus",
      "docker_container.pushgateway",
      "docker_image.grafana_image",
      "docker_image.influxdb_image",
      "docker_image.prometheus_image",
      "docker_image.pushgateway_image",
      "docker_network.network",
      "docker_volume.grafana_data",
      "docker_volume.influxdb_data",
      "docker_volume.prometheus_data",
      "docker_volume.pushgateway_data",
    ]);
    const names = Object.values<any>(full.json.resource.docker_volume)
      .map((v) => v.name)
      .sort();
    assert.deepEqual(names, [
      "flinkmon-grafana-data",
      "flinkmon-influxdb-data",
      "flinkmon-prometheus-data",
      "flinkmon-pushgateway-data",
    ]);
  });

  it("two synths are byte-identical and the state path is relative", () => {
    assert.equal(synthStack(ALL).text, full.text);
    assert.deepEqual(full.json.terraform.backend, { local: { path: "../../../terraform.flinkmon.tfstate" } });
  });

  it("the teardown variant keeps the data volumes unless removal is allowed", () => {
    const keep = synthStack(ALL, { teardown: true }).json;
    assert.equal(keep.resource, undefined);
    assert.deepEqual(keep.removed.map((r: any) => r.from).sort(), [
      "docker_volume.grafana_data",
      "docker_volume.influxdb_data",
      "docker_volume.prometheus_data",
      "docker_volume.pushgateway_data",
    ]);
    for (const r of keep.removed) assert.deepEqual(r.lifecycle, { destroy: false });
    const drop = synthStack({ ...ALL, docker: { allowVolumeRemoval: true } }, { teardown: true }).json;
    assert.equal(drop.removed, undefined);
  });
});
