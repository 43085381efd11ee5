/**
 * Re-enacts what the influxdb image's init-influxdb.sh does on a new volume (reference cdktf-docker.md §6.1)
 * with the stack's environment, then runs the shipped *.iql files as admin.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { influxQuery, influxWrite } from "./clients.js";
import { tempDir, startInfluxd, type RunningServer } from "./servers.js";
import type { MonitoringConfig } from "../../config/resolve.js";
import type { Artifacts } from "../../artifacts/build.js";

export interface InfluxUsers {
  readonly db: string;
  readonly admin: { user: string; password: string };
  readonly writer: { user: string; password: string };
  readonly reader: { user: string; password: string };
}

/** The test passwords of the three users the image's init script creates. */
const PASSWORD = { admin: "admin-secret-1234", writer: "flink-secret-1234", reader: "grafana-secret-1234" } as const;

/** The users a config names, with the test passwords. */
export function usersFromConfig(config: MonitoringConfig): InfluxUsers {
  const i = config.influxdb;
  return {
    db: i.database,
    admin: { user: i.adminUser, password: PASSWORD.admin },
    writer: { user: i.writeUser, password: PASSWORD.writer },
    reader: { user: i.readUser, password: PASSWORD.reader },
  };
}

/** Writes line protocol as Flink's InfluxDB reporter does: as the writer, into the config's retention policy. */
export async function writeAsFlink(
  url: string,
  users: InfluxUsers,
  config: MonitoringConfig,
  lines: string,
): Promise<void> {
  const status = await influxWrite(url, users.db, lines, users.writer, config.influxdb.retentionPolicy.name);
  assert.equal(status, 204, "InfluxDB took the points");
}

/** influxd with the config's generated influxdb.conf, its users and init script applied, as a new volume gets them. */
export async function startInitializedInflux(artifacts: Artifacts, users: InfluxUsers): Promise<RunningServer> {
  const dir = tempDir("influx-conf");
  writeFileSync(join(dir, "influxdb.conf"), artifacts.get("influxdb/influxdb.conf")!);
  const influx = await startInfluxd(join(dir, "influxdb.conf"));
  await initInflux(influx.url, users, [artifacts.get("influxdb/init/01-flinkmon.iql")!]);
  return influx;
}

export function usersFromEnv(env: readonly string[]): InfluxUsers {
  const vars = new Map(env.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string]));
  return {
    db: vars.get("INFLUXDB_DB")!,
    admin: { user: vars.get("INFLUXDB_ADMIN_USER")!, password: PASSWORD.admin },
    writer: { user: vars.get("INFLUXDB_WRITE_USER")!, password: PASSWORD.writer },
    reader: { user: vars.get("INFLUXDB_READ_USER")!, password: PASSWORD.reader },
  };
}

export async function initInflux(url: string, users: InfluxUsers, iqlFiles: readonly string[]): Promise<void> {
  const { db, admin, writer, reader } = users;
  const first = await influxQuery(
    url,
    `CREATE USER "${admin.user}" WITH PASSWORD '${admin.password}' WITH ALL PRIVILEGES`,
  );
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const statements = [
    `CREATE DATABASE "${db}"`,
    `CREATE USER "${writer.user}" WITH PASSWORD '${writer.password}'`,
    `GRANT WRITE ON "${db}" TO "${writer.user}"`,
    `CREATE USER "${reader.user}" WITH PASSWORD '${reader.password}'`,
    `GRANT READ ON "${db}" TO "${reader.user}"`,
    ...iqlFiles.flatMap((f) => f.split("\n").filter((l) => l.trim() !== "")),
  ];
  for (const q of statements) {
    const r = await influxQuery(url, q, admin);
    assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.results[0].error, undefined, `${q}: ${r.body.results[0].error}`);
  }
}
