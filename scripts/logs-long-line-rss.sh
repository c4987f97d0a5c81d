#!/usr/bin/env bash
# Peak memory of `zbooks logs analyze` on inputs built to blow it up (issue 12, section 8):
#   1. a plain file holding one line of SIZE bytes (default 4 GiB) between two normal lines;
#   2. a gzip bomb: a small .gz that inflates to the same;
# each read by every binary given, under /usr/bin/time -v (peak RSS, wall time, exit status).
# Target: under 200 MB however long the line (the analysis holds at most 1 MiB of a line).
# Measured (2 shared cores, 4G): before (59f9f3b) 12.3 GB peak RSS and 2m40s on either input;
# after, 9 MB in 3.7 s (plain) and 1.4 s (the 18 MB .gz), the line reported as long_lines.
#
# Usage: scripts/logs-long-line-rss.sh [SIZE] [BINARY...]
#   SIZE     bytes of the long line, with a G/M suffix for GiB/MiB (default 4G)
#   BINARY   zbooks binaries to compare (default: this tree's release build); e.g. a build of
#            an older commit first:  scripts/logs-long-line-rss.sh 4G /tmp/zbooks-old target/release/zbooks
# Needs: /usr/bin/time (apt-get install -y time), gzip, SIZE free in $TMPDIR (the plain file).
# The generated files are deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-4G}
shift || true
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install -y time" >&2; exit 2; }
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
  cargo build -q --release -p zbooks-cli
  bins=("${CARGO_TARGET_DIR:-target}/release/zbooks")
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/zbooks-long-line.XXXXXX")
trap 'rm -rf "$dir"' EXIT
before='2026-11-25T09:00:00Z POST https://www.zohoapis.in/books/v3/invoices?organization_id=1 -> HTTP 429 {"code":44,"message":"For security reasons your organization has been blocked"}'
after='2026-11-25T09:00:01Z GET https://www.zohoapis.in/books/v3/items?organization_id=1 -> HTTP 401 {"code":57,"message":"You are not authorized to perform this operation"}'
# The long line looks like a Zoho answer padded out, so a reader that held it would read it.
long() {
  printf '%s\n' "$before"
  printf '2026-11-25T09:00:00Z POST https://www.zohoapis.in/books/v3/contacts -> HTTP 400 {"code":1001,"message":"'
  head -c "$size" /dev/zero | tr '\0' 'x'
  printf '"}\n%s\n' "$after"
}
echo "generating a line of $size bytes in $dir ..."
long >"$dir/long.log"
long | gzip -1 >"$dir/bomb.log.gz"
ls -l "$dir"

measure() { # binary, input
  local report="$dir/time.txt" status=0
  /usr/bin/time -v "$1" logs analyze --format json "$2" >"$dir/out.json" 2>"$report" || status=$?
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$report")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$report")
  local finding
  finding=$(python3 -c '
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception:
    print("no JSON report"); sys.exit()
f = [f for f in r["findings"] if f["kind"] == "long_lines"]
calls = r["totals"]["api_calls"]
print((f[0]["evidence"][0] if f else "no long_lines finding") + f"; api_calls={calls}")
' "$dir/out.json")
  printf '%-40s %-14s peak RSS %8d KiB (%5d MB)  wall %s  exit %s  | %s\n' \
    "$1" "$(basename "$2")" "$rss" $((rss / 1024)) "$wall" "$status" "$finding"
}

for bin in "${bins[@]}"; do
  measure "$bin" "$dir/long.log"
  measure "$bin" "$dir/bomb.log.gz"
done
