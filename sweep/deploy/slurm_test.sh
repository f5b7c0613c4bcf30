#!/usr/bin/env bash
# slurm_test.sh: run a grid on a real single-node Slurm cluster with the
# scripts in this directory, and check that the merged results equal a
# single-process run of the same grid, table by table.
#
#   sweep/deploy/slurm_test.sh          # .ci/run runs it after the Go tests
#
# What it does, in a fresh temporary directory:
#
#  1. installs Debian's slurm-wlm and munge with apt-get when they are missing
#     (as root; where they cannot be installed it prints a SKIPPED banner and
#     exits 0, or 1 with SWEEP_REQUIRE_SLURM=1);
#  2. builds sweep (or takes SWEEP_BIN), generates the "small" synthetic market
#     and ingests it into data/market.duckdb, and writes a 16-cell wheel grid;
#  3. runs the grid as one process (the reference results DB);
#  4. starts its own munged, slurmctld and slurmd (foreground processes on a
#     private munge socket and free ports, state in the temporary directory,
#     the node's CPUs and memory from "slurmd -C"), so it neither needs nor
#     disturbs a cluster already on the machine, and runs again after a
#     killed run;
#  5. submits slurm-array.sbatch as README.md says (4 array tasks instead of
#     16, 1 CPU each: command-line options override the #SBATCH lines) and
#     slurm-merge.sbatch with --dependency=afterok on the array, waits for
#     both (at most SWEEP_SLURM_TIMEOUT seconds, default 600), and checks that
#     every task completed with exit code 0;
#  6. compares every table of the merged runs/results.duckdb with the
#     reference: row count and an md5 of the sorted rows, every column except
#     the runs' wall-clock times.
#
# The daemons are stopped and the directory removed on every exit (a trap);
# a daemon that does not come up, a job that fails and a table that differs
# print the logs (and copy them to $SWEEP_ARTIFACTS/slurm-test when
# SWEEP_ARTIFACTS is set). SWEEP_SLURM_KEEP=1 keeps the directory.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
timeout_s=${SWEEP_SLURM_TIMEOUT:-600}
start_s=$SECONDS

say() { echo "slurm-test [$((SECONDS - start_s))s]: $*"; }
die() {
  echo "slurm-test: FAIL: $*" >&2
  exit 1
}

# skip prints why the test cannot run, loudly: a skipped cluster test must
# not read as a passed one.
skip() {
  {
    echo
    echo "################################################################"
    echo "## slurm-test: SKIPPED: $*"
    echo "## The Slurm cluster test did NOT run on this machine."
    echo "################################################################"
    echo
  } >&2
  if [ "${SWEEP_REQUIRE_SLURM:-}" = 1 ]; then
    die "SWEEP_REQUIRE_SLURM=1 and the test cannot run"
  fi
  exit 0
}

# --- 1. Slurm and munge -----------------------------------------------------

tools=(sbatch squeue scontrol scancel sinfo slurmctld slurmd munged munge unmunge)
missing() {
  local t
  for t in "${tools[@]}"; do
    command -v "$t" >/dev/null || { echo "$t"; return; }
  done
}
if [ -n "$(missing)" ]; then
  [ "$(id -u)" = 0 ] || skip "Slurm is not installed ($(missing) is missing) and installing it needs root"
  command -v apt-get >/dev/null || skip "Slurm is not installed ($(missing) is missing) and there is no apt-get"
  say "installing slurm-wlm and munge (apt-get)"
  # Keep the packages' maintainer scripts from starting the system's own
  # daemons: this test starts private ones.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy"
  fi
  ok=1
  aptlog=$(mktemp)
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge; } >"$aptlog" 2>&1 || ok=0
  [ -z "$policy" ] || rm -f "$policy"
  [ "$ok" = 1 ] || { tail -n 40 "$aptlog" >&2; rm -f "$aptlog"; die "apt-get install slurm-wlm munge failed"; }
  rm -f "$aptlog"
  [ -z "$(missing)" ] || die "after installing slurm-wlm and munge, $(missing) is still missing"
fi
[ "$(id -u)" = 0 ] || skip "slurmd must run as root (this test runs the daemons itself with SlurmUser=root)"
say "$(slurmd -V), $(munged --version 2>&1 | head -n 1)"

# --- the temporary cluster directory and its cleanup -------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sweep-slurm.XXXXXX")
chmod 700 "$tmp"
mkdir -p "$tmp"/{bin,etc,log,run,state,spool,munge,work,single}
pids=()   # the daemons this script started, newest last
jobs=()   # the Slurm jobs it submitted

dump_logs() {
  local f
  for f in "$tmp"/log/* "$tmp"/work/logs/*; do
    [ -f "$f" ] || continue
    echo "----- $f (last 40 lines)" >&2
    tail -n 40 "$f" >&2
  done
}

cleanup() {
  local rc=$? pid i
  trap - EXIT INT TERM
  set +e
  if [ "${#jobs[@]}" -gt 0 ] && [ -n "${SLURM_CONF:-}" ]; then
    scancel "${jobs[@]}" 2>/dev/null
    # Let slurmd end the jobs' steps before it stops.
    for ((i = 0; i < 20; i++)); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
      sleep 1
    done
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null
  done
  for pid in "${pids[@]}"; do
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  if [ "$rc" != 0 ]; then
    dump_logs
    if [ -n "${SWEEP_ARTIFACTS:-}" ] && mkdir -p "$SWEEP_ARTIFACTS/slurm-test"; then
      cp -r "$tmp/log" "$tmp/etc" "$SWEEP_ARTIFACTS/slurm-test/" 2>/dev/null
      cp -r "$tmp/work/logs" "$SWEEP_ARTIFACTS/slurm-test/jobs" 2>/dev/null
      echo "slurm-test: logs copied to $SWEEP_ARTIFACTS/slurm-test" >&2
    fi
    echo "slurm-test: FAILED (exit $rc) after $((SECONDS - start_s)) s" >&2
  fi
  if [ "${SWEEP_SLURM_KEEP:-}" = 1 ]; then
    echo "slurm-test: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 2. sweep, the market and the grid --------------------------------------

if [ -n "${SWEEP_BIN:-}" ]; then
  cp "$SWEEP_BIN" "$tmp/bin/sweep"
else
  say "building sweep"
  (cd "$repo" && CGO_ENABLED=1 go build -tags duckdb_arrow -o "$tmp/bin/sweep" ./cmd/sweep)
fi
# The jobs inherit this PATH (sbatch exports the environment): the array
# script calls plain "sweep".
export PATH="$tmp/bin:$PATH"

work=$tmp/work
cd "$work"
mkdir -p data logs
say "generating and ingesting the small synthetic market"
sweep gen --preset small --out data/synth >"$tmp/log/gen.out" 2>&1 || { cat "$tmp/log/gen.out" >&2; die "sweep gen"; }
sweep ingest --db data/market.duckdb data/synth >"$tmp/log/ingest.out" 2>&1 || { cat "$tmp/log/ingest.out" >&2; die "sweep ingest"; }

grid_name=slurm-wheel
cat >grid.yaml <<EOF
# The wheel on the small preset: 2 symbols x 2 x 2 x 2 = 16 cells in 2
# partitions (SPY, then AAPL).
name: $grid_name
data: data/market.duckdb
out: runs/results.duckdb
strategy:
  name: wheel
  settings: {dte_max: 25, cc_dte_min: 5}
symbols: [SPY, AAPL]
dates: {from: 2024-01-02, to: 2024-03-28}
params:
  delta_min: [0.2, 0.3]
  dte_min: [10, 14]
  exit_pct: [0.5, 0.75]
EOF
cells=16
shards=4

# --- 3. the reference: one process ------------------------------------------

say "single-process run"
sweep run -j 2 --no-cache --progress lines --out "$tmp/single/results.duckdb" grid.yaml >"$tmp/log/single.out" 2>&1 ||
  { cat "$tmp/log/single.out" >&2; die "single-process sweep run"; }
say "$(grep 'cells run' "$tmp/log/single.out" | tail -n 1)"

# --- 4. the cluster ----------------------------------------------------------

# free_port prints a TCP port nobody listens on, from start $1 on.
free_port() {
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}
base=$((20000 + $$ % 20000))
ctld_port=$(free_port "$base")
slurmd_port=$(free_port $((ctld_port + 1)))
node=$(hostname -s)

# wait_for DESCRIPTION SECONDS PID COMMAND...: run COMMAND every half second
# until it succeeds; fail (printing the logs) if PID dies or time runs out.
wait_for() {
  local what=$1 secs=$2 pid=$3 i
  shift 3
  for ((i = 0; i < secs * 2; i++)); do
    if "$@" >/dev/null 2>&1; then
      say "$what is up"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || die "$what exited before it came up (logs below)"
    sleep 0.5
  done
  die "$what did not come up within $secs s (logs below)"
}

say "starting munged"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
sock=$tmp/munge/munge.sock
munged --foreground --force --socket="$sock" --key-file="$tmp/munge/munge.key" \
  --pid-file="$tmp/run/munged.pid" --seed-file="$tmp/munge/munge.seed" \
  --log-file="$tmp/log/munged.log" >"$tmp/log/munged.out" 2>&1 &
pids+=($!)
munge_ok() { munge -n -S "$sock" | unmunge -S "$sock"; }
wait_for munged 20 "${pids[-1]}" munge_ok

# The node as slurmd sees it: CPUs, sockets, cores, threads, RealMemory.
hw=$(slurmd -C | head -n 1 | sed -E 's/^NodeName=[^ ]+ //; s/ *UpTime=.*//')
case $hw in *CPUs=*RealMemory=*) ;; *) die "slurmd -C gave no CPUs/RealMemory: $hw" ;; esac
export SLURM_CONF=$tmp/etc/slurm.conf
cat >"$SLURM_CONF" <<EOF
# Written by sweep/deploy/slurm_test.sh: a one-node cluster for the test.
ClusterName=sweeptest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups needed: a container may have none.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
# A merge whose array failed is cancelled rather than left pending; finished
# jobs stay visible to scontrol (there is no accounting DB).
DependencyParameters=kill_invalid_depend
MinJobAge=3600
NodeName=$node NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=sweep Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

say "starting slurmctld (port $ctld_port)"
slurmctld -D -i -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
ctld_up() { scontrol ping | grep -q 'is UP'; }
wait_for slurmctld 60 "${pids[-1]}" ctld_up

say "starting slurmd on $node ($hw)"
slurmd -D -f "$SLURM_CONF" -N "$node" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
node_idle() { sinfo -h -n "$node" -o %T | grep -qx idle; }
wait_for "slurmd ($node idle)" 60 "${pids[-1]}" node_idle

# --- 5. the array and the merge, as README.md submits them -----------------

say "sbatch slurm-array.sbatch ($shards tasks) and slurm-merge.sbatch after it"
array=$(sbatch --parsable --array=0-$((shards - 1)) --cpus-per-task=1 --mem=1G --time=00:20:00 \
  "$here/slurm-array.sbatch")
array=${array%%;*}
jobs+=("$array")
merge=$(sbatch --parsable --dependency=afterok:"$array" --export=ALL,GRID_NAME=$grid_name \
  --cpus-per-task=1 --mem=1G --time=00:20:00 "$here/slurm-merge.sbatch")
merge=${merge%%;*}
jobs+=("$merge")
say "array job $array, merge job $merge"

# states ID: one "JOB STATE EXITCODE" line per job record (an array's tasks,
# ARRAYID_TASK, once Slurm has split them off).
states() {
  scontrol -o show job "$1" | awk '{
    id = ""; arr = ""; task = ""; st = ""; ec = ""
    for (i = 1; i <= NF; i++) {
      k = substr($i, 1, index($i, "=") - 1); v = substr($i, index($i, "=") + 1)
      if (k == "JobId") id = v; else if (k == "ArrayJobId") arr = v; else if (k == "ArrayTaskId") task = v
      else if (k == "JobState") st = v; else if (k == "ExitCode") ec = v
    }
    print (task != "" ? arr "_" task : id), st, ec
  }'
}
terminal='^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED)$'
deadline=$((SECONDS + timeout_s))
last=""
while :; do
  all=$( (states "$array"; states "$merge") 2>/dev/null)
  pending=$(awk -v t="$terminal" '$2 !~ t' <<<"$all" | wc -l)
  [ -n "$all" ] && [ "$pending" = 0 ] && break
  now=$(tr '\n' ',' <<<"$all" | sed 's/,$//')
  [ "$now" = "$last" ] || say "jobs: $now"
  last=$now
  if [ "$SECONDS" -ge "$deadline" ]; then
    squeue >&2 || true
    die "the jobs did not finish within $timeout_s s (SWEEP_SLURM_TIMEOUT)"
  fi
  sleep 1
done
say "jobs: $(tr '\n' ',' <<<"$all" | sed 's/,$//')"
bad=$(awk '$2 != "COMPLETED" || $3 != "0:0"' <<<"$all")
[ -z "$bad" ] || die "jobs that did not complete with exit code 0: $bad"
[ "$(states "$array" | wc -l)" = "$shards" ] || die "the array ran $(states "$array" | wc -l) tasks, want $shards"
for ((i = 0; i < shards; i++)); do
  out=$(ls logs/sweep-wheel-spy-"${array}_$i".out 2>/dev/null) || die "no log of array task $i in logs/"
  grep -q "shard $i/$shards" "$out" || die "array task $i did not run shard $i/$shards: $(cat "$out")"
done
# One directory of complete parts per shard (shard-000i-of-000N/part-NNNNNN).
n=$(find "runs/parts/$grid_name" -mindepth 2 -maxdepth 2 -name 'part-*' ! -name '*.tmp' -printf '%h\n' | sort -u | wc -l)
[ "$n" = "$shards" ] || die "$n of $shards shards left complete parts in runs/parts/$grid_name: $(ls "runs/parts/$grid_name")"
say "merge: $(grep -h . logs/sweep-merge-"$merge".out | tail -n 1)"

# --- 6. every table, merged against one process ------------------------------

single=$tmp/single/results.duckdb
merged=$work/runs/results.duckdb
[ -f "$merged" ] || die "the merge wrote no $merged"

# q DB SQL: the rows of a query as CSV without the header.
q() { sweep query --db "$1" --format csv --max-rows 0 "$2" | tail -n +2; }
# schema DB: "table,column" lines, sorted.
schema() {
  q "$1" "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' ORDER BY 1, 2"
}
# rows_sql: from schema lines on stdin, one query giving "table,row" for
# every row of every table, sorted: a row is its columns in name order as
# text joined by |, NULL as NULL, line breaks as \n; the runs' wall-clock
# times are left out.
rows_sql() {
  awk -F, '
    function flush() {
      if (t == "") return
      printf "%sSELECT '\''%s'\'' AS t, replace(replace(concat_ws('\''|'\'', %s), chr(13), '\''\\r'\''), chr(10), '\''\\n'\'') AS r FROM \"%s\"\n", sep, t, cols, t
      sep = "UNION ALL "
    }
    $1 == "runs" && ($2 == "started_at" || $2 == "finished_at") { next }
    $1 != t { flush(); t = $1; cols = "" }
    { cols = cols (cols == "" ? "" : ", ") "coalesce(\"" $2 "\"::VARCHAR, '\''NULL'\'')" }
    END { flush(); print "ORDER BY t, r" }'
}
# table_rows DB DIR: DIR/TABLE.rows for each table (rows_sql's rows).
table_rows() {
  local t
  for t in $tables; do : >"$2/$t.rows"; done
  q "$1" "$(rows_sql <<<"$schema_single")" |
    awk -v d="$2" '{ i = index($0, ","); print substr($0, i + 1) > (d "/" substr($0, 1, i - 1) ".rows") }'
}
schema_single=$(schema "$single")
schema_merged=$(schema "$merged")
[ "$schema_single" = "$schema_merged" ] ||
  die "the tables or columns differ (< single, > merged): $(diff <(echo "$schema_single") <(echo "$schema_merged"))"
tables=$(cut -d, -f1 <<<"$schema_single" | uniq)
mkdir -p "$tmp/rows/single" "$tmp/rows/merged"
table_rows "$single" "$tmp/rows/single"
table_rows "$merged" "$tmp/rows/merged"
# The comparison must not be vacuous.
n=$(wc -l <"$tmp/rows/merged/cells.rows")
[ "$n" = "$cells" ] || die "the merged DB has $n cells, want $cells"
[ -s "$tmp/rows/merged/trades.rows" ] || die "the merged DB has no trades: nothing to compare"
printf 'slurm-test: %-14s %8s  %s\n' table rows "md5 of the sorted rows"
differ=0
for t in $tables; do
  a=$(md5sum <"$tmp/rows/single/$t.rows" | cut -c1-32)
  b=$(md5sum <"$tmp/rows/merged/$t.rows" | cut -c1-32)
  n=$(wc -l <"$tmp/rows/single/$t.rows")
  if [ "$a" = "$b" ]; then
    printf 'slurm-test: %-14s %8d  %s same\n' "$t" "$n" "$a"
  else
    printf 'slurm-test: %-14s %8d  %s DIFFERS (merged: %d rows, %s)\n' "$t" "$n" "$a" "$(wc -l <"$tmp/rows/merged/$t.rows")" "$b"
    diff "$tmp/rows/single/$t.rows" "$tmp/rows/merged/$t.rows" | head -n 10
    differ=1
  fi
done
[ "$differ" = 0 ] || die "merged results differ from the single-process run"
say "PASS: $shards Slurm array tasks + merge = one process, every table"
