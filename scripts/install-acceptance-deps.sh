#!/usr/bin/env bash
# Tools the acceptance suite needs besides npm packages: a JDK 17 (Flink 1.18 to 2.x), Go and Cargo (the pinned
# servers are built from source), python3 with pip (Flink's distribution comes from PyPI), unzip and envsubst
# (installing Flink's files as the README tells users), Debian's docker.io and busybox-static (the deploy suite),
# iproute2 and openssh-client (the ssh:// deploy test).
# Installs the Debian packages that are missing.
set -euo pipefail
# terraform: the deploy suite runs Terraform itself (1.11.4 at /usr/local/bin on these machines; no registry here).
command -v terraform >/dev/null 2>&1 || { echo "acceptance deps: terraform is missing (Terraform >= 1.7 on PATH; the deploy suite runs it)" >&2; exit 2; }
for tool in java javac jar go cargo python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "acceptance deps: $tool is missing (JDK 17, Go 1.23+, Rust and python3 come with the machine)" >&2; exit 2; }
done
need=()
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v envsubst >/dev/null 2>&1 || need+=(gettext-base)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
# The deploy suite: a Docker engine of its own (dockerd, containerd, runc) and static busybox for the stand-in images.
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
# The ssh:// deploy test: a network namespace (ip, nsenter) and the ssh client; its sshd is unpacked, not installed.
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v nsenter >/dev/null 2>&1 || need+=(util-linux)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "acceptance deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
java -version 2>&1 | grep -q '"17\.' || echo "acceptance deps: note: java is not 17; Flink 1.18 to 2.x run on 11 or 17" >&2
