/**
 * The monitoring servers at the versions stacks/images.ts pins, built from their Go modules (the upstream
 * images cannot be pulled here): Prometheus and promtool, the Pushgateway, influxd. Module versions follow
 * from the image tags; Prometheus 3.x.y is the Go module v0.3xx.y.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IMAGES } from "../../stacks/images.js";
import { CACHE, once } from "./cache.js";

const tag = (image: string) => image.slice(image.lastIndexOf(":") + 1);

/** prom/prometheus:v3.13.2 → github.com/prometheus/prometheus v0.313.2 */
function prometheusModuleVersion(imageTag: string): string {
  const [major, minor, patch] = imageTag.replace(/^v/, "").split(".").map(Number) as [number, number, number];
  return `v0.${major * 100 + minor}.${patch}`;
}

export interface ServerBuild {
  readonly name: string;
  readonly module: string;
  readonly version: string;
  /** Packages to build, relative to the module root, and the binaries they give. */
  readonly packages: readonly string[];
  readonly binaries: readonly string[];
  /** -X flags that stamp the version the way the upstream release builds do. */
  readonly ldflags: string;
}

export const SERVER_BUILDS: readonly ServerBuild[] = [
  {
    name: "prometheus",
    module: "github.com/prometheus/prometheus",
    version: prometheusModuleVersion(tag(IMAGES.prometheus)),
    packages: ["./cmd/prometheus", "./cmd/promtool"],
    binaries: ["prometheus", "promtool"],
    ldflags: `-X github.com/prometheus/common/version.Version=${tag(IMAGES.prometheus).replace(/^v/, "")}`,
  },
  {
    name: "pushgateway",
    module: "github.com/prometheus/pushgateway",
    version: tag(IMAGES.pushgateway),
    packages: ["."],
    binaries: ["pushgateway"],
    ldflags: `-X github.com/prometheus/common/version.Version=${tag(IMAGES.pushgateway).replace(/^v/, "")}`,
  },
  {
    name: "influxdb",
    module: "github.com/influxdata/influxdb",
    version: `v${tag(IMAGES.influxdb)}`,
    packages: ["./cmd/influxd"],
    binaries: ["influxd"],
    ldflags: `-X main.version=${tag(IMAGES.influxdb)}`,
  },
];

const GO_ENV = {
  ...process.env,
  GOPATH: join(CACHE, "gopath"),
  GOFLAGS: "-modcacherw",
  GOWORK: "off",
  CGO_ENABLED: "1",
};

function go(args: string[], cwd?: string, extraEnv: Record<string, string> = {}): string {
  return execFileSync("go", args, {
    cwd,
    env: { ...GO_ENV, ...extraEnv },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 << 20,
  });
}

/** The module's source folder in the module cache (go mod download keeps a module's own go.sum). */
function moduleDir(module: string, version: string): string {
  return (JSON.parse(go(["mod", "download", "-json", `${module}@${version}`])) as { Dir: string }).Dir;
}

/** Keyed by version and by how it is built, so a changed recipe never reuses an old binary. */
export const serverDir = (build: ServerBuild) => {
  const recipe = createHash("sha256")
    .update(JSON.stringify([build.packages, build.ldflags, "trimpath", "cap-lints"]))
    .digest("hex")
    .slice(0, 8);
  return join(CACHE, "servers", `${build.name}-${build.version}-${recipe}`);
};

/** Where each binary of a build is (after installServer). */
export const serverBinary = (build: ServerBuild, binary: string) => join(serverDir(build), binary);

export async function installServer(build: ServerBuild): Promise<{ dir: string; installed: boolean }> {
  const dir = serverDir(build);
  const installed = await once(dir, async (staging) => {
    const source = moduleDir(build.module, build.version);
    const env: Record<string, string> = {};
    if (build.name === "influxdb") {
      // influxd links libflux (Rust) through pkg-config; the module's own pinned pkg-config wrapper builds it with cargo.
      const tools = join(staging, ".tools");
      mkdirSync(tools);
      const wrapper = /github\.com\/influxdata\/pkg-config (v\S+)/.exec(
        readFileSync(join(source, "go.mod"), "utf8"),
      )?.[1];
      if (!wrapper) throw new Error("influxdb's go.mod names no github.com/influxdata/pkg-config");
      go(["install", `github.com/influxdata/pkg-config@${wrapper}`], source, { GOBIN: tools });
      env.PKG_CONFIG = join(tools, "pkg-config");
      // libflux pins Rust 1.72 (rust-toolchain file), which rustup cannot fetch here: build it with the installed stable.
      // libflux denies warnings, and newer Rust warns about more: cap lints at warnings. Cargo ignores RUSTFLAGS
      // for this workspace, so a rustc wrapper adds the flag.
      env.RUSTUP_TOOLCHAIN = process.env.RUSTUP_TOOLCHAIN ?? "stable";
      env.RUSTC_WRAPPER = join(tools, "rustc-cap-lints");
      writeFileSync(env.RUSTC_WRAPPER, '#!/bin/sh\nrustc="$1"; shift\nexec "$rustc" "$@" --cap-lints warn\n', {
        mode: 0o755,
      });
    }
    go(["build", "-trimpath", `-ldflags=${build.ldflags}`, "-o", `${staging}/`, ...build.packages], source, env);
    const missing = build.binaries.filter((b) => !existsSync(join(staging, b)));
    if (missing.length > 0)
      throw new Error(`go build of ${build.module}@${build.version} gave no ${missing.join(", ")}`);
  });
  return { dir, installed };
}
