#!/usr/bin/env bash
# Installs the Debian 12 packages workflow-cpp needs, only those missing. Sourced by setup.sh and
# test.sh; safe to run again (it does nothing when everything is there).
set -euo pipefail

WORKFLOW_PACKAGES=(
  cmake ninja-build g++ python3
  clang-19 libclang-19-dev llvm-19-dev llvm-19-tools libclang-rt-19-dev
  nlohmann-json3-dev libsqlite3-dev libpq-dev postgresql zlib1g-dev
  libhowardhinnant-date-dev tzdata prometheus-cpp-dev python3-prometheus-client
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libmicrohttpd-dev
  libssl-dev curl
  chromium
)

install_missing_packages() {
  local missing=()
  for package in "${WORKFLOW_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  # The dashboard's browser test runs on Node.js. Machines may have it from elsewhere (with its own
  # npm): only without any node does Debian's pair come in.
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing+=(nodejs npm)
  fi
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "workflow-cpp: installing missing packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

configure_and_build() {
  local build_dir="$1"
  if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
  fi
  cmake --build "$build_dir" -j "$(nproc)"
}
