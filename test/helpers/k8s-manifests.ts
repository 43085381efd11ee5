/**
 * Turns the kubernetes provider's resources in cdk.tf.json (Terraform's snake_case blocks) back into Kubernetes
 * manifests, so they can be validated against the Kubernetes schemas (kubernetes-models).
 */
const PLURAL: Record<string, string> = {
  container: "containers",
  port: "ports",
  volume: "volumes",
  volume_mount: "volumeMounts",
  env: "env",
};
const OPAQUE = new Set(["labels", "annotations", "data", "match_labels", "selector_map"]);
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function convert(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => convert(v));
  if (value === null || typeof value !== "object") return value;
  if (OPAQUE.has(key)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      (Array.isArray(v) && PLURAL[k]) || camel(k),
      convert(v, k),
    ]),
  );
}

const KINDS: Record<string, { apiVersion: string; kind: string }> = {
  kubernetes_config_map_v1: { apiVersion: "v1", kind: "ConfigMap" },
  kubernetes_secret_v1: { apiVersion: "v1", kind: "Secret" },
  kubernetes_namespace_v1: { apiVersion: "v1", kind: "Namespace" },
  kubernetes_service_v1: { apiVersion: "v1", kind: "Service" },
  kubernetes_deployment_v1: { apiVersion: "apps/v1", kind: "Deployment" },
};

export interface ConvertedManifest {
  readonly address: string;
  readonly manifest: Record<string, any>;
}

/** Every kubernetes_* resource of a synthesized stack as a manifest (kubernetes_manifest objects as they are). */
export function manifestsOf(stack: any): ConvertedManifest[] {
  const out: ConvertedManifest[] = [];
  for (const [type, byName] of Object.entries<Record<string, any>>(stack.resource ?? {})) {
    for (const [name, resource] of Object.entries(byName)) {
      const { "//": _meta, depends_on: _deps, ...body } = resource;
      if (type === "kubernetes_manifest") {
        out.push({ address: `${type}.${name}`, manifest: body.manifest });
        continue;
      }
      const kind = KINDS[type];
      if (!kind) continue;
      const manifest: Record<string, any> = { ...kind, ...(convert(body) as Record<string, any>) };
      if (manifest.kind === "Service") manifest.spec.selector = body.spec.selector;
      if (manifest.kind === "Deployment") manifest.spec.replicas = Number(body.spec.replicas);
      // Secret data in Terraform is plain text (the provider encodes it); Kubernetes wants base64 in data.
      if (manifest.kind === "Secret") {
        manifest.stringData = manifest.data;
        delete manifest.data;
      }
      out.push({ address: `${type}.${name}`, manifest });
    }
  }
  return out;
}
