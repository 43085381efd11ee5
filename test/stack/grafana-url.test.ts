import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { grafanaAccess, remoteEngine } from "../../stacks/grafana-url.js";

describe("grafana_url", () => {
  it("names the remote engine's host for ssh:// and tcp://, nothing for a local socket", () => {
    assert.equal(remoteEngine("ssh://ops@monitor.example.com")?.host, "monitor.example.com");
    assert.equal(remoteEngine("ssh://ops@monitor.example.com:2222")?.sshTarget, "-p 2222 ops@monitor.example.com");
    assert.deepEqual(remoteEngine("ssh://ops@monitor.example.com:2222")?.sshArgs, [
      "-p",
      "2222",
      "ops@monitor.example.com",
    ]);
    // ssh takes an IPv6 address without brackets.
    assert.deepEqual(remoteEngine("ssh://ops@[2001:db8::5]:2222")?.sshArgs, ["-p", "2222", "ops@2001:db8::5"]);
    assert.deepEqual(remoteEngine("tcp://[2001:db8::5]:2376"), { host: "2001:db8::5" });
    assert.equal(remoteEngine("unix:///var/run/docker.sock"), undefined);
    assert.equal(remoteEngine("ssh://[::1"), undefined, "a URL that does not parse is no remote (no stack trace)");
  });

  it("is the bind address on a local engine, IPv6 in brackets", () => {
    assert.deepEqual(grafanaAccess("unix:///var/run/docker.sock", "127.0.0.1", 3000), { url: "http://127.0.0.1:3000" });
    assert.deepEqual(grafanaAccess("unix:///var/run/docker.sock", "::1", 3000), { url: "http://[::1]:3000" });
    assert.deepEqual(grafanaAccess("unix:///var/run/docker.sock", "0.0.0.0", 3000), { url: "http://localhost:3000" });
  });

  it("is the remote host for a wildcard bind, and says how to tunnel to a remote loopback", () => {
    assert.deepEqual(grafanaAccess("ssh://ops@monitor.example.com", "0.0.0.0", 3000), {
      url: "http://monitor.example.com:3000",
    });
    assert.deepEqual(grafanaAccess("tcp://[2001:db8::5]:2376", "::", 3000), { url: "http://[2001:db8::5]:3000" });
    const tunnel = grafanaAccess("ssh://ops@monitor.example.com", "127.0.0.1", 3000);
    assert.equal(tunnel.url, "http://127.0.0.1:3000");
    assert.match(tunnel.note!, /ssh -L 3000:127\.0\.0\.1:3000 ops@monitor\.example\.com,/);
    const port = grafanaAccess("ssh://ops@monitor.example.com:2222", "127.0.0.1", 3000);
    assert.match(port.note!, /ssh -L 3000:127\.0\.0\.1:3000 -p 2222 ops@monitor\.example\.com,/);
  });
});
