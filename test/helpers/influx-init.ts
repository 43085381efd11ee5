/**
 * Re-enacts what the influxdb image's init-influxdb.sh does on a new volume (reference cdktf-docker.md §6.1)
 * with the stack's environment, then runs the shipped *.iql files as admin.
 */
import assert from "node:assert/strict";
import { influxQuery } from "./clients.js";

export interface InfluxUsers {
  readonly db: string;
  readonly admin: { user: string; password: string };
  readonly writer: { user: string; password: string };
  readonly reader: { user: string; password: string };
}

export function usersFromEnv(env: readonly string[]): InfluxUsers {
  const vars = new Map(env.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string]));
  return {
    db: vars.get("INFLUXDB_DB")!,
    admin: { user: vars.get("INFLUXDB_ADMIN_USER")!, password: "admin-secret-1234" },
    writer: { user: vars.get("INFLUXDB_WRITE_USER")!, password: "flink-secret-1234" },
    reader: { user: vars.get("INFLUXDB_READ_USER")!, password: "grafana-secret-1234" },
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
