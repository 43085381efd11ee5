/**
 * Where a user reaches Grafana after a deploy: on the Docker host (a remote one for ssh:// and tcp://), at the
 * address the port is published on. IPv6 addresses go in brackets; a wildcard bind is reached by the host's name.
 */
const WILDCARD = new Set(["0.0.0.0", "::"]);
const LOOPBACK = /^(127\.|::1$)/;

/** The Docker host's name for a remote engine (ssh://user@host:22, tcp://host:2376), else undefined (local). */
export function remoteDockerHost(dockerHost: string): string | undefined {
  const m = /^(ssh|tcp):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/.exec(dockerHost);
  return m ? m[2]!.replace(/^\[|\]$/g, "") : undefined;
}

const inUrl = (host: string) => (host.includes(":") ? `[${host}]` : host);

export interface GrafanaAccess {
  /** The URL, valid on the machine that deploys (local engine or a published non-loopback address). */
  readonly url: string;
  /** How to reach it when the URL is only valid on a remote host's loopback. */
  readonly note?: string;
}

export function grafanaAccess(dockerHost: string, bindAddress: string, port: number): GrafanaAccess {
  const remote = remoteDockerHost(dockerHost);
  const host = WILDCARD.has(bindAddress) ? (remote ?? "localhost") : bindAddress;
  const url = `http://${inUrl(host)}:${port}`;
  if (remote && LOOPBACK.test(bindAddress)) {
    const ssh = /^ssh:\/\/([^@/]+@)?([^:/]+)(?::(\d+))?/.exec(dockerHost);
    const target = ssh ? `${ssh[3] ? `-p ${ssh[3]} ` : ""}${ssh[1] ?? ""}${ssh[2]}` : remote;
    return {
      url,
      note: `published on ${remote}'s loopback only: ssh -L ${port}:${inUrl(bindAddress)}:${port} ${target}, then open ${url}`,
    };
  }
  return { url };
}
