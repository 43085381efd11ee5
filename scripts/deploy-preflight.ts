/**
 * What `npm run deploy` checks before it runs the cdktf CLI: every missing prerequisite, each with what to do
 * about it (Terraform or OpenTofu and its version, the cdktf CLI, the secrets, the Docker host or the cluster).
 */
import { execa } from "execa";
import { homedir } from "node:os";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { MonitoringConfig } from "../config/resolve.js";
import { CHARTS } from "../stacks/charts.js";
import { dockerSecretVariables } from "../stacks/monitoring-stack.js";
import { INFLUXDB_PASSWORD_FORBIDDEN } from "../stacks/secrets.js";
import { remoteEngine } from "../stacks/grafana-url.js";

/** The cdktf CLI: the project's own (node_modules/.bin), else one on PATH (a global install). */
export function cdktfCli(): string {
  const local = join(process.cwd(), "node_modules", ".bin", "cdktf");
  return existsSync(local) ? local : "cdktf";
}

/**
 * The environment of everything that talks to Docker: the configured host, and no DOCKER_CONTEXT (a context in the
 * environment would otherwise win over DOCKER_HOST for the docker CLI, and the deploy would check one engine and
 * apply to another).
 */
export function dockerEnv(config: MonitoringConfig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: config.docker.host };
  delete env.DOCKER_CONTEXT;
  return env;
}

/**
 * An ssh:// Docker host, checked the way Docker's ssh helper will use it: `ssh` logs in without a prompt
 * (BatchMode: key, known host key), then `docker` answers there (the remote user may use the engine). Each failure
 * names what to fix; the output of ssh, which names the cause ("Permission denied", "Host key verification
 * failed", "Connection refused"), is kept.
 */
async function sshProblem(dockerHost: string): Promise<string | undefined> {
  const remote = remoteEngine(dockerHost);
  if (!remote?.sshArgs) return undefined;
  const ssh = (command: string[]) =>
    execa("ssh", ["-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-T", ...remote.sshArgs!, "--", ...command], {
      timeout: 30_000,
      stdin: "ignore",
      reject: false,
    });
  const why = (r: { stderr: unknown; stdout: unknown }) =>
    String(r.stderr || r.stdout)
      .trim()
      .split("\n")
      .pop() || "no output";
  const login = await ssh(["true"]);
  if (login.code === "ENOENT")
    return "ssh is not installed: the Docker host is ssh:// and Docker reaches it through ssh";
  if (login.timedOut)
    return `ssh to ${remote.sshTarget} did not finish within 30 s: check the host, its port and the network`;
  if (login.exitCode !== 0) {
    const reason = why(login);
    return /Permission denied|Host key verification failed|host key|passphrase/i.test(reason)
      ? `cannot log in to ${remote.sshTarget} with ssh without a prompt (${reason}): add your key there (ssh-copy-id ${remote.sshTarget}), accept its host key once (ssh ${remote.sshTarget} true), or set the user and key in ~/.ssh/config`
      : `cannot reach ${remote.sshTarget} with ssh (${reason}): check the host name, the port in docker.host and the network`;
  }
  const docker = await ssh(["docker", "version", "--format", "{{.Server.Version}}"]);
  if (docker.exitCode !== 0)
    return `ssh to ${remote.sshTarget} works, but docker does not answer there (${why(docker)}): install Docker on that host and add the user to its docker group`;
  return undefined;
}

async function answers(file: string, args: string[], env?: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    await execa(file, args, { env: env ?? process.env, extendEnv: false, timeout: 20_000, stdin: "ignore" });
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

/**
 * Terraform ≥ 1.7 and OpenTofu ≥ 1.10 read the teardown's `removed { lifecycle { destroy = false } }` block
 * (OpenTofu before 1.10 rejects it: opentofu/opentofu#2556).
 */
const MINIMUM = { terraform: [1, 7], tofu: [1, 10] } as const;

async function terraformProblem(binary: string): Promise<string | undefined> {
  const install = "install Terraform ≥ 1.7, or OpenTofu ≥ 1.10 and set TERRAFORM_BINARY_NAME=tofu";
  let version: string;
  try {
    const r = await execa(binary, ["version", "-json"], { timeout: 20_000, stdin: "ignore" });
    const json = JSON.parse(String(r.stdout)) as { terraform_version?: string };
    version = json.terraform_version ?? "";
  } catch {
    return `${binary} is not installed or not on PATH: ${install}`;
  }
  const isTofu = /tofu/i.test(binary);
  const [major, minor] = version.split(".").map(Number) as [number, number];
  const [wantMajor, wantMinor] = isTofu ? MINIMUM.tofu : MINIMUM.terraform;
  if (!(major > wantMajor || (major === wantMajor && minor >= wantMinor)))
    return `${binary} ${version} is too old: the stack's teardown needs ${isTofu ? "OpenTofu" : "Terraform"} ≥ ${wantMajor}.${wantMinor} (${install})`;
  return undefined;
}

/** Secrets Terraform will ask for: each set, and InfluxDB's free of what the image's init script cannot quote. */
function secretProblems(config: MonitoringConfig): string[] {
  const problems: string[] = [];
  for (const name of dockerSecretVariables(config)) {
    const value = process.env[`TF_VAR_${name}`];
    if (value === undefined || value === "") problems.push(`TF_VAR_${name} is not set (${name}; README "Passwords")`);
    else if (name.startsWith("influxdb_") && INFLUXDB_PASSWORD_FORBIDDEN.some((c) => value.includes(c)))
      problems.push(
        `TF_VAR_${name} contains ${INFLUXDB_PASSWORD_FORBIDDEN.join(" or ")}: the InfluxDB image's init script puts passwords in single quotes unescaped and would half set up the database; choose another`,
      );
  }
  return problems;
}

/** Every missing prerequisite, each with what to do about it. */
export async function preflight(config: MonitoringConfig, destroy = false): Promise<string[]> {
  const problems: string[] = [];
  const terraform = await terraformProblem(process.env.TERRAFORM_BINARY_NAME ?? "terraform");
  if (terraform) problems.push(terraform);
  if (!(await answers(cdktfCli(), ["--version"]))) {
    problems.push("the cdktf CLI is not installed: npm install --no-save cdktf-cli@0.21.0 (or globally, on PATH)");
  }
  if (config.target === "kubernetes") return [...problems, ...(await kubernetesPreflight(config))];
  if (!destroy) problems.push(...secretProblems(config));
  const dockerHost = config.docker.host;
  const ssh = await sshProblem(dockerHost);
  if (ssh) problems.push(ssh);
  else if (!(await answers("docker", ["version", "--format", "{{.Server.Version}}"], dockerEnv(config)))) {
    problems.push(
      `the Docker host ${dockerHost} does not answer: start Docker there, check DOCKER_HOST access (for ssh://, key login and the remote user in the docker group)`,
    );
  }
  return problems;
}
