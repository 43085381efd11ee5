/**
 * Where a user reaches Grafana after a deploy: on the Docker host (a remote one for ssh:// and tcp://), at the
 * address the port is published on. IPv6 addresses go in brackets; a wildcard bind is reached by the host's name.
 */
const WILDCARD = new Set(["0.0.0.0", "::"]);
const LOOPBACK = /^(127\.|::1$)/;

interface RemoteEngine {
  /** Host name or address, without brackets. */
  readonly host: string;
  /** What `ssh` is given to reach it (ssh:// only): "-p 2222 ops@host". */
  readonly sshTarget?: string;
  /** The same as arguments (ssh:// only): ["-p", "2222", "ops@host"]. */
  readonly sshArgs?: readonly string[];
}

/** The engine's host for ssh:// and tcp:// (undefined for a local socket, or a URL that does not parse). */
export function remoteEngine(dockerHost: string): RemoteEngine | undefined {
  let url: URL;
  try {
    url = new URL(dockerHost);
  } catch {
    return undefined; // docker.host is validated by the schema; the output then falls back to the bind address
  }
  if (url.protocol !== "ssh:" && url.protocol !== "tcp:") return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (url.protocol === "tcp:") return { host };
  const user = url.username ? `${decodeURIComponent(url.username)}@` : "";
  // ssh takes an IPv6 address without brackets (user@2001:db8::5).
  const sshArgs = [...(url.port ? ["-p", url.port] : []), `${user}${host}`];
  return { host, sshTarget: sshArgs.join(" "), sshArgs };
}

const inUrl = (host: string) => (host.includes(":") ? `[${host}]` : host);

export interface GrafanaAccess {
  /** The URL, valid on the machine that deploys (local engine or a published non-loopback address). */
  readonly url: string;
  /** How to reach it when the URL is only valid on a remote host's loopback. */
  readonly note?: string;
}

export function grafanaAccess(dockerHost: string, bindAddress: string, port: number): GrafanaAccess {
  const remote = remoteEngine(dockerHost);
  const host = WILDCARD.has(bindAddress) ? (remote?.host ?? "localhost") : bindAddress;
  const url = `http://${inUrl(host)}:${port}`;
  if (!remote || !LOOPBACK.test(bindAddress)) return { url };
  const reach = remote.sshTarget
    ? `ssh -L ${port}:${inUrl(bindAddress)}:${port} ${remote.sshTarget}, then open ${url}`
    : `open a tunnel to port ${port} there`;
  return { url, note: `published on ${remote.host}'s loopback only: ${reach}` };
}
