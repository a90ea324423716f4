#!/usr/bin/env bash
# Installs the Debian 12 packages the workbench builds and runs with, skipping what is present.
set -euo pipefail
pkgs=(cmake g++ make ccache qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite libtorch-dev libfaiss-dev
      qt6-svg-dev libqcustomplot-dev libqcustomplot2.1-qt6 libsqlite3-dev nlohmann-json3-dev libcli11-dev libutf8proc-dev libopenblas0-pthread libgloo-dev
      python3 python3-pip python3-venv python3-yaml xvfb xauth imagemagick curl unzip clang-format git poppler-utils
      slurm-wlm munge)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
