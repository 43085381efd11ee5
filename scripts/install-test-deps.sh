#!/usr/bin/env bash
# Installs the real servers the tests run against (Debian packages): Prometheus with promtool, the
# Pushgateway and InfluxDB 1.x. Skips what is already installed; needs root or sudo for apt-get.
set -euo pipefail
need=()
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-pushgateway >/dev/null 2>&1 || need+=(prometheus-pushgateway)
command -v influxd >/dev/null 2>&1 || need+=(influxdb)
if [ ${#need[@]} -eq 0 ]; then
  echo "test deps: prometheus, pushgateway and influxd already installed"
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "test deps: need root or sudo to apt-get install ${need[*]}" >&2; exit 2; }
  sudo="sudo"
fi
echo "test deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# --no-install-recommends keeps it small; the packages' services are never started (tests start their own).
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
