/**
 * Terraform's Docker provider (kreuzwerker/docker) built from its Go module, for `cdktf deploy` without the
 * Terraform registry. @cdktf/provider-docker pins 3.6.2, but the module proxy here refuses that version (403
 * "This module version is not available"; so are the pseudo-versions of v3.7.0 to v4.5.0) and serves one commit
 * only: the one pinned below, newer than v4.5.0. The attributes flinkmon uses (image, volume, network; container
 * upload, healthcheck, ports, networks_advanced, memory, memory_swap, security_opts) have the same schema in
 * 3.6.2 and there (read from both sources). Terraform finds it in a filesystem mirror under the version the stack
 * asks for: dev_overrides would be the honest label, but `cdktf deploy` always runs `terraform init`, which with
 * dev_overrides still asks the registry. The suite prints which build ran.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE, once } from "../cache.js";

export const PROVIDER = {
  /** The Go module's own path (go.mod); the repository is github.com/kreuzwerker/terraform-provider-docker. */
  module: "github.com/kreuzwerker/terraform-provider-docker",
  /** The only version the module proxy serves here (committed 2026-09-16, after v4.5.0). */
  version: "v0.0.0-20260916201441-96d331c98ff4",
  address: "registry.terraform.io/kreuzwerker/docker",
} as const;

const ROOT = join(new URL(".", import.meta.url).pathname, "../../..");
/** The version the stack asks for: what @cdktf/provider-docker was generated from. */
export const STACK_PROVIDER_VERSION: string = JSON.parse(
  readFileSync(join(ROOT, "node_modules/@cdktf/provider-docker/package.json"), "utf8"),
).cdktf.provider.version;

const GO_ENV = { ...process.env, GOPATH: join(CACHE, "gopath"), GOFLAGS: "-modcacherw", GOWORK: "off" };

const providerDir = () => join(CACHE, "terraform-provider-docker", PROVIDER.version);
const mirrorDir = () => join(providerDir(), "mirror");
const platformDir = (root: string) => join(root, "mirror", PROVIDER.address, STACK_PROVIDER_VERSION, "linux_amd64");
const providerBinary = () => join(platformDir(providerDir()), `terraform-provider-docker_v${STACK_PROVIDER_VERSION}`);

export async function installProvider(): Promise<{ binary: string; installed: boolean }> {
  const installed = await once(providerDir(), async (staging) => {
    const download = execFileSync("go", ["mod", "download", "-json", `${PROVIDER.module}@${PROVIDER.version}`], {
      env: GO_ENV,
      encoding: "utf8",
    });
    const { Dir, Error: error } = JSON.parse(download) as { Dir?: string; Error?: string };
    if (!Dir) throw new Error(`go mod download ${PROVIDER.module}@${PROVIDER.version}: ${error}`);
    mkdirSync(platformDir(staging), { recursive: true });
    const out = join(platformDir(staging), `terraform-provider-docker_v${STACK_PROVIDER_VERSION}`);
    execFileSync("go", ["build", "-trimpath", "-o", out, "."], {
      cwd: Dir,
      env: GO_ENV,
      stdio: ["ignore", "inherit", "inherit"],
    });
  });
  return { binary: providerBinary(), installed };
}

/** A Terraform CLI config (TF_CLI_CONFIG_FILE): kreuzwerker/docker from the mirror, every other provider direct. */
export function terraformCliConfig(dir: string): string {
  if (!existsSync(providerBinary())) throw new Error(`no provider build at ${providerBinary()}: run installProvider`);
  const file = join(dir, "terraform.rc");
  writeFileSync(
    file,
    [
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = "${mirrorDir()}"`,
      `    include = ["${PROVIDER.address}"]`,
      "  }",
      "  direct {",
      `    exclude = ["${PROVIDER.address}"]`,
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  return file;
}
