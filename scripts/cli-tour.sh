#!/usr/bin/env bash
# A newcomer's tour of one zbooks binary, for comparing what two versions print:
#   bash scripts/cli-tour.sh BINARY OUTDIR [PORT]
# Starts `BINARY sim` with two faults on contact creates (the 3rd's answer lost after the
# record is made, the 6th answered 500/1000), then runs the demo (text and JSON), a dry run,
# an import of 12 contacts with an event log, the same import again, `logs analyze` of the log,
# `quota --format json` and a failing import with `--format json`; each output (and its exit
# status) goes to OUTDIR/NAME.txt. Simulator values only; nothing leaves 127.0.0.1.
# Before/after: build the older commit's binary in a worktree and run this for both.
set -u
B=$(realpath "$1"); OUT=$(realpath -m "$2"); PORT=${3:-18811}
rm -rf "$OUT"; mkdir -p "$OUT"; cd "$OUT"
cat > scenario.toml <<'T'
[[faults]]
method = "POST"
path = "/books/v3/contacts"
nth = 3
action = { kind = "reset_after" }
[[faults]]
method = "POST"
path = "/books/v3/contacts"
nth = 6
action = { kind = "status", status = 500, code = 1000, message = "Internal error" }
T
touch config.toml
for i in $(seq 1 12); do printf '{"entity":"contact","payload":{"contact_name":"Compare %02d"}}\n' $i; done > contacts.jsonl
$B sim --port $PORT --scenario scenario.toml --minute 2s > sim.out 2>&1 &
SIM=$!
sleep 2
export ZBOOKS_ACCOUNTS_URL=http://127.0.0.1:$PORT ZBOOKS_API_URL=http://127.0.0.1:$PORT/books/v3 \
  ZBOOKS_CLIENT_ID=1000.SIMCLIENTDEMO ZBOOKS_CLIENT_SECRET=sim-secret-demo-not-a-real-secret \
  ZBOOKS_REFRESH_TOKEN=1000.simrefresh.demo ZBOOKS_ORG_ID=60000000001 ZBOOKS_DATA_DIR=$OUT/data \
  ZBOOKS_CONFIG=$OUT/config.toml NO_COLOR=1 ZBOOKS_PLAN=professional
$B demo > demo.txt 2>&1; echo "exit $?" >> demo.txt
$B demo --format json > demo-json.txt 2>/dev/null; echo "exit $?" >> demo-json.txt
$B import contacts.jsonl --dry-run > dry.txt 2>&1; echo "exit $?" >> dry.txt
$B import contacts.jsonl --minute 2s --defer 1s --log-file events.jsonl > import.txt 2>&1; echo "exit $?" >> import.txt
$B import contacts.jsonl --minute 2s > rerun.txt 2>&1; echo "exit $?" >> rerun.txt
$B logs analyze events.jsonl > report.txt 2>&1; echo "exit $?" >> report.txt
$B quota --format json > quota-json.txt 2>&1; echo "exit $?" >> quota-json.txt
$B import nosuch.csv --format json > error-json.txt 2>/dev/null; echo "exit $?" >> error-json.txt
kill $SIM
echo "outputs in $OUT"
