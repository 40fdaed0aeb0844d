#!/usr/bin/env bash
# wfc's cost against the compiler's own front end: wfc on a real translation unit (nlohmann/json
# and the runtime header included, a workflow with several steps) against `clang++ -fsyntax-only`
# on the same file with the same flags. Prints the median wall time of each and the ratio
# (target: at most 1.2). Not part of the test run.
# Usage: test/bench/wfc_bench.sh [build dir (default: build)] [repetitions (default: 7)]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
repetitions="${2:-7}"
wfc="$build/compiler/wfc"
clangxx="/usr/lib/llvm-19/bin/clang++"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$root/test/e2e/orders/orders.h" "$work/"
cat "$root/test/e2e/orders/flows.cpp" "$root/test/e2e/orders/steps.cpp" > "$work/tu.cpp"
flags=(-std=c++20 -I"$root/runtime/include" -I"$work")

median_ms() {  # command... : runs it $repetitions times, prints the median in ms
  local times=()
  for _ in $(seq "$repetitions"); do
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (repetitions + 1) / 2 ))p"
}

wfc_ms=$(median_ms "$wfc" "$work/tu.cpp" -o "$work/out.cpp" -- "${flags[@]}")
clang_ms=$(median_ms "$clangxx" -fsyntax-only "${flags[@]}" "$work/tu.cpp")
lines=$("$clangxx" -E "${flags[@]}" "$work/tu.cpp" | wc -l)
echo "translation unit: $(wc -l < "$work/tu.cpp") lines of source, $lines lines after preprocessing"
echo "clang++ -fsyntax-only   median ${clang_ms} ms over $repetitions runs"
echo "wfc (parse+check+write) median ${wfc_ms} ms over $repetitions runs"
awk -v w="$wfc_ms" -v c="$clang_ms" 'BEGIN { printf "ratio wfc / clang++ -fsyntax-only: %.2f (target <= 1.2)\n", w / c }'
