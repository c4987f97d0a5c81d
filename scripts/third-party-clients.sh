#!/usr/bin/env bash
# Dev check (not part of the default tests or .ci/run): Zoho Books clients written by others,
# in other languages, run unchanged against `zbooks sim`.
#
# Installs the clients from the package registries (PyPI, npm) into target/third-party/ (git
# ignored; nothing third-party is committed), builds and starts `zbooks sim` on a free port,
# and runs one realistic flow per client with the drivers in scripts/third-party/: list
# organizations, read the rate-limit headers (where the client exposes them), create, get and
# list a contact, an item and an invoice with two lines, mark it sent, record a customer payment.
# Each client is pointed at the simulator with what a user can set (token, organization, base
# URL; docs/third-party-clients.md says how for each). Prints PASS/FAIL/SKIP per client and step
# and exits non-zero when a step failed.
#
#   scripts/third-party-clients.sh            # all clients
#   scripts/third-party-clients.sh zohopy     # only those whose name matches
#   ZB_VERBOSE=1 ...                          # tracebacks of failing steps
#   ZB_DIAGNOSE=1 ...                         # zohobooks-api: print every key its parsers miss
#   ZB_OFFLINE=1 ...                          # skip the installs (use what target/third-party has)
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/third-party
mkdir -p "$work"
only=${1:-}

# The versions tried (docs/third-party-clients.md); pinned so a result can be compared.
PY_PACKAGES=(zohobooks-api==1.4 httplib2 pyzohoapi==1.0.0 zohopy==0.2.0)
NPM_PACKAGES=(zoho-books-js@1.0.12)

if [[ -z ${ZB_OFFLINE:-} ]]; then
    echo "== installing clients into target/third-party (PyPI, npm)" >&2
    [[ -x $work/venv/bin/python ]] || python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet --disable-pip-version-check "${PY_PACKAGES[@]}" >&2
    mkdir -p "$work/node"
    [[ -f $work/node/package.json ]] || echo '{"private": true}' >"$work/node/package.json"
    (cd "$work/node" && npm install --silent --no-audit --no-fund "${NPM_PACKAGES[@]}" >&2)
fi

echo "== building zbooks" >&2
cargo build --quiet -p zbooks-cli >&2
zbooks=$root/target/debug/zbooks

simout=$work/sim.out
"$zbooks" sim --port 0 --format json --quiet >"$simout" 2>"$work/sim.err" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    [[ -s $simout ]] && break
    sleep 0.1
done
read_field() { python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())[sys.argv[1]])' "$1" <"$simout"; }
export ZB_SIM_URL ZB_CLIENT_ID ZB_CLIENT_SECRET ZB_REFRESH_TOKEN ZB_ORG_ID ZB_RUN
ZB_SIM_URL=$(read_field accounts_url)
ZB_CLIENT_ID=$(read_field client_id)
ZB_CLIENT_SECRET=$(read_field client_secret)
ZB_REFRESH_TOKEN=$(read_field refresh_token)
ZB_ORG_ID=$(read_field organization_id)
ZB_RUN=$(date +%s)
echo "== zbooks sim at $ZB_SIM_URL (organization $ZB_ORG_ID)" >&2

results=$work/results.txt
: >"$results"
drivers=(
    "zohobooks-api|$work/venv/bin/python zohobooks_api.py"
    "pyzohoapi|$work/venv/bin/python pyzohoapi_driver.py"
    "zohopy|$work/venv/bin/python zohopy_driver.py"
    "zoho-books-js|node zoho_books_js.js"
)
status=0
for entry in "${drivers[@]}"; do
    name=${entry%%|*}
    cmd=${entry#*|}
    [[ -n $only && $name != *"$only"* ]] && continue
    echo "== $name" >&2
    log=$work/$name.log
    # zohobooks-api prints every URL and body it sends; keep that in the log only.
    if ! (cd scripts/third-party && NODE_PATH=$work/node/node_modules PYTHONPATH=. $cmd) >"$log" 2>&1; then
        status=1
    fi
    grep '^RESULT ' "$log" | tee -a "$results" | sed 's/^RESULT /  /' >&2 || true
    grep -q "^RESULT $name " "$log" || { echo "  $name: no result (see $log)" >&2; status=1; }
    if [[ -n ${ZB_DIAGNOSE:-} ]]; then grep '^MISSING ' "$log" | sort -u >&2 || true; fi
done

echo >&2
echo "== summary (client: pass/fail/skip)" >&2
python3 - "$results" <<'PY' >&2
import sys, collections
counts = collections.OrderedDict()
for line in open(sys.argv[1]):
    parts = line.split()
    client = parts[1]
    status = next(p for p in parts[2:] if p in ("PASS", "FAIL", "SKIP"))
    counts.setdefault(client, collections.Counter())[status] += 1
for client, c in counts.items():
    print(f"  {client}: {c['PASS']} passed, {c['FAIL']} failed, {c['SKIP']} skipped")
total = sum((c for c in counts.values()), collections.Counter())
print(f"{total['PASS']} passed, {total['FAIL']} failed, {total['SKIP']} skipped")
PY
exit "$status"
