#!/usr/bin/env bash
# `make bench`: Segmark beside Hugo on generated workspaces (issue #7).
#
#   scripts/bench.sh                 sizes S (3 runs a case) and L (1 run a case; about an hour)
#   BENCH_SIZES="S" RUNS=5 scripts/bench.sh
#   BENCH_SIZES="XS" RUNS=1 BENCH_WRITE=0 BENCH_HUGO=0 scripts/bench.sh   # smoke run (1k contacts)
#
# Sizes: XS 1k contacts/10 segments/10k entries, S 10k/50/100k, L 100k/200/1M.
# Each case runs RUNS times; the table shows median, min and max wall time and the peak
# memory (max RSS from /usr/bin/time). The measured block of BENCHMARKS.md is rewritten
# unless BENCH_WRITE=0.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
BIN=$REPO/.build/release/segmark
SIZES=${BENCH_SIZES:-S L}
RUNS_FIXED=${RUNS:-}
WRITE=${BENCH_WRITE:-1}
WORK=${BENCH_DIR:-/tmp/segmark-bench}
GEN=$REPO/../shared/tools/gen-workspace.py
[ -f "$GEN" ] || GEN=$REPO/Tests/Fixtures/tools/gen-workspace.py
mkdir -p "$WORK"

if [ "${BENCH_HUGO:-1}" = 1 ] && ! command -v hugo >/dev/null; then
  echo "installing Debian's hugo for the comparison"
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq hugo >/dev/null || echo "hugo not available; its rows are left out"
fi
HUGO=$([ "${BENCH_HUGO:-1}" = 1 ] && command -v hugo || true)

RESULTS=$WORK/results.md
: > "$RESULTS"

# measure LABEL SETUP-COMMAND -- COMMAND...: runs SETUP then COMMAND, RUNS times.
measure() {
  local label=$1 setup=$2; shift 3
  local times=() mems=()
  for _ in $(seq "$RUNS"); do
    eval "$setup"
    /usr/bin/time -f "%e %M" -o "$WORK/.time" "$@" >/dev/null 2>"$WORK/.err" || { echo "FAILED: $label"; cat "$WORK/.err"; exit 1; }
    read -r secs kb < "$WORK/.time"
    times+=("$secs"); mems+=("$kb")
  done
  local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  local min max median peak
  min=$(echo "$sorted" | sed -n 1p); max=$(echo "$sorted" | sed -n '$p')
  median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
  peak=$(printf '%s\n' "${mems[@]}" | sort -g | sed -n '$p')
  printf '| %-44s | %8s | %8s | %8s | %7d |\n' "$label" "$median" "$min" "$max" "$((peak / 1024))" | tee -a "$RESULTS"
  echo "$median" > "$WORK/.last"
}

# aside PATH: moves PATH out of the way (to PATH.used-N), for a run that must start without
# it; everything moved aside is deleted once nothing more is measured. A cold build, Hugo and
# an import each write into a new, empty folder so: creating files on ext4 right after
# deleting as many makes the kernel search the freed inodes for each new one (a cold build
# at S took 20.3 s right after `rm -rf Output`, 8.0 s without; BENCHMARKS.md, round 10).
aside() { [ ! -e "$1" ] || mv "$1" "$1.used-$RANDOM$RANDOM"; }

for size in $SIZES; do
  case $size in
    XS) N=1000; SEG=10; ENT=10000 ;;
    S) N=10000; SEG=50; ENT=100000 ;;
    L) N=100000; SEG=200; ENT=1000000 ;;
    *) echo "unknown size $size"; exit 2 ;;
  esac
  # Several runs where a run takes seconds; one at L, where a cold build takes minutes.
  case $size in XS) RUNS=${RUNS_FIXED:-1} ;; S) RUNS=${RUNS_FIXED:-3} ;; L) RUNS=${RUNS_FIXED:-1} ;; esac
  WS=$WORK/$size
  if [ ! -f "$WS/.complete" ]; then
    rm -rf "$WS"
    python3 "$GEN" "$WS" --contacts $N --segments $SEG --entries $ENT >/dev/null
    touch "$WS/.complete"
  fi
  files=$(find "$WS/Content" -name '*.md' | wc -l)
  mb=$(du -sm --apparent-size "$WS/Content" | cut -f1)
  {
    echo
    echo "### Size $size: $N contacts, $SEG segments, $ENT interaction entries ($files files, $mb MB)"
    echo
    echo "| case | median s | min s | max s | peak MB |"
    echo "|---|--:|--:|--:|--:|"
  } | tee -a "$RESULTS"
  CONTACT=$(cd "$WS/Content/contacts" && printf '%s\n' * | sed -n 2p)
  measure "segmark check" "true" -- "$BIN" check --root "$WS"
  measure "segmark members SM10001" "true" -- "$BIN" members SM10001 --root "$WS"
  # A cold build writes into a new, empty Output/ (see `aside`).
  measure "segmark build --format html (cold)" "aside $WS/Output" -- "$BIN" build --root "$WS" --format html
  html=$(cat "$WORK/.last")
  measure "segmark build (cold, html+md)" "aside $WS/Output" -- "$BIN" build --root "$WS"
  both=$(cat "$WORK/.last")
  measure "segmark build (no change)" "true" -- "$BIN" build --root "$WS"
  measure "segmark build (one contact changed)" \
    "sed -i \"s/^name: .*/name: Changed-\$RANDOM/\" $WS/Content/contacts/$CONTACT" -- "$BIN" build --root "$WS"
  SEGFILE=$(cd "$WS/Content/segments" && printf '%s\n' *.md | sed -n 2p)
  measure "segmark build (one segment's description changed)" \
    "sed -i \"s/^description: .*/description: Changed-\$RANDOM/\" $WS/Content/segments/$SEGFILE" -- "$BIN" build --root "$WS"
  IMP=$WORK/import-$size
  # Each run imports into a new, empty workspace (see `aside`; after `rm -rf` of the last
  # one, 5 s became 9-25 s, all of it system time).
  measure "segmark import contacts (every contact, empty workspace)" \
    "aside $IMP && mkdir -p $IMP/Content && $BIN export contacts $IMP.csv --root $WS >/dev/null" -- "$BIN" import contacts "$IMP.csv" --root "$IMP"
  # serve (issue #18): from the file written to the changed page served, median of 5 saves.
  if [ "$size" != XS ]; then
    python3 "$REPO/scripts/bench-serve.py" "$BIN" "$WS" "segmark serve: contact edited → its page" 5 contact | tee -a "$RESULTS"
    python3 "$REPO/scripts/bench-serve.py" "$BIN" "$WS" "segmark serve: segment edited → its sheet" 5 segment | tee -a "$RESULTS"
  fi
  if [ "$size" != L ]; then
    measure "segmark build --force (re-render, nothing to write)" "true" -- "$BIN" build --root "$WS" --force
  fi
  if [ -n "$HUGO" ]; then
    H=$WORK/hugo-$size
    if [ ! -d "$H/content" ]; then
      mkdir -p "$H/layouts/_default" "$H/content"
      cp -r "$WS/Content/contacts" "$H/content/contacts"
      cat > "$H/config.toml" <<'TOML'
baseURL = "http://example.org/"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
TOML
      cat > "$H/layouts/_default/single.html" <<'HTML'
<!doctype html><html><head><title>{{ .Params.name }}</title></head><body>
<h1>{{ .Params.name }}</h1><dl>{{ range $k, $v := .Params }}<dt>{{ $k }}</dt><dd>{{ $v }}</dd>{{ end }}</dl>
{{ .Content }}</body></html>
HTML
      echo '<!doctype html><title>{{ .Title }}</title>{{ range .Pages }}{{ .Params.name }} {{ end }}' > "$H/layouts/_default/list.html"
    fi
    measure "hugo (cold, one page per contact)" "aside $H/public && rm -rf $H/resources" -- "$HUGO" --quiet -s "$H"
    hugo_cold=$(cat "$WORK/.last")
    measure "hugo (no change)" "true" -- "$HUGO" --quiet -s "$H"
    ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
    {
      echo
      echo "Segmark html / Hugo: $(ratio "$html" "$hugo_cold")× (target ≤ 0.5); html+md / Hugo: $(ratio "$both" "$hugo_cold")× (target ≤ 1)."
    } | tee -a "$RESULTS"
  fi
done

# What the runs moved aside (see `aside`), deleted once nothing is measured after it.
rm -rf "$WORK"/*/Output.used-* "$WORK"/hugo-*/public.used-* "$WORK"/import-*.used-*

{
  echo
  echo "### Render micro-benchmark: a sheet's member table, 20,000 rows × 8 variables"
  echo
  echo "| engine | median cost |"
  echo "|---|--:|"
  "$REPO/.build/release/segmark-render-bench" | grep '^|'
} | tee -a "$RESULTS"

if [ "$WRITE" = 1 ]; then
  {
    echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM,"
    echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(swift --version 2>/dev/null | head -1);"
    echo "${HUGO:+$($HUGO version | cut -d' ' -f1-2)}; commit $(git rev-parse --short HEAD); runs per case: S 3, L 1 (unless RUNS was set: ${RUNS_FIXED:-no})."
    echo "Command: \`make bench\` (BENCH_SIZES=\"$SIZES\")."
    cat "$RESULTS"
  } > "$WORK/block.md"
  python3 - "$WORK/block.md" <<'PY'
import sys, re
block = open(sys.argv[1]).read()
text = open("BENCHMARKS.md").read()
new = re.sub(r"(<!-- bench:start -->\n).*?(<!-- bench:end -->)", lambda m: m.group(1) + block + m.group(2), text, flags=re.S)
open("BENCHMARKS.md", "w").write(new)
PY
  echo "wrote the measured block of BENCHMARKS.md"
fi
