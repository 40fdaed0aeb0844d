#!/usr/bin/env bash
# Load on `wf serve` from wrk (Debian's package, installed if missing) over loopback:
#   GET /api/runs/<id>  for a completed report run (5 steps, a 9-chunk stream): requests/s, latency
#   POST /api/runs      starting report runs (each a durable commit): runs started/s, latency
# The server and wrk share the machine's cores. Not part of the test run.
# Usage: test/bench/http_bench.sh [build dir (default: build)] [seconds per load (default: 10)]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
seconds="${2:-10}"
if ! command -v wrk >/dev/null; then
  apt-get install -y -qq wrk >/dev/null || sudo apt-get install -y -qq wrk >/dev/null
fi
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export WORKFLOW_DATABASE="$work/journal.db"
cd "$work"

# One finished report to read; its run also registers the workflow that POST starts.
run_id=$("$build/examples/report-generation/report" start emea apac)
"$build/examples/report-generation/report" result "$run_id" >/dev/null
workflow=$("$build/runtime/ops/wf" --json workflows list | python3 -c 'import json,sys; print(json.load(sys.stdin)["workflows"][0]["id"])')

"$build/runtime/ops/wf" serve --listen 127.0.0.1:0 > serve.log &
server=$!
for _ in $(seq 100); do grep -q listening serve.log && break; sleep 0.05; done
url=$(sed -n 's|.*listening on \(http://[0-9.:]*\)/.*|\1|p' serve.log)

cat > start.lua <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"workflow": "$workflow", "args": [["bench"]]}'
LUA

echo "== GET /api/runs/$run_id (${seconds}s, 2 threads, 16 connections)"
wrk -t2 -c16 -d"${seconds}s" --latency "$url/api/runs/$run_id" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
echo "== POST /api/runs (${seconds}s, 2 threads, 16 connections)"
wrk -t2 -c16 -d"${seconds}s" --latency -s start.lua "$url/api/runs" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx"
echo "runs in the journal: $("$build/runtime/ops/wf" --json runs list --limit 1000 --status pending | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["runs"]))') pending (first 1000 counted)"
