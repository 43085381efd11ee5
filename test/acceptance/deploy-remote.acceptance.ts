/**
 * `docker.host: ssh://…` for real: a second Docker engine in a network namespace of its own, reached over Debian's
 * sshd with a key the test makes (deploy/remote-host.ts). The preflight's ssh checks refuse a host ssh cannot log in
 * to; `npm run deploy` (cdktf CLI → Terraform → kreuzwerker/docker → ssh → `docker system dial-stdio` on the
 * remote) brings every container up there, published on the remote's address; `npm run destroy` removes them.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { tempDir, eventually } from "../helpers/servers.js";
import { startRemoteHost, type RemoteHost } from "./deploy/remote-host.js";
import { buildStandInImages } from "./deploy/standin-images.js";
import { terraformCliConfig } from "./deploy/install-provider.js";
import { installDeployTools, runDeploy, stepTimer, userProject } from "./deploy/run-deploy.js";
import { IMAGES, type ServiceName } from "../../stacks/images.js";

const SERVICES = Object.keys(IMAGES) as ServiceName[];
const PASSWORDS = {
  TF_VAR_grafana_admin_password: "grafana-admin-secret-2",
  TF_VAR_influxdb_admin_password: "influx-admin-secret-2",
  TF_VAR_influxdb_flink_password: "influx-flink-secret-2",
  TF_VAR_influxdb_grafana_password: "influx-grafana-secret-2",
  TF_VAR_alert_webhook_url: "http://127.0.0.1:9/flinkmon-acceptance",
};
const { timings, timed } = stepTimer();

describe(
  "deploy to a remote Docker host over ssh:// (a second engine in its own network namespace)",
  {
    timeout: 15 * 60_000,
  },
  () => {
    let remote: RemoteHost;
    let project: string;
    let env: NodeJS.ProcessEnv;
    const config: any = {
      flink: { version: "1.20", reporters: ["prometheus", "pushgateway", "influxdb"], interval: "5s" },
      alerts: { contactPoint: { type: "webhook" } },
      docker: { namePrefix: "fmremote" },
    };
    const container = (service: ServiceName) => `${config.docker.namePrefix}-${service}`;

    /** `npm run deploy` in the project with `config`. */
    const deploy = async (extra: string[] = []) => {
      writeFileSync(join(project, "flinkmon.config.yaml"), stringify(config));
      return runDeploy(project, env, extra);
    };

    before(async () => {
      const dir = tempDir("deploy-remote");
      env = await timed("install (provider, cdktf CLI, servers)", installDeployTools);
      remote = await timed("remote host start (netns, engine, sshd)", () => startRemoteHost(join(dir, "remote")));
      // The remote machine's images, built on its engine (a user's host would pull them).
      await timed("stand-in images on the remote", () => buildStandInImages(remote.engine.host, join(dir, "images")));
      config.docker.host = remote.dockerHost;
      config.docker.bindAddress = remote.address;
      project = userProject(dir);
      env = {
        ...env,
        ...PASSWORDS,
        PATH: `${remote.sshBinDir}:${env.PATH}`,
        TF_CLI_CONFIG_FILE: terraformCliConfig(dir),
        CHECKPOINT_DISABLE: "1",
      };
      delete env.DOCKER_HOST;
      delete env.DOCKER_CONTEXT;
    });

    after(async () => {
      await remote?.stop();
      const lines = Object.entries(timings).map(([k, v]) => `  ${k}: ${v.toFixed(1)} s`);
      process.stderr.write(`\ndeploy (ssh://) acceptance timings\n${lines.join("\n")}\n`);
    });

    it("the preflight refuses a host ssh cannot log in to, saying so, before touching anything", async () => {
      const saved = config.docker.host;
      config.docker.host = `ssh://flinkmon-no-such-user@${remote.address}`;
      try {
        const r = await deploy();
        assert.notEqual(r.code, 0, r.out);
        assert.match(
          r.out,
          /cannot log in to flinkmon-no-such-user@[\d.]+ with ssh without a prompt \(.*Permission denied/,
        );
        assert.match(r.out, /ssh-copy-id/);
        assert.doesNotMatch(r.out, /terraform|Apply/i);
        // No sshd on that port: a host ssh cannot reach is told from one it cannot log in to.
        config.docker.host = `ssh://root@${remote.address}:2222`;
        const closed = await deploy();
        assert.notEqual(closed.code, 0, closed.out);
        assert.match(
          closed.out,
          /cannot reach -p 2222 root@[\d.]+ with ssh \(.*Connection refused.*\): check the host name/,
        );
      } finally {
        config.docker.host = saved;
      }
      assert.equal(remote.engine.docker(["ps", "-aq"]).trim(), "", "nothing created on the remote");
    });

    it("npm run deploy brings every container up healthy on the remote engine, published on its address", async () => {
      const r = await timed("deploy over ssh (cold)", () => deploy());
      assert.equal(r.code, 0, r.out.slice(-4000));
      assert.match(r.out, /Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
      const inspect = (name: string) => JSON.parse(remote.engine.docker(["inspect", name]))[0];
      await timed("until every remote container is healthy", () =>
        eventually(
          "every remote container healthy",
          async () =>
            SERVICES.every((s) => inspect(container(s)).State.Health?.Status === "healthy") ? true : undefined,
          180_000,
        ),
      );
      for (const s of SERVICES) {
        const bindings = Object.values(inspect(container(s)).HostConfig.PortBindings).flat() as { HostIp: string }[];
        assert.ok(
          bindings.length > 0 && bindings.every((b) => b.HostIp === remote.address),
          `${s}: ${JSON.stringify(bindings)}`,
        );
      }
      // The output names the URL on the remote's address, and it answers from here.
      const grafana = new RegExp(`grafana_url = "(http://${remote.address.replace(/\./g, "\\.")}:(\\d+))"`).exec(r.out);
      assert.ok(grafana, r.out.slice(-2000));
      const health = await fetch(`${grafana[1]}/api/health`);
      assert.equal(health.status, 200);
      const prometheus = inspect(container("prometheus")).HostConfig.PortBindings;
      const port = (Object.values(prometheus).flat()[0] as { HostPort: string }).HostPort;
      const rules = (await (await fetch(`http://${remote.address}:${port}/api/v1/rules`)).json()) as any;
      assert.ok(rules.data.groups.length > 0, "Prometheus on the remote loaded the rules uploaded over ssh");
    });

    it("npm run destroy removes the remote containers and keeps their data volumes", async () => {
      const r = await timed("destroy over ssh", () => deploy(["--destroy"]));
      assert.equal(r.code, 0, r.out.slice(-4000));
      assert.equal(remote.engine.docker(["ps", "-aq", "--filter", `name=${config.docker.namePrefix}-`]).trim(), "");
      const volumes = remote.engine
        .docker(["volume", "ls", "--format", "{{.Name}}"])
        .split("\n")
        .filter(Boolean)
        .sort();
      assert.deepEqual(volumes, SERVICES.map((s) => `${container(s)}-data`).sort());
    });
  },
);
