#!/usr/bin/env bash
# The second README command: builds (installing what is missing) and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/dependencies.sh
install_missing_packages
configure_and_build build
scripts/fuzz.sh build  # the clang tree whose fuzz targets the fuzz.* tests run (docs/fuzzing.md)
ctest --test-dir build --output-on-failure -j 2
