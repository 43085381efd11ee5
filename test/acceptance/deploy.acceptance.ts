/**
 * The path users run, for real: `npm run deploy` (cdktf CLI → Terraform → kreuzwerker/docker → a Docker engine
 * on a local socket) with the stand-in images of deploy/standin-images.ts, then `npm run destroy`. Checks health,
 * published ports, what each server loaded, the InfluxDB users' rights, a plan with no change right after apply,
 * that a config change replaces exactly the containers `flinkmon diff` names, and that data survives destroy.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { tempDir, freePort, eventually } from "../helpers/servers.js";
import { promQuery, influxQuery, influxWrite } from "../helpers/clients.js";
import { startDockerEngine, type DockerEngine } from "./deploy/docker-engine.js";
import { buildStandInImages } from "./deploy/standin-images.js";
import { terraformCliConfig, PROVIDER, STACK_PROVIDER_VERSION } from "./deploy/install-provider.js";
import { installDeployTools, runDeploy, stepTimer, userProject } from "./deploy/run-deploy.js";
import { installFlink } from "./install-flink.js";
import { startCluster } from "./flink-cluster.js";
import { freeRange, followInstallNotes } from "./environment.js";
import { IMAGES, type ServiceName } from "../../stacks/images.js";
import { GRAFANA_ENV } from "../../contract/grafana.js";

const run = promisify(execFile);
const ROOT = join(new URL(".", import.meta.url).pathname, "../..");
const SERVICES = Object.keys(IMAGES) as ServiceName[];
/** The Flink that runs on the Docker host in the last part (one of versions.ts, installed by the Flink suite too). */
const FLINK_VERSION = "1.20.5";
const PASSWORDS = {
  TF_VAR_grafana_admin_password: "grafana-admin-secret-1",
  TF_VAR_influxdb_admin_password: "influx-admin-secret-1",
  TF_VAR_influxdb_flink_password: "influx-flink-secret-1",
  TF_VAR_influxdb_grafana_password: "influx-grafana-secret-1",
  TF_VAR_alert_webhook_url: "http://127.0.0.1:9/flinkmon-acceptance",
};
const { timings, timed } = stepTimer();

describe("deploy and destroy on a real Docker engine (stand-in images)", { timeout: 20 * 60_000 }, () => {
  let engine: DockerEngine;
  let project: string;
  let env: NodeJS.ProcessEnv;
  const ports = {} as Record<ServiceName, number>;
  const config: any = {
    flink: { version: "1.20", reporters: ["prometheus", "pushgateway", "influxdb"], interval: "5s" },
    // flink.location "dockerNetwork" (the default): Flink's containers join the stack's network.
    alerts: { contactPoint: { type: "webhook" } },
    docker: { bindAddress: "127.0.0.1", namePrefix: "fmacc" },
  };

  const deploy = async (...extra: string[]) => {
    const { code, out } = await runDeploy(project, env, extra);
    assert.equal(code, 0, `deploy ${extra.join(" ")} failed:\n${out.slice(-4000)}`);
    return out;
  };
  const container = (service: ServiceName) => `${config.docker.namePrefix}-${service}`;
  const inspect = (name: string) => JSON.parse(engine.docker(["inspect", name]))[0];
  const containerIds = () =>
    Object.fromEntries(SERVICES.map((s) => [s, inspect(container(s)).Id as string])) as Record<ServiceName, string>;
  const allHealthy = () =>
    eventually(
      "every container healthy",
      async () => (SERVICES.every((s) => inspect(container(s)).State.Health?.Status === "healthy") ? true : undefined),
      180_000,
    );
  const url = (service: ServiceName, path = "") => `http://127.0.0.1:${ports[service]}${path}`;

  before(async () => {
    const dir = tempDir("deploy-acceptance");
    env = await timed("install (provider, cdktf CLI, servers)", installDeployTools);
    engine = await timed("engine start", () => startDockerEngine(join(dir, "engine")));
    await timed("stand-in images", () => buildStandInImages(engine.host, join(dir, "images")));
    for (const s of SERVICES) ports[s] = await freePort();
    config.docker.host = engine.host;
    for (const s of SERVICES) config[s] = { ...config[s], port: ports[s] };
    // A user's project: cdktf.json naming flinkmon's app, the config, under git (flinkmon diff reads its history).
    project = userProject(dir);
    writeFileSync(join(project, "flinkmon.config.yaml"), stringify(config));
    env = {
      ...env,
      ...PASSWORDS,
      TF_CLI_CONFIG_FILE: terraformCliConfig(dir),
      CHECKPOINT_DISABLE: "1",
      GIT_AUTHOR_NAME: "acceptance",
      GIT_AUTHOR_EMAIL: "acceptance@flinkmon.invalid",
      GIT_COMMITTER_NAME: "acceptance",
      GIT_COMMITTER_EMAIL: "acceptance@flinkmon.invalid",
    };
    delete env.DOCKER_HOST;
    delete env.DOCKER_CONTEXT;
    for (const args of [
      ["init", "-q"],
      ["add", "."],
      ["commit", "-qm", "monitoring"],
    ])
      await run("git", args, { cwd: project, env });
    process.stderr.write(
      `deploy acceptance: provider kreuzwerker/docker built from ${PROVIDER.module}@${PROVIDER.version} ` +
        `(the stack asks for ${STACK_PROVIDER_VERSION}, which the module proxy does not serve here); stand-in images ${Object.values(IMAGES).join(", ")}\n`,
    );
  });

  after(async () => {
    await engine?.stop();
    const lines = Object.entries(timings).map(([k, v]) => `  ${k}: ${v.toFixed(1)} s`);
    process.stderr.write(`\ndeploy acceptance timings\n${lines.join("\n")}\n`);
  });

  it("npm run deploy brings every container up healthy, published only on the bind address", async () => {
    const out = await timed("deploy (cold)", () => deploy());
    assert.match(out, /Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
    await timed("until every container is healthy", allHealthy);
    for (const s of SERVICES) {
      const c = inspect(container(s));
      const bindings = Object.values(c.HostConfig.PortBindings).flat() as { HostIp: string; HostPort: string }[];
      assert.deepEqual(
        bindings,
        [{ HostIp: "127.0.0.1", HostPort: String(ports[s]) }],
        `${s} publishes ${JSON.stringify(bindings)}`,
      );
      assert.ok(c.HostConfig.SecurityOpt?.includes("no-new-privileges:true"), `${s}: ${c.HostConfig.SecurityOpt}`);
      assert.equal(c.Config.Labels["org.flinkmon.stand-in"], "true", `${s} runs the stand-in image`);
    }
  });

  it("Prometheus runs the shipped rules and scrapes the Pushgateway, which receives a push", async () => {
    const rules = (await (await fetch(url("prometheus", "/api/v1/rules"))).json()) as any;
    const names = rules.data.groups.flatMap((g: any) => g.rules.map((r: any) => r.name ?? r.record));
    assert.ok(names.includes("FlinkGcTimeHigh"), names.join(", "));
    assert.ok(rules.data.groups.every((g: any) => g.rules.every((r: any) => r.health !== "err")));
    const push = await fetch(url("pushgateway", "/metrics/job/flinkacceptance/cluster/deploy"), {
      method: "PUT",
      body: 'flink_jobmanager_numRegisteredTaskManagers{host="10_0_0_5"} 2\n',
    });
    assert.ok(push.ok, `push: ${push.status}`);
    // prometheus.source "scrape": the Pushgateway is scraped, and the Flink series pushed there are dropped.
    await eventually(
      "the push's push_time_seconds through Prometheus",
      async () => {
        const r = await promQuery(url("prometheus"), 'push_time_seconds{job="flinkacceptance", cluster="deploy"}');
        return r.length > 0 ? r : undefined;
      },
      60_000,
    );
    assert.deepEqual(
      await promQuery(url("prometheus"), 'flink_jobmanager_numRegisteredTaskManagers{cluster="deploy"}'),
      [],
    );
  });

  it("Prometheus scrapes every TaskManager container that joins the network under the alias taskmanager", async () => {
    // Two stand-in TaskManagers (busybox nc from a stand-in image) answer /metrics as Flink's reporter does.
    for (const tm of ["tm-1", "tm-2"]) {
      const body = `flink_taskmanager_Status_JVM_CPU_Load{host="${tm}",tm_id="${tm}"} 0.25\n`;
      const reply = `HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
      engine.docker([
        "run",
        "-d",
        "--name",
        `${config.docker.namePrefix}-${tm}`,
        "--network",
        config.docker.namePrefix,
        "--network-alias",
        "taskmanager",
        "--entrypoint",
        "/bin/sh",
        IMAGES.pushgateway,
        "-c",
        `while true; do printf '${reply.replace(/\r/g, "\\r").replace(/\n/g, "\\n")}' | nc -l -p 9249 >/dev/null; done`,
      ]);
    }
    const up = await eventually(
      "both TaskManagers scraped",
      async () => {
        const r = await promQuery(
          url("prometheus"),
          'flink_taskmanager_Status_JVM_CPU_Load{flink_component="taskmanager"}',
        );
        return r.length === 2 ? r : undefined;
      },
      90_000,
    );
    assert.deepEqual(up.map((s) => s.metric.tm_id).sort(), ["tm-1", "tm-2"]);
    engine.docker(["rm", "-f", `${config.docker.namePrefix}-tm-1`, `${config.docker.namePrefix}-tm-2`]);
  });

  it("InfluxDB users can do exactly what they should: Flink writes, Grafana reads, neither more", async () => {
    const db = "flink";
    const writer = { user: "flink", password: PASSWORDS.TF_VAR_influxdb_flink_password };
    const reader = { user: "grafana", password: PASSWORDS.TF_VAR_influxdb_grafana_password };
    const line = `jobmanager_numRegisteredTaskManagers,host=deploy value=3i`;
    assert.equal(await influxWrite(url("influxdb"), db, line), 401, "anonymous write");
    assert.equal(await influxWrite(url("influxdb"), db, line, writer), 204, "Flink's write");
    const writerRead = await influxQuery(
      url("influxdb"),
      'SELECT * FROM "jobmanager_numRegisteredTaskManagers"',
      writer,
      db,
    );
    assert.ok(
      writerRead.status === 403 || writerRead.body?.results?.[0]?.error || writerRead.body?.error,
      "Flink may not read",
    );
    const read = await influxQuery(
      url("influxdb"),
      'SELECT last("value") FROM "jobmanager_numRegisteredTaskManagers"',
      reader,
      db,
    );
    assert.equal(read.body.results[0].series[0].values[0][1], 3);
    assert.equal(await influxWrite(url("influxdb"), db, line, reader), 403, "Grafana may not write");
  });

  it("Grafana's admin password is a file, not environment: docker inspect does not show it", async () => {
    const env: string[] = inspect(container("grafana")).Config.Env;
    const admin = PASSWORDS.TF_VAR_grafana_admin_password;
    assert.ok(!env.some((e) => e.includes(admin)), "the admin password is in Grafana's environment");
    // What stays in the environment, by design: Grafana expands only environment variables in provisioning files.
    assert.ok(env.includes(`${GRAFANA_ENV.influxdbReadPassword}=${PASSWORDS.TF_VAR_influxdb_grafana_password}`));
    const file = env.find((e) => e.startsWith("GF_SECURITY_ADMIN_PASSWORD__FILE="))?.split("=")[1];
    assert.ok(file, env.join("\n"));
    assert.equal(engine.docker(["exec", container("grafana"), "cat", file]), admin);
  });

  it("Grafana (stand-in) accepted the provisioning and answers /api/health", async () => {
    const health = (await (await fetch(url("grafana", "/api/health"))).json()) as { database: string };
    assert.equal(health.database, "ok");
    assert.match(engine.docker(["logs", container("grafana")]), /provisioning accepted: \d+ files/);
  });

  it("terraform plan right after the apply shows no change", async () => {
    const stackDir = join(project, "cdktf.out/stacks/flinkmon");
    const plan = await run("terraform", ["plan", "-detailed-exitcode", "-input=false", "-no-color"], {
      cwd: stackDir,
      env,
    }).catch((e) => e);
    assert.equal(plan.code ?? 0, 0, `plan after apply:\n${String(plan.stdout).slice(-3000)}`);
  });

  it("a threshold change replaces exactly the containers flinkmon diff names", async () => {
    config.alerts.rules = { gcTimeHigh: { threshold: 300 } };
    writeFileSync(join(project, "flinkmon.config.yaml"), stringify(config));
    const diff = await run(
      process.execPath,
      [join(ROOT, "dist/bundle/flinkmon.js"), "diff", "--base", "HEAD", "--format", "json"],
      {
        cwd: project,
        env,
      },
    ).catch((e) => e);
    const replaced = (JSON.parse(String(diff.stdout)).changes as any[])
      .filter((c) => c.area === "stack" && c.level === "warning")
      .map((c) => String(c.subject).replace(`container ${config.docker.namePrefix}-`, ""))
      .sort();
    assert.deepEqual(replaced, ["grafana", "prometheus"]);
    const before = containerIds();
    await timed("deploy (a threshold change)", () => deploy());
    await allHealthy();
    const after = containerIds();
    const changed = SERVICES.filter((s) => before[s] !== after[s]).sort();
    assert.deepEqual(changed, replaced);
  });

  it("scrapes a real Flink cluster on the Docker host (flink.location dockerHost), which pushes and writes to the stack", async () => {
    const { home } = await installFlink(FLINK_VERSION);
    const base = await freeRange(11);
    config.flink = {
      ...config.flink,
      location: "dockerHost",
      taskManagers: 2,
      reporter: { prometheus: { port: `${base}-${base + 10}` }, pushgateway: { jobName: "flinkmon-deploy" } },
    };
    writeFileSync(join(project, "flinkmon.config.yaml"), stringify(config));
    await timed("deploy (Flink moves to the Docker host)", () => deploy());
    await allHealthy();
    const out = join(project, "generated");
    await run(process.execPath, [join(ROOT, "dist/bundle/flinkmon.js"), "generate", "--out", out], {
      cwd: project,
      env,
    });
    const file = readdirSync(join(out, "flink"))[0]!;
    const content = readFileSync(join(out, "flink", file), "utf8");
    followInstallNotes(home, FLINK_VERSION, content);
    const cluster = await timed("Flink cluster start", () =>
      startCluster({
        home,
        generated: { file, content },
        settings: {},
        secrets: { FLINKMON_INFLUXDB_WRITE_PASSWORD: PASSWORDS.TF_VAR_influxdb_flink_password },
      }),
    );
    try {
      // Prometheus, in its container, reaches the JobManager and each TaskManager through host.docker.internal.
      const tms = await eventually(
        "the JobManager and both TaskManagers scraped",
        async () => {
          const jm = await promQuery(
            url("prometheus"),
            'flink_jobmanager_numRegisteredTaskManagers{job="flink-jobmanager"}',
          );
          const tm = await promQuery(
            url("prometheus"),
            'flink_taskmanager_Status_JVM_CPU_Load{job="flink-taskmanager"}',
          );
          return jm.length === 1 && tm.length === 2 ? tm : undefined;
        },
        120_000,
      );
      assert.equal(new Set(tms.map((s) => s.metric.tm_id)).size, 2);
      await eventually(
        "Flink's push in the Pushgateway (published on localhost)",
        async () =>
          /^flink_\w+\{[^}]*job="flinkmon-deploy/m.test(await (await fetch(url("pushgateway", "/metrics"))).text())
            ? true
            : undefined,
        120_000,
      );
      const reader = { user: "grafana", password: PASSWORDS.TF_VAR_influxdb_grafana_password };
      await eventually(
        "Flink's writes in InfluxDB (as the write-only user)",
        async () => {
          const r = await influxQuery(
            url("influxdb"),
            "SHOW MEASUREMENTS WITH MEASUREMENT =~ /^taskmanager_Status_JVM_CPU_Load$/",
            reader,
            "flink",
          );
          return r.body?.results?.[0]?.series ? true : undefined;
        },
        120_000,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${cluster.logs().slice(-4000)}`);
    } finally {
      await cluster.stop();
    }
  });

  it("refuses an InfluxDB password the image's init script cannot quote, before touching anything", async () => {
    const before = containerIds();
    const r = await run(
      process.execPath,
      [join(ROOT, "dist/scripts/deploy.js"), "--auto-approve", "--skip-provider-lock"],
      {
        cwd: project,
        env: { ...env, TF_VAR_influxdb_flink_password: "it's-a-secret-1" },
      },
    ).catch((e) => e);
    assert.notEqual(r.code ?? 0, 0);
    assert.match(String(r.stderr), /TF_VAR_influxdb_flink_password contains ' or \\/);
    assert.deepEqual(containerIds(), before);
  });

  it("npm run destroy removes the containers and keeps the data volumes; a second deploy finds the data", async () => {
    const reader = { user: "grafana", password: PASSWORDS.TF_VAR_influxdb_grafana_password };
    await timed("destroy", () => deploy("--destroy"));
    assert.equal(engine.docker(["ps", "-aq", "--filter", `name=${config.docker.namePrefix}-`]).trim(), "");
    const volumes = engine.docker(["volume", "ls", "--format", "{{.Name}}"]).split("\n").filter(Boolean).sort();
    assert.deepEqual(volumes, SERVICES.map((s) => `${container(s)}-data`).sort());
    await timed("deploy (warm, data volumes kept)", () => deploy());
    await allHealthy();
    const read = await influxQuery(
      url("influxdb"),
      `SELECT last("value") FROM "jobmanager_numRegisteredTaskManagers" WHERE "host" = 'deploy'`,
      reader,
      "flink",
    );
    assert.equal(read.body.results[0].series?.[0]?.values?.[0]?.[1], 3, JSON.stringify(read.body));
    const pushed = await (await fetch(url("pushgateway", "/metrics"))).text();
    assert.match(
      pushed,
      /flink_jobmanager_numRegisteredTaskManagers\{[^}]*cluster="deploy"/,
      "the Pushgateway's persistence file",
    );
    assert.ok(readFileSync(join(project, "flinkmon.config.yaml"), "utf8").includes("threshold: 300"));
  });
});
