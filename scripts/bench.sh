#!/usr/bin/env bash
# A first benchmark: generates a synthetic workspace and times segmark on it.
# Usage: scripts/bench.sh [contacts] [segments] [entries]   (default: size S, 10000 50 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}; SEG=${2:-50}; ENT=${3:-100000}
BIN=$PWD/.build/release/segmark
WS=$(mktemp -d /tmp/segmark-bench.XXXXXX)
trap 'rm -rf "$WS"' EXIT
python3 ../shared/tools/gen-workspace.py "$WS" --contacts "$N" --segments "$SEG" --entries "$ENT" >/dev/null
run() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WS/.time" "$@" >/dev/null 2>&1 || true
  read -r secs kb < "$WS/.time"
  printf '%-28s %8s s %8d MB\n' "$label" "$secs" "$((kb / 1024))"
}
echo "segmark on $N contacts, $SEG segments, $ENT entries ($(nproc) cores)"
run "check" "$BIN" check --root "$WS"
run "members SM10001" "$BIN" members SM10001 --root "$WS"
run "build (cold, html+md)" "$BIN" build --root "$WS"
run "build (no change)" "$BIN" build --root "$WS"
sed -i 's/^name: .*/name: "Changed name"/' "$WS/Content/contacts/CT000002.md"
run "build (one contact changed)" "$BIN" build --root "$WS"
