#!/usr/bin/env bash
# The first README command: installs what is missing, builds everything, runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dependencies.sh
install_missing_packages
configure_and_build build
cd build && ./examples/durable-demo/durable_demo
