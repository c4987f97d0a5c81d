#!/usr/bin/env bash
# Load benchmark of the simulator, measured from a separate process (wrk), limits off:
#   GET an invoice by id, create invoices, then the memory held by 100,000+ invoices.
# Targets (issue 3): >= 20,000 GET/s, >= 5,000 creates/s on a 2-core machine; 100,000 invoices
# in <= 300 MB. Usage: scripts/bench-sim.sh [seconds-per-run]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

cargo build -q --release -p zbooks-cli
bin="${CARGO_TARGET_DIR:-target}/release/zbooks"
out=$(mktemp)
"$bin" sim --port 0 --format json --no-limits >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$out" "$lua"' EXIT
for _ in $(seq 50); do [ -s "$out" ] && break; sleep 0.1; done
line=$(head -1 "$out")
get() { printf '%s' "$line" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
base=$(get accounts_url); org=$(get organization_id)
token=$(curl -s -X POST "$base/oauth/v2/token?grant_type=refresh_token&client_id=$(get client_id)&client_secret=$(get client_secret)&refresh_token=$(get refresh_token)" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
auth="Authorization: Zoho-oauthtoken $token"
customer=$(curl -s -X POST "$base/books/v3/contacts?organization_id=$org" -H "$auth" -H 'Content-Type: application/json' \
  -d '{"contact_name":"Bench Customer"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["contact"]["contact_id"])')
body="{\"customer_id\":\"$customer\",\"line_items\":[{\"name\":\"Widget\",\"rate\":12.50,\"quantity\":2}]}"
invoice=$(curl -s -X POST "$base/books/v3/invoices?organization_id=$org" -H "$auth" -H 'Content-Type: application/json' \
  -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["invoice"]["invoice_id"])')

rate() { awk '/Requests\/sec/ {print $2}'; }
non2xx() { awk '/Non-2xx/ {print $5}'; }

lua=$(mktemp --suffix=.lua)
make_lua() { # $1: stop after this many responses (0: never)
  cat >"$lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Zoho-oauthtoken $token"
local done = 0
response = function(status, headers, body)
  done = done + 1
  if $1 > 0 and done >= $1 then wrk.thread:stop() end
end
LUA
}
# The create rate, from a timed run.
make_lua 0
post_out=$(wrk -t1 -c64 -d"${secs}s" -s "$lua" "$base/books/v3/invoices?organization_id=$org")
created=$(printf '%s\n' "$post_out" | awk '/requests in/ {print $1}')
create_rate=$(printf '%s\n' "$post_out" | rate)
# Then exactly up to 100,000 invoices (one was made above) for the memory figure. wrk keeps its
# full -d duration even after the script stops it, so give it just enough time.
remaining=$((99999 - created))
if [ "$remaining" -gt 0 ]; then
  make_lua "$remaining"
  more_secs=$(python3 -c "print(int($remaining / max($create_rate, 1000) * 2) + 2)")
  more=$(wrk -t1 -c64 -d"${more_secs}s" -s "$lua" "$base/books/v3/invoices?organization_id=$org" | awk '/requests in/ {print $1}')
  created=$((created + more))
fi
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
hwm_kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
# GET by id, the same invoice (answers may be served from the simulator's small cache) and
# random invoices among the 100,000 (mostly not cached).
get_out=$(wrk -t1 -c64 -d"${secs}s" -H "$auth" "$base/books/v3/invoices/$invoice?organization_id=$org")
ids=""
for page in $(seq 1 25); do
  ids="$ids $(curl -s "$base/books/v3/invoices?organization_id=$org&per_page=200&page=$((page * 19))" -H "$auth" \
    | python3 -c 'import json,sys; print(" ".join(i["invoice_id"] for i in json.load(sys.stdin)["invoices"]))')"
done
rlua=$(mktemp --suffix=.lua)
{
  printf 'local ids = {'; for i in $ids; do printf '"%s",' "$i"; done; printf '}\n'
  printf 'wrk.headers["Authorization"] = "Zoho-oauthtoken %s"\n' "$token"
  printf 'request = function()\n  local id = ids[math.random(#ids)]\n'
  printf '  return wrk.format("GET", "/books/v3/invoices/" .. id .. "?organization_id=%s")\nend\n' "$org"
} >"$rlua"
rand_out=$(wrk -t1 -c64 -d"${secs}s" -s "$rlua" "$base")
rm -f "$rlua"

printf '\n%-34s %14s %10s %8s\n' "measure" "result" "target" "non-2xx"
printf '%-34s %14s %10s %8s\n' "GET invoice by id, one id (req/s)" "$(printf '%s\n' "$get_out" | rate)" ">= 20000" "$(printf '%s\n' "$get_out" | non2xx)"
printf '%-34s %14s %10s %8s\n' "GET invoice by id, 5000 ids (req/s)" "$(printf '%s\n' "$rand_out" | rate)" ">= 20000" "$(printf '%s\n' "$rand_out" | non2xx)"
printf '%-34s %14s %10s %8s\n' "create invoice (req/s)" "$create_rate" ">= 5000" "$(printf '%s\n' "$post_out" | non2xx)"
printf '%-34s %14s %10s\n' "invoices held" "$((created + 1))" ">= 100000"
printf '%-34s %14s %10s\n' "simulator RSS (MB)" "$((rss_kb / 1024))" "<= 300"
printf '%-34s %14s\n' "simulator peak RSS (MB)" "$((hwm_kb / 1024))"
