/**
 * STAND-IN images for every tag stacks/images.ts pins (no image can be pulled here). Each is built FROM scratch
 * out of the binaries the suite builds from the pinned Go modules (or, for Grafana, the conformance stand-in on
 * Node), their shared libraries, and Debian's static busybox for the shell tools health checks call; laid out as
 * the upstream image is (user and uid, data and config paths, entrypoint and default flags) and tagged exactly as
 * pinned, so the stack's docker_image resources find them locally. Every image carries the label
 * org.flinkmon.stand-in=true.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { build as esbuild } from "esbuild";
import { IMAGES, type ServiceName } from "../../../stacks/images.js";
import { SERVER_BUILDS, serverBinary } from "../install-servers.js";

const HERE = dirname(new URL(import.meta.url).pathname);
const BUSYBOX = "/bin/busybox";

/** Users of the upstream images: Prometheus and the Pushgateway run as nobody, InfluxDB 1500, Grafana 472. */
const PASSWD = [
  "root:x:0:0:root:/root:/bin/sh",
  "influxdb:x:1500:1500::/var/lib/influxdb:/bin/false",
  "grafana:x:472:0::/usr/share/grafana:/bin/false",
  "nobody:x:65534:65534:nobody:/home:/bin/false",
  "",
].join("\n");
const GROUP = ["root:x:0:", "influxdb:x:1500:", "nobody:x:65534:", ""].join("\n");

/** Where a command of this machine is (curl goes into the images that health-check with it). */
const onPath = (command: string) => execFileSync("sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).trim();

/** A binary and every shared library it loads (ldd), at the same paths inside `rootfs`. */
function copyWithLibraries(rootfs: string, binary: string, target = binary): void {
  mkdirSync(join(rootfs, dirname(target)), { recursive: true });
  copyFileSync(binary, join(rootfs, target));
  chmodSync(join(rootfs, target), 0o755);
  let ldd = "";
  try {
    ldd = execFileSync("ldd", [binary], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return; // static
  }
  for (const m of ldd.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)) {
    const lib = m[1]!;
    const dest = join(rootfs, lib);
    if (existsSync(dest)) continue;
    mkdirSync(dirname(dest), { recursive: true });
    copyFileSync(realpathSync(lib), dest);
  }
}

function baseRootfs(rootfs: string): void {
  mkdirSync(join(rootfs, "etc"), { recursive: true });
  mkdirSync(join(rootfs, "tmp"), { recursive: true, mode: 0o1777 });
  writeFileSync(join(rootfs, "etc/passwd"), PASSWD);
  writeFileSync(join(rootfs, "etc/group"), GROUP);
  writeFileSync(join(rootfs, "etc/hosts"), "127.0.0.1 localhost\n");
  copyWithLibraries(rootfs, BUSYBOX);
  const applets = execFileSync(BUSYBOX, ["--list"], { encoding: "utf8" }).split("\n").filter(Boolean);
  for (const applet of applets) {
    const link = join(rootfs, "bin", applet);
    if (!existsSync(link)) symlinkSync("busybox", link);
  }
}

interface StandIn {
  readonly service: ServiceName;
  /** Fills the build context's rootfs/ and returns the Dockerfile lines after `COPY rootfs/ /`. */
  readonly fill: (rootfs: string, context: string) => Promise<string[]>;
}

const server = (name: string, binary: string) =>
  serverBinary(
    SERVER_BUILDS.find((b) => b.name === name)!,
    binary,
  );

const STAND_INS: readonly StandIn[] = [
  {
    service: "prometheus",
    fill: async (rootfs, context) => {
      copyWithLibraries(rootfs, server("prometheus", "prometheus"), "/bin/prometheus");
      copyWithLibraries(rootfs, server("prometheus", "promtool"), "/bin/promtool");
      mkdirSync(join(rootfs, "etc/prometheus"), { recursive: true });
      writeFileSync(
        join(rootfs, "etc/prometheus/prometheus.yml"),
        'scrape_configs:\n  - job_name: prometheus\n    static_configs: [{ targets: ["localhost:9090"] }]\n',
      );
      mkdirSync(join(context, "data"));
      return [
        "COPY --chown=65534:65534 data/ /prometheus/",
        "USER nobody",
        "EXPOSE 9090",
        "WORKDIR /prometheus",
        'ENTRYPOINT ["/bin/prometheus"]',
        'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]',
      ];
    },
  },
  {
    service: "pushgateway",
    fill: async (rootfs, context) => {
      copyWithLibraries(rootfs, server("pushgateway", "pushgateway"), "/bin/pushgateway");
      mkdirSync(join(context, "data"));
      return [
        "COPY --chown=65534:65534 data/ /pushgateway/",
        "USER nobody",
        "EXPOSE 9091",
        "WORKDIR /pushgateway",
        'ENTRYPOINT ["/bin/pushgateway"]',
      ];
    },
  },
  {
    service: "influxdb",
    fill: async (rootfs, context) => {
      copyWithLibraries(rootfs, server("influxdb", "influxd"), "/usr/bin/influxd");
      copyWithLibraries(rootfs, onPath("curl"));
      mkdirSync(join(rootfs, "etc/influxdb"), { recursive: true });
      writeFileSync(
        join(rootfs, "etc/influxdb/influxdb.conf"),
        '[meta]\n  dir = "/var/lib/influxdb/meta"\n[data]\n  dir = "/var/lib/influxdb/data"\n  wal-dir = "/var/lib/influxdb/wal"\n',
      );
      mkdirSync(join(rootfs, "docker-entrypoint-initdb.d"));
      cpSync(join(HERE, "standins/influxdb-entrypoint.sh"), join(rootfs, "entrypoint.sh"));
      chmodSync(join(rootfs, "entrypoint.sh"), 0o755);
      mkdirSync(join(context, "data"));
      return [
        "COPY --chown=1500:1500 data/ /var/lib/influxdb/",
        "USER influxdb",
        "EXPOSE 8086",
        'ENTRYPOINT ["/entrypoint.sh"]',
        'CMD ["influxd"]',
      ];
    },
  },
  {
    service: "grafana",
    fill: async (rootfs, context) => {
      copyWithLibraries(rootfs, process.execPath, "/usr/local/bin/node");
      copyWithLibraries(rootfs, onPath("curl"));
      mkdirSync(join(rootfs, "usr/share/grafana"), { recursive: true });
      await esbuild({
        entryPoints: [join(HERE, "standins/grafana.ts")],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        outfile: join(rootfs, "usr/share/grafana/standin.cjs"),
        logLevel: "error",
      });
      writeFileSync(
        join(rootfs, "run.sh"),
        '#!/bin/sh\nexec /usr/local/bin/node /usr/share/grafana/standin.cjs "$@"\n',
        { mode: 0o755 },
      );
      for (const dir of [
        "etc/grafana/provisioning/datasources",
        "etc/grafana/provisioning/dashboards",
        "etc/grafana/provisioning/alerting",
      ])
        mkdirSync(join(rootfs, dir), { recursive: true });
      mkdirSync(join(context, "data"));
      const version = IMAGES.grafana.slice(IMAGES.grafana.lastIndexOf(":") + 1);
      return [
        "COPY --chown=472:0 data/ /var/lib/grafana/",
        `ENV GF_PATHS_PROVISIONING=/etc/grafana/provisioning GF_PATHS_DATA=/var/lib/grafana FLINKMON_STANDIN_VERSION=${version}`,
        "USER 472",
        "EXPOSE 3000",
        "WORKDIR /usr/share/grafana",
        'ENTRYPOINT ["/run.sh"]',
      ];
    },
  },
];

/** Builds every stand-in into the engine at `dockerHost`, tagged as stacks/images.ts pins; returns the tags. */
export async function buildStandInImages(dockerHost: string, workDir: string): Promise<string[]> {
  const tags: string[] = [];
  for (const standIn of STAND_INS) {
    const context = join(workDir, standIn.service);
    const rootfs = join(context, "rootfs");
    mkdirSync(rootfs, { recursive: true });
    baseRootfs(rootfs);
    const tail = await standIn.fill(rootfs, context);
    const tag = IMAGES[standIn.service];
    writeFileSync(
      join(context, "Dockerfile"),
      [
        "FROM scratch",
        `LABEL org.flinkmon.stand-in=true org.flinkmon.stand-in.for=${tag}`,
        "COPY rootfs/ /",
        ...tail,
        "",
      ].join("\n"),
    );
    execFileSync("docker", ["build", "-q", "-t", tag, context], {
      env: { ...process.env, DOCKER_HOST: dockerHost, DOCKER_BUILDKIT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    tags.push(tag);
  }
  return tags;
}
