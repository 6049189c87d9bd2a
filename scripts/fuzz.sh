#!/usr/bin/env bash
# Runs each libFuzzer target for a bounded time (default 60 s each; FUZZ_SECONDS=N to change).
# Seeds come from the demo workspace and the regression fixtures; a crash is copied to
# Tests/Fixtures/fuzz/TARGET-<hash> so that the test suite replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
BUILD=.build-fuzz
swift build -c release --build-path "$BUILD" --product segmark-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DSEGMARK_FUZZ
BIN="$BUILD/release/segmark-fuzz"
WORK=$(mktemp -d /tmp/segmark-fuzz.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
status=0
for target in frontmatter plainyaml filter glob; do
  corpus="$WORK/$target"; mkdir -p "$corpus"
  case $target in
    filter)
      printf '\001NO|GB' > "$corpus/a"; printf '\004>=2026-01-01' > "$corpus/b"; printf '\003100..200' > "$corpus/c"
      printf '\002<>company' > "$corpus/d"; printf "\\002'a'&@*x*" > "$corpus/e" ;;
    glob)
      printf 'a*b?c\000axxbyc' > "$corpus/a"; printf '*?*a\000aaaa' > "$corpus/b"; printf '\303\245*\000\303\245\303\270' > "$corpus/c" ;;
    plainyaml)
      for f in Content/contacts/*.md Content/segments/*.md; do
        awk 'NR==1&&$0=="---"{f=1;next} f&&$0=="---"{exit} f' "$f" > "$corpus/$(basename "$f")"; done ;;
    *)
      cp Content/contacts/*.md Content/segments/*.md Content/interactions/*.md "$corpus/" ;;
  esac
  cp Tests/Fixtures/fuzz/"$target"-* "$corpus/" 2>/dev/null || true
  echo "fuzzing $target for $SECONDS_EACH s"
  if ! SEGMARK_FUZZ_TARGET=$target "$BIN" "$corpus" -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=5 \
        -artifact_prefix="$WORK/$target-" -print_final_stats=1 2> "$WORK/$target.log"; then
    status=1
    tail -30 "$WORK/$target.log"
    for crash in "$WORK/$target"-crash-* "$WORK/$target"-timeout-* "$WORK/$target"-oom-*; do
      [ -e "$crash" ] || continue
      name="Tests/Fixtures/fuzz/$target-$(sha1sum "$crash" | cut -c1-12)"
      cp "$crash" "$name"; echo "saved $name (commit it; the tests replay it)"
    done
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$WORK/$target.log" | sed "s/^/  $target /"
  fi
done
exit $status
