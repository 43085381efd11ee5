/**
 * STAND-IN for the grafana/grafana image (Grafana is AGPL and cannot be built here): what the container's
 * Grafana would read at start-up, checked by flinkmon's Grafana conformance rules (conformance/grafana/, each
 * restating a rule of Grafana's source). Like Grafana, it reads GF_PATHS_PROVISIONING and the folders the
 * dashboard providers name, exits non-zero when provisioning would fail ("Failed to provision …"), and otherwise
 * answers GET /api/health on GF_SERVER_HTTP_PORT (default 3000). Bundled by esbuild into the image.
 */
import { createServer } from "node:http";
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { checkGrafana, fromContainerFiles, formatFinding } from "../../../../conformance/grafana/index.js";

const VERSION = process.env.FLINKMON_STANDIN_VERSION ?? "unknown";
const provisioningDir = process.env.GF_PATHS_PROVISIONING ?? "/etc/grafana/provisioning";
const port = Number(process.env.GF_SERVER_HTTP_PORT ?? 3000);

function readTree(dir: string, into: Map<string, string>): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) readTree(path, into);
    else into.set(path, readFileSync(path, "utf8"));
  }
}

// As the image's entry script does: GF_<NAME>__FILE names a file whose content becomes GF_<NAME>.
for (const [name, path] of Object.entries(process.env))
  if (/^GF_.+__FILE$/.test(name) && path) process.env[name.slice(0, -"__FILE".length)] = readFileSync(path, "utf8");

const files = new Map<string, string>();
readTree(provisioningDir, files);
// Dashboard providers read the folders they name (options.path).
for (const [path, content] of [...files])
  if (path.startsWith(join(provisioningDir, "dashboards")))
    for (const m of content.matchAll(/^\s*path:\s*["']?([^"'\s]+)/gm)) readTree(m[1]!, files);

const environment = new Set(
  Object.entries(process.env)
    .filter(([, value]) => value !== undefined && value !== "")
    .map(([name]) => name),
);
const findings = checkGrafana(fromContainerFiles(files, environment, provisioningDir));
const log = (level: string, msg: string) =>
  process.stdout.write(`logger=flinkmon-standin t=${new Date().toISOString()} level=${level} msg="${msg}"\n`);
if (findings.length > 0) {
  for (const f of findings) log("error", `Failed to provision: ${formatFinding(f)}`);
  process.exit(1);
}
log("info", `provisioning accepted: ${files.size} files (grafana/grafana stand-in, ${VERSION})`);

createServer((req, res) => {
  if (req.url === "/api/health") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ database: "ok", version: `${VERSION} (flinkmon stand-in)` }));
    return;
  }
  res.writeHead(404).end();
}).listen(port, "0.0.0.0", () => log("info", `HTTP Server Listen address=0.0.0.0:${port}`));
process.on("SIGTERM", () => process.exit(0));
