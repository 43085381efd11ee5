/** Synthesizes the stack of the configured target into an outdir (no cdktf CLI or Terraform needed). */
import { App } from "cdktf";
import type { MonitoringConfig } from "../config/resolve.js";
import { build } from "../artifacts/build.js";
import { ConfigError } from "../config/errors.js";
import { MonitoringStack, DOCKER_STACK_NAME } from "./monitoring-stack.js";
import { KubernetesStack, KUBERNETES_STACK_NAME } from "./kubernetes-stack.js";

/** The stack name of the configured target: cdktf.out/stacks/<name>/cdk.tf.json. */
export function stackName(config: MonitoringConfig): string {
  return config.target === "kubernetes" ? KUBERNETES_STACK_NAME : DOCKER_STACK_NAME;
}

export interface SynthOptions {
  readonly outdir: string;
  readonly teardown?: boolean;
}

/** Returns the path of the synthesized cdk.tf.json. */
export function synthesize(config: MonitoringConfig, options: SynthOptions): string {
  if (options.teardown && config.target === "kubernetes") {
    throw new ConfigError(
      [
        {
          path: "--teardown",
          message: "is for the Docker target; on Kubernetes use `npx cdktf destroy flinkmon-kubernetes`",
        },
      ],
      "command line",
    );
  }
  const app = new App({ outdir: options.outdir, skipValidation: false });
  const artifacts = build(config).artifacts;
  if (config.target === "kubernetes") new KubernetesStack(app, KUBERNETES_STACK_NAME, { config, artifacts });
  else new MonitoringStack(app, DOCKER_STACK_NAME, { config, artifacts, teardown: options.teardown });
  app.synth();
  return `${options.outdir}/stacks/${stackName(config)}/cdk.tf.json`;
}
