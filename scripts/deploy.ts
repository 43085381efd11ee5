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
import { DOCKER_STACK_NAME } from "../stacks/monitoring-stack.js";

async function answers(file: string, args: string[], env?: Record<string, string>): Promise<boolean> {
  try {
    await execa(file, args, { env, timeout: 20_000, stdin: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Every missing prerequisite, each with what to do about it. */
export async function preflight(dockerHost: string): Promise<string[]> {
  const problems: string[] = [];
  const terraform = process.env.TERRAFORM_BINARY_NAME ?? "terraform";
  if (!(await answers(terraform, ["version"]))) {
    problems.push(`${terraform} is not installed or not on PATH: install Terraform ≥ 1.7 or OpenTofu ≥ 1.7 (then set TERRAFORM_BINARY_NAME=tofu)`);
  }
  if (!(await answers("npx", ["--no-install", "cdktf", "--version"]))) {
    problems.push("the cdktf CLI is not installed: npm install --no-save cdktf-cli@0.21.0 (or globally)");
  }
  if (!(await answers("docker", ["version", "--format", "{{.Server.Version}}"], { DOCKER_HOST: dockerHost }))) {
    problems.push(`the Docker host ${dockerHost} does not answer: start Docker there, check DOCKER_HOST access (for ssh://, key login and the remote user in the docker group)`);
  }
  return problems;
}

const program = addConfigOptions(new Command("deploy").description("deploy (or with --destroy, tear down) the monitoring stack"))
  .option("--destroy", "tear the stack down, keeping data volumes unless docker.allowVolumeRemoval")
  .option("--auto-approve", "do not ask before applying");

async function run(): Promise<void> {
  program.parse(process.argv);
  const opts = program.opts<ConfigFlags & { destroy?: boolean; autoApprove?: boolean }>();
  const { config } = loadConfig(configSource(opts));
  const problems = await preflight(config.docker.host);
  if (problems.length > 0) throw new CliExit(EXIT.error, `flinkmon: cannot ${opts.destroy ? "destroy" : "deploy"} yet:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  const env: Record<string, string> = { CHECKPOINT_DISABLE: "1", FLINKMON_TEARDOWN: opts.destroy ? "1" : "0" };
  if (opts.config) env.FLINKMON_CONFIG = opts.config;
  const args = ["--no-install", "cdktf", "deploy", DOCKER_STACK_NAME, ...(opts.autoApprove ? ["--auto-approve"] : [])];
  await execa("npx", args, { env, stdio: "inherit" });
}

run().catch((error: unknown) => {
  process.exitCode = reportError(error);
});
