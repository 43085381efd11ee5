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
import { stackName } from "../stacks/app.js";
import { cdktfCli, dockerEnv, preflight } from "./deploy-preflight.js";

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
  if (config.target === "docker" && process.env.DOCKER_CONTEXT)
    process.stderr.write(
      `flinkmon: note: DOCKER_CONTEXT=${process.env.DOCKER_CONTEXT} is ignored; the stack goes to docker.host (${config.docker.host})\n`,
    );
  const problems = await preflight(config, Boolean(opts.destroy));
  if (problems.length > 0)
    throw new CliExit(
      EXIT.error,
      `flinkmon: cannot ${opts.destroy ? "destroy" : "deploy"} yet:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  const env: NodeJS.ProcessEnv = {
    ...(config.target === "docker" ? dockerEnv(config) : process.env),
    CHECKPOINT_DISABLE: "1",
    FLINKMON_TEARDOWN: opts.destroy ? "1" : "0",
  };
  // The cdktf CLI runs the app without arguments: the config choice travels in the environment.
  if (opts.config) env.FLINKMON_CONFIG = opts.config;
  if (opts.defaults) env.FLINKMON_DEFAULTS = "1";
  const args = [
    "deploy",
    stackName(config),
    ...(opts.autoApprove ? ["--auto-approve"] : []),
    ...(opts.skipProviderLock ? ["--skip-provider-lock"] : []),
  ];
  await execa(cdktfCli(), args, { env, extendEnv: false, stdio: "inherit" });
}

run().catch((error: unknown) => {
  process.exitCode = reportError(error);
});
