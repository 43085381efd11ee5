/**
 * `npm run test:acceptance:deps`: installs what the acceptance suite runs into the cache (Flink distributions from
 * PyPI, the pinned servers and Terraform's Docker provider from their Go modules, the cdktf CLI from npm),
 * printing where the time goes. The suite installs the same on
 * first use; running this first keeps install time out of the test timings.
 */
import { FLINK_VERSIONS } from "./versions.js";
import { installFlink } from "./install-flink.js";
import { SERVER_BUILDS, installServer } from "./install-servers.js";
import { CACHE } from "./cache.js";
import { installProvider, PROVIDER } from "./deploy/install-provider.js";
import { installCdktfCli, CDKTF_VERSION } from "./deploy/install-cdktf.js";
import { installSshd } from "./deploy/install-sshd.js";

const timed = async (what: string, work: () => Promise<boolean>) => {
  const t0 = Date.now();
  const installed = await work();
  process.stdout.write(
    `acceptance deps: ${what}: ${installed ? `installed in ${((Date.now() - t0) / 1000).toFixed(1)} s` : "cached"}\n`,
  );
};

process.stdout.write(`acceptance deps: cache ${CACHE}\n`);
for (const build of SERVER_BUILDS)
  await timed(
    `${build.name} ${build.version} (Go module ${build.module})`,
    async () => (await installServer(build)).installed,
  );
for (const version of FLINK_VERSIONS)
  await timed(`Flink ${version} (PyPI)`, async () => (await installFlink(version)).installed);
await timed(`kreuzwerker/docker ${PROVIDER.version} (Go module)`, async () => (await installProvider()).installed);
await timed(`cdktf CLI ${CDKTF_VERSION} (npm)`, async () => (await installCdktfCli()).installed);
await timed("OpenSSH server (Debian package, unpacked)", async () => (await installSshd()).installed);
