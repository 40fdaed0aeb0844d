#!/usr/bin/env bash
# Builds a sanitizer tree and runs its suites (docs/testing-internals.md, "Sanitizers"):
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer (and LeakSanitizer): runtime, operator
#         and crash suites (CTest labels runtime, ops, crash)
#   tsan  ThreadSanitizer: the engine suites (label runtime)
# Usage: scripts/sanitizers.sh asan|tsan WFC TREE
#   WFC   an existing wfc (the main build's compiler/wfc): the tree builds no compiler
#   TREE  the tree's build directory, configured here on first use
# The main build registers this as the CTest tests sanitizer.asan and sanitizer.tsan
# (test/sanitizers/CMakeLists.txt), which also set the *SAN_OPTIONS; run it alone with them set.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 3 ]; then
  echo "usage: $0 asan|tsan WFC TREE" >&2
  exit 2
fi
kind="$1" wfc="$2" tree="$3"
case "$kind" in
  asan)
    sanitize=address,undefined
    labels='^(runtime|ops|crash)$'
    # The operator suites run the tools against the examples' workers.
    options=(-DWORKFLOW_BUILD_TOOLS=ON -DWORKFLOW_BUILD_EXAMPLES=ON)
    run=() ;;
  tsan)
    sanitize=thread
    labels='^runtime$'
    options=(-DWORKFLOW_BUILD_TOOLS=OFF -DWORKFLOW_BUILD_EXAMPLES=OFF)
    # GCC 12's TSan runtime cannot map its shadow memory under the address-space randomization of
    # newer kernels (vm.mmap_rnd_bits > 28: "unexpected memory mapping"); without it, it can.
    # Where a seccomp policy forbids turning it off, the tests run with it.
    run=()
    if setarch "$(uname -m)" --addr-no-randomize true 2>/dev/null; then
      run=(setarch "$(uname -m)" --addr-no-randomize)
    fi ;;
  *)
    echo "$0: unknown sanitizer tree '$kind' (asan or tsan)" >&2
    exit 2 ;;
esac
if [ ! -x "$wfc" ]; then
  echo "$0: '$wfc' is not an executable wfc; build the main tree first" >&2
  exit 2
fi

# Configured every time (a few seconds): the wfc path or the options may have changed.
cmake -S . -B "$tree" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWORKFLOW_SANITIZE="$sanitize" \
  -DWORKFLOW_BUILD_COMPILER=OFF -DWORKFLOW_WFC_EXECUTABLE="$wfc" -DWORKFLOW_BUILD_BENCHMARKS=OFF \
  -DWORKFLOW_TEST_SANITIZERS=OFF "${options[@]}" >/dev/null
start=$SECONDS
cmake --build "$tree" -j "$(nproc)"
echo "sanitizers: $kind tree built in $((SECONDS - start)) s"
# Reports go to files, so that those of processes whose exit status no test checks (the workers
# and servers the operator and crash suites start and stop) fail the run too.
reports="$tree/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
for variable in ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS; do
  if [ -n "${!variable:-}" ]; then
    export "$variable=${!variable}:log_path=$reports/${variable%%_*}"
  fi
done
start=$SECONDS
status=0
"${run[@]}" ctest --test-dir "$tree" -L "$labels" --output-on-failure -j 2 || status=$?
echo "sanitizers: $kind suites ran in $((SECONDS - start)) s"
# Not every file is a report: LeakSanitizer notes there that it could not stop a thread that was
# exiting, and goes on.
findings=$(grep -lE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|WARNING: ThreadSanitizer" \
  "$reports"/* 2>/dev/null || true)
for report in $findings; do
  echo "sanitizers: finding in $report:"
  cat "$report"
  status=1
done
exit $status
