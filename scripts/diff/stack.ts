/**
 * Stack changes from the synthesized cdk.tf.json, with the consequence Terraform will draw: which containers are
 * replaced (any ForceNew attribute of kreuzwerker/docker 3.6.2) and, loudly, which data volumes are destroyed.
 */
import { createHash } from "node:crypto";
import { arrow, keySplit, same, type Change } from "./model.js";

type Json = Record<string, any>;

/** Updated in place by the provider; every other container attribute replaces the container. */
const IN_PLACE = new Set(["memory", "restart", "memory_swap", "cpu_shares", "cpu_set", "max_retry_count"]);

function resources(stack: Json | null, type: string): Record<string, Json> {
  return (stack?.resource?.[type] ?? {}) as Record<string, Json>;
}

/** `${docker_image.x.image_id}` → the image name; `${docker_volume.x.name}` → the volume name. */
function resolver(stack: Json | null): (value: unknown) => unknown {
  return (value) => {
    if (typeof value !== "string") return value;
    return value.replace(
      /\$\{docker_(image|volume|network)\.(\w+)\.(?:image_id|name)\}/g,
      (_, type: string, name: string) => resources(stack, `docker_${type}`)[name]?.name ?? `${type}.${name}`,
    );
  };
}

/** A container as a reviewer reads it: names resolved, env as names, uploads as content hashes. */
function view(container: Json, resolve: (v: unknown) => unknown): Record<string, unknown> {
  const { "//": _meta, env, upload, ports, volumes, image, networks_advanced, ...rest } = container;
  return {
    ...rest,
    image: resolve(image),
    ports: (ports ?? []).map((p: Json) => `${p.ip ?? "0.0.0.0"}:${p.external ?? "?"}→${p.internal}`),
    volumes: (volumes ?? []).map((v: Json) => `${resolve(v.volume_name)}:${v.container_path}`),
    networks_advanced: (networks_advanced ?? []).map((n: Json) => resolve(n.name)),
    env: Object.fromEntries(
      (env ?? []).map((e: string) => [e.split("=")[0], createHash("sha256").update(e).digest("hex").slice(0, 12)]),
    ),
    upload: Object.fromEntries(
      (upload ?? []).map((u: Json) => [
        u.file,
        createHash("sha256")
          .update(String(u.content_base64 ?? u.content))
          .digest("hex")
          .slice(0, 12),
      ]),
    ),
  };
}

function containerDetails(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): { details: string[]; replaced: boolean } {
  const details: string[] = [];
  let replaced = false;
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (same(a[key], b[key])) continue;
    if (!IN_PLACE.has(key)) replaced = true;
    if (key === "env") {
      const ea = a.env as Record<string, string>;
      const eb = b.env as Record<string, string>;
      const s = keySplit(ea, eb);
      details.push(
        `environment: ${[...s.added.map((k) => `+${k}`), ...s.removed.map((k) => `-${k}`), ...s.common.filter((k) => ea[k] !== eb[k]).map((k) => `${k} changed`)].join(", ")}`,
      );
    } else if (key === "upload") {
      const ua = a.upload as Record<string, string>;
      const ub = b.upload as Record<string, string>;
      const s = keySplit(ua, ub);
      details.push(
        `files: ${[...s.added.map((k) => `+${k}`), ...s.removed.map((k) => `-${k}`), ...s.common.filter((k) => ua[k] !== ub[k]).map((k) => `${k} changed`)].join(", ")}`,
      );
    } else {
      details.push(`${key} ${arrow(a[key], b[key])}`);
    }
  }
  return { details, replaced };
}

export function stackChanges(before: Json | null, after: Json | null): Change[] {
  if (!before && !after) return [];
  const changes: Change[] = [];
  const ra = resolver(before);
  const rb = resolver(after);

  const ca = resources(before, "docker_container");
  const cb = resources(after, "docker_container");
  const cs = keySplit(ca, cb);
  for (const n of cs.added)
    changes.push({
      area: "stack",
      subject: `container ${cb[n]!.name}`,
      kind: "added",
      details: [`image \`${rb(cb[n]!.image)}\``],
      level: "info",
    });
  for (const n of cs.removed)
    changes.push({
      area: "stack",
      subject: `container ${ca[n]!.name}`,
      kind: "removed",
      details: ["destroyed"],
      level: "warning",
    });
  for (const n of cs.common) {
    const { details, replaced } = containerDetails(view(ca[n]!, ra), view(cb[n]!, rb));
    if (details.length === 0) continue;
    const consequence = replaced ? "Terraform replaces this container (its data volume is kept)" : "updated in place";
    changes.push({
      area: "stack",
      subject: `container ${cb[n]!.name}`,
      kind: "changed",
      details: [...details, consequence],
      level: replaced ? "warning" : "info",
    });
  }

  const va = resources(before, "docker_volume");
  const vb = resources(after, "docker_volume");
  const vs = keySplit(va, vb);
  const protectedNote = (v: Json) =>
    v.lifecycle?.prevent_destroy
      ? " (prevent_destroy is set: the apply will stop until you move or back up the data)"
      : "";
  for (const n of vs.added)
    changes.push({
      area: "stack",
      subject: `volume ${vb[n]!.name}`,
      kind: "added",
      details: ["new, empty data volume"],
      level: "info",
    });
  for (const n of vs.removed) {
    changes.push({
      area: "stack",
      subject: `volume ${va[n]!.name}`,
      kind: "removed",
      details: [`⚠️ DATA VOLUME WOULD BE DESTROYED: docker_volume.${n}${protectedNote(va[n]!)}`],
      level: "danger",
    });
  }
  for (const n of vs.common) {
    if (va[n]!.name !== vb[n]!.name) {
      changes.push({
        area: "stack",
        subject: `volume ${va[n]!.name}`,
        kind: "changed",
        level: "danger",
        details: [
          `name ${arrow(va[n]!.name, vb[n]!.name)}`,
          `⚠️ DATA VOLUME WOULD BE DESTROYED and recreated empty: docker_volume.${n}${protectedNote(va[n]!)}`,
        ],
      });
    } else if (!same(va[n], vb[n])) {
      changes.push({
        area: "stack",
        subject: `volume ${vb[n]!.name}`,
        kind: "changed",
        details: ["labels or lifecycle changed"],
        level: "info",
      });
    }
  }

  const ia = resources(before, "docker_image");
  const ib = resources(after, "docker_image");
  for (const n of Object.keys(ib).filter((k) => k in ia && ia[k]!.name !== ib[k]!.name)) {
    changes.push({
      area: "stack",
      subject: `image ${n}`,
      kind: "changed",
      details: [`image ${arrow(ia[n]!.name, ib[n]!.name)}`],
      level: "info",
    });
  }
  const varsA = Object.keys(before?.variable ?? {});
  const varsB = Object.keys(after?.variable ?? {});
  const newVars = varsB.filter((v) => !varsA.includes(v));
  if (newVars.length > 0)
    changes.push({
      area: "stack",
      subject: "variables",
      kind: "added",
      details: newVars.map((v) => `set TF_VAR_${v} before deploying`),
      level: "info",
    });
  return changes;
}
