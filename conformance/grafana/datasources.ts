/** Data source provisioning (pkg/services/provisioning/datasources/config_reader.go). */
import { UID_MAX_LENGTH, UID_PATTERN } from "./facts.js";
import type { Finding, GrafanaInstance } from "./instance.js";
import { list, str, type Doc } from "./yaml-doc.js";

export interface KnownDatasource {
  readonly uid: string;
  readonly type: string;
  readonly name: string;
}

/** The uid rule shared by every kind of object (pkg/util/shortid_generator.go: IsValidShortUID, IsShortUIDTooLong). */
export function uidProblem(uid: string): string | undefined {
  if (uid.length > UID_MAX_LENGTH) return `is ${uid.length} characters long; Grafana allows at most ${UID_MAX_LENGTH}`;
  if (!UID_PATTERN.test(uid)) return "has characters outside [a-zA-Z0-9_-]";
  return undefined;
}

export function checkDatasources(
  files: ReadonlyMap<string, Doc>,
  instance: GrafanaInstance,
  findings: Finding[],
): KnownDatasource[] {
  const known: KnownDatasource[] = (instance.extraDatasources ?? []).map((d) => ({ ...d, name: d.uid }));
  for (const [file, doc] of files) {
    let defaults = 0;
    for (const [i, ds] of list(doc.datasources).entries()) {
      const name = str(ds.name);
      const where = `datasources[${i}]${name ? ` "${name}"` : ""}`;
      const add = (rule: string, message: string) => findings.push({ file, rule, message: `${where}: ${message}` });
      if (!name) add("datasource-name", "has no name");
      if (!str(ds.type)) add("datasource-type", "has no type");
      const uid = str(ds.uid);
      const bad = uid ? uidProblem(uid) : undefined;
      if (bad) add("datasource-uid", `uid "${uid}" ${bad}`);
      if (uid && known.some((k) => k.uid === uid))
        add("datasource-uid-unique", `uid "${uid}" is used by another data source`);
      if (name && known.some((k) => k.name === name))
        add("datasource-name-unique", `name "${name}" is used by another data source`);
      // config_reader.go validateDefaultUniqueness: "Only one datasource per organization can be marked as default"
      if (ds.isDefault === true && ++defaults > 1)
        add("datasource-default", "is a second default data source; Grafana allows one per organization");
      known.push({ uid, type: str(ds.type), name });
    }
  }
  return known;
}
