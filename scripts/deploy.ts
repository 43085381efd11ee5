#!/usr/bin/env node
/**
 * `npm run deploy` / `npm run destroy`: checks what cdktf needs (its CLI, terraform or tofu, a Docker host that
 * answers), then runs the cdktf CLI through execa. Destroy deploys the teardown variant of the stack, which
 * keeps the data volumes unless docker.allowVolumeRemoval is set.
 */
import { Command } from "commander";
import { execa } from "execa";
import { loadConfig } from "../config/load.js";
import { addConfigOptions, configSource, type ConfigFlags } from "./config-option.js";
import { CliExit, EXIT, reportError } from "./cli-support.js";
import { homedir } from "node:os";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { MonitoringConfig } from "../config/resolve.js";
import { stackName } from "../stacks/app.js";
import { CHARTS } from "../stacks/charts.js";

/** The cdktf CLI: the project's own (node_modules/.bin), else one on PATH (a global install). */
function cdktfCli(): string {
  const local = join(process.cwd(), "node_modules", ".bin", "cdktf");
  return existsSync(local) ? local : "cdktf";
}

async function answers(file: string, args: string[], env?: Record<string, string>): Promise<boolean> {
  try {
    await execa(file, args, { env, timeout: 20_000, stdin: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Kubernetes prerequisites: a kubeconfig context, an API server that answers, reachable chart repositories. */
async function kubernetesPreflight(config: MonitoringConfig): Promise<string[]> {
  const problems: string[] = [];
  const k = config.kubernetes;
  const kubeconfig = k.kubeconfig.replace(/^~(?=\/)/, homedir());
  const ctx = k.context ? ["--context", k.context] : [];
  if (!(await answers("kubectl", ["--kubeconfig", kubeconfig, ...ctx, "config", "current-context"]))) {
    problems.push(
      `no kubectl context ${k.context ? `"${k.context}" ` : ""}in ${k.kubeconfig}: install kubectl and set kubernetes.kubeconfig / kubernetes.context`,
    );
  } else if (!(await answers("kubectl", ["--kubeconfig", kubeconfig, ...ctx, "version", "--request-timeout=5s"]))) {
    problems.push(
      `the Kubernetes API server of ${k.context ?? "the current context"} does not answer: check the cluster and your credentials`,
    );
  }
  const charts = [
    ...(k.installPrometheusOperator ? [CHARTS.kubePrometheusStack] : []),
    ...(config.stores.influxdb ? [CHARTS.influxdb] : []),
  ];
  for (const chart of charts) {
    const index = `${chart.repository.replace(/\/$/, "")}/index.yaml`;
    const ok = await fetch(index, { method: "HEAD", signal: AbortSignal.timeout(10_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (!ok)
      problems.push(
        `the Helm chart repository ${chart.repository} (chart ${chart.chart} ${chart.version}) cannot be reached: allow access or mirror it`,
      );
  }
  return problems;
}

/** Every missing prerequisite, each with what to do about it. */
export async function preflight(config: MonitoringConfig): Promise<string[]> {
  const problems: string[] = [];
  const terraform = process.env.TERRAFORM_BINARY_NAME ?? "terraform";
  if (!(await answers(terraform, ["version"]))) {
    problems.push(
      `${terraform} is not installed or not on PATH: install Terraform ≥ 1.7 or OpenTofu ≥ 1.7 (then set TERRAFORM_BINARY_NAME=tofu)`,
    );
  }
  if (!(await answers(cdktfCli(), ["--version"]))) {
    problems.push("the cdktf CLI is not installed: npm install --no-save cdktf-cli@0.21.0 (or globally, on PATH)");
  }
  if (config.target === "kubernetes") return [...problems, ...(await kubernetesPreflight(config))];
  const dockerHost = config.docker.host;
  if (!(await answers("docker", ["version", "--format", "{{.Server.Version}}"], { DOCKER_HOST: dockerHost }))) {
    problems.push(
      `the Docker host ${dockerHost} does not answer: start Docker there, check DOCKER_HOST access (for ssh://, key login and the remote user in the docker group)`,
    );
  }
  return problems;
}

const program = addConfigOptions(
  new Command("deploy").description("deploy (or with --destroy, tear down) the monitoring stack"),
)
  .option("--destroy", "tear the stack down, keeping data volumes unless docker.allowVolumeRemoval")
  .option("--auto-approve", "do not ask before applying")
  .option(
    "--skip-provider-lock",
    "do not ask the Terraform registry for other platforms' provider hashes (providers from a local mirror)",
  );

async function run(): Promise<void> {
  program.parse(process.argv);
  const opts = program.opts<ConfigFlags & { destroy?: boolean; autoApprove?: boolean; skipProviderLock?: boolean }>();
  const { config } = loadConfig(configSource(opts));
  if (opts.destroy && config.target === "kubernetes")
    throw new CliExit(
      EXIT.error,
      "flinkmon: on Kubernetes run `npx cdktf destroy flinkmon-kubernetes` (persistent volume claims of the StatefulSets are kept by Kubernetes)",
    );
  const problems = await preflight(config);
  if (problems.length > 0)
    throw new CliExit(
      EXIT.error,
      `flinkmon: cannot ${opts.destroy ? "destroy" : "deploy"} yet:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  const env: Record<string, string> = { CHECKPOINT_DISABLE: "1", FLINKMON_TEARDOWN: opts.destroy ? "1" : "0" };
  // The cdktf CLI runs the app without arguments: the config choice travels in the environment.
  if (opts.config) env.FLINKMON_CONFIG = opts.config;
  if (opts.defaults) env.FLINKMON_DEFAULTS = "1";
  const args = [
    "deploy",
    stackName(config),
    ...(opts.autoApprove ? ["--auto-approve"] : []),
    ...(opts.skipProviderLock ? ["--skip-provider-lock"] : []),
  ];
  await execa(cdktfCli(), args, { env, stdio: "inherit" });
}

run().catch((error: unknown) => {
  process.exitCode = reportError(error);
});
