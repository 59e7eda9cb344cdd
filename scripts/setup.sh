#!/usr/bin/env bash
# Install the system packages verify needs (Debian/Ubuntu; run as root or with sudo).
set -euo pipefail
need=()
command -v pkg-config >/dev/null || need+=(pkg-config)
[ -f /usr/include/z3.h ] || need+=(libz3-dev)
command -v iverilog >/dev/null || need+=(iverilog)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
