/**
 * One monitoring service on a Docker host: its image, its named data volume and its container. Construct ids
 * here are Terraform addresses (docker_container.<service>): renaming one destroys the resource, so they are
 * fixed with overrideLogicalId and a test pins them.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { Image } from "@cdktf/provider-docker/lib/image/index.js";
import { Volume } from "@cdktf/provider-docker/lib/volume/index.js";
import { Container } from "@cdktf/provider-docker/lib/container/index.js";
import type { Network } from "@cdktf/provider-docker/lib/network/index.js";
import type { ServiceName } from "./images.js";

export interface UploadedFile {
  /** Absolute path inside the container. */
  readonly file: string;
  readonly content: string;
}

/** A file whose content is a sensitive Terraform variable, written when Terraform applies (never into cdk.tf.json). */
export interface UploadedSecret {
  /** Absolute path inside the container. */
  readonly file: string;
  /** The variable's value as a Terraform reference (Secrets.ref). */
  readonly value: string;
}

export interface ServiceContainerProps {
  readonly service: ServiceName;
  /** Image reference, pinned (see images.ts). */
  readonly image: string;
  readonly network: Network;
  /** Prefix of container, volume and network names. */
  readonly namePrefix: string;
  /** Port the service listens on inside the container; published on the same port number. */
  readonly port: number;
  /**
   * Host port to publish on.
   * @default the same as `port`
   */
  readonly hostPort?: number;
  /** Address the published port binds to. */
  readonly bindAddress: string;
  /** The image's own data path; the named volume is mounted there so Docker seeds its ownership. */
  readonly dataPath: string;
  /** Health check command (exec form, without "CMD"). */
  readonly healthcheck: readonly string[];
  /**
   * Memory limit in MB.
   * @default 512
   */
  readonly memoryMb?: number;
  /**
   * Container command (replaces the image's CMD entirely).
   * @default the image's CMD
   */
  readonly command?: readonly string[];
  /**
   * Environment, "KEY=VALUE"; values may be Terraform references to sensitive variables.
   * @default []
   */
  readonly env?: readonly string[];
  /**
   * Files copied into the container before it starts; a change replaces the container (never the volume).
   * @default []
   */
  readonly uploads?: readonly UploadedFile[];
  /**
   * Secret files copied into the container before it starts (a changed value replaces the container).
   * @default []
   */
  readonly secretUploads?: readonly UploadedSecret[];
  /**
   * Extra /etc/hosts entries, e.g. host.docker.internal → host-gateway.
   * @default []
   */
  readonly extraHosts?: readonly { host: string; ip: string }[];
  /**
   * Keep the volume when Terraform would destroy it (prevent_destroy).
   * @default true
   */
  readonly protectVolume?: boolean;
}

const DEFAULT_MEMORY_MB = 512;
/** Seconds between SIGTERM and SIGKILL when Terraform stops a container (Docker's own default is 10). */
const STOP_GRACE_SECONDS = 30;

export class ServiceContainer extends Construct {
  readonly image: Image;
  readonly volume: Volume;
  readonly container: Container;

  constructor(scope: Construct, props: ServiceContainerProps) {
    super(scope, props.service);
    const name = `${props.namePrefix}-${props.service}`;
    const memory = props.memoryMb ?? DEFAULT_MEMORY_MB;

    this.image = new Image(this, "image", { name: props.image, keepLocally: true });
    this.image.overrideLogicalId(`${props.service}_image`);

    this.volume = new Volume(this, "data", {
      name: `${name}-data`,
      labels: [{ label: "flinkmon.data", value: props.service }],
      lifecycle: { preventDestroy: props.protectVolume ?? true },
    });
    this.volume.overrideLogicalId(`${props.service}_data`);

    this.container = new Container(this, "container", {
      name,
      image: this.image.imageId,
      command: props.command ? [...props.command] : undefined,
      env: props.env && props.env.length > 0 ? [...props.env] : undefined,
      restart: "unless-stopped",
      mustRun: true,
      memory,
      // Docker sets the swap limit to twice the memory when it is not given, and the provider reads that back as a
      // change on every plan. Equal to the memory limit: no swap (a monitoring server that swaps answers too late).
      memorySwap: memory,
      // The provider stops a container with a timeout of 0 unless told otherwise: SIGKILL right after SIGTERM, so
      // the Pushgateway never writes its persistence file and Prometheus never closes its TSDB (seen on a real
      // destroy). Each server gets time to shut down cleanly, on destroy and on replacement.
      destroyGraceSeconds: STOP_GRACE_SECONDS,
      // No process in the container may gain privileges (setuid binaries) it did not start with.
      securityOpts: ["no-new-privileges:true"],
      logDriver: "json-file",
      logOpts: { "max-size": "10m", "max-file": "3" },
      healthcheck: {
        test: ["CMD", ...props.healthcheck],
        interval: "15s",
        timeout: "5s",
        retries: 5,
        startPeriod: "20s",
      },
      ports: [{ internal: props.port, external: props.hostPort ?? props.port, ip: props.bindAddress }],
      networksAdvanced: [{ name: props.network.name, aliases: [props.service] }],
      volumes: [{ volumeName: this.volume.name, containerPath: props.dataPath }],
      host: props.extraHosts ? [...props.extraHosts] : undefined,
      // Base64 keeps Terraform from reading "${...}" in dashboards and rules as template syntax.
      upload: [
        ...(props.uploads ?? []).map((u) => ({
          file: u.file,
          contentBase64: Buffer.from(u.content, "utf8").toString("base64"),
        })),
        ...(props.secretUploads ?? []).map((u) => ({
          file: u.file,
          contentBase64: Fn.base64encode(u.value),
        })),
      ],
    });
    this.container.overrideLogicalId(props.service);
  }
}
