#!/usr/bin/env bash
# Runs careweave's benchmarks (issue 8) and writes a dated report under benchmarks/results/.
#
#   benchmarks/run.sh                  quick settings, all but the standalone load run (under 15 minutes on the
#                                      2-core machine when it is not busy with other builds; shorter rounds than
#                                      --full, for a check, not for the figures a decision rests on)
#   benchmarks/run.sh --full           everything at the issue's sizes (1M raw messages, longer rounds; about an
#                                      hour or more, most of it the 1M rebuild)
#   benchmarks/run.sh ingest jmh       only the named parts (any of: jmh ingest load febrl-pipeline identity
#                                      rebuild latency memory api-read soak; api-read, the query API's reads,
#                                      and soak, an hour of careweave up at a steady 250 msg/s (--full: two
#                                      hours), are not in the default sets, which cover issue 8's list)
#   benchmarks/run.sh --date 2026-11-26 --offline ...
#
# Each part writes benchmarks/results/<part>-<date>.{json,md}; the run ends with
# benchmarks/results/report-<date>.md, the parts' tables in one file. Logs of the child JVMs go to
# benchmarks/target/logs/. Everything listens and sends on 127.0.0.1 only; every loop is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=quick
date=$(date +%F)
maven_flags=()
parts=()
while [ $# -gt 0 ]; do
    case "$1" in
        --full) mode=full ;;
        --date) date="$2"; shift ;;
        --offline) maven_flags+=(-o) ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        jmh|ingest|load|febrl-pipeline|identity|rebuild|latency|memory|api-read|soak) parts+=("$1") ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ ${#parts[@]} -eq 0 ]; then
    # The load generator's own run is left out of the quick set: the ingest comparison already drives careweave's
    # listener with it at every connection count.
    if [ "$mode" = full ]; then
        parts=(jmh ingest load febrl-pipeline identity rebuild latency memory)
    else
        parts=(jmh ingest febrl-pipeline identity rebuild latency memory)
    fi
fi

echo "careweave benchmarks: ${parts[*]} ($mode settings), results dated $date"
mvn -q "${maven_flags[@]}" -pl benchmarks -am package -DskipTests
# memory and latency run the product as users run it: java -jar deploy/app/target/careweave.jar up. Always packaged
# again: a jar left by an earlier build of other sources would be measured as if it were this code.
if [[ " ${parts[*]} " == *" memory "* || " ${parts[*]} " == *" latency "* || " ${parts[*]} " == *" api-read "* \
      || " ${parts[*]} " == *" soak "* ]]; then
    mvn -q "${maven_flags[@]}" -pl deploy/app -am package -DskipTests
fi
# Snapshot the class path: other builds on this machine rebuild the modules' jars under */target while a long run
# is going, and a JVM whose jar is replaced under it fails with NoClassDefFoundError.
mkdir -p benchmarks/target
snapshot=$(mktemp -d benchmarks/target/run-classpath-XXXXXX)
trap 'rm -rf "$snapshot"' EXIT
mkdir -p "$snapshot/lib"
cp -r benchmarks/target/classes "$snapshot/classes"
classpath="$snapshot/classes"
# read returns 1 at an end of file without a newline (how Maven writes it): that is not an error here.
IFS=':' read -r -a entries < benchmarks/target/classpath.txt || true
for entry in "${entries[@]}"; do
    if [[ "$entry" == "$PWD"/* ]]; then
        cp "$entry" "$snapshot/lib/"
        entry="$snapshot/lib/$(basename "$entry")"
    fi
    classpath="$classpath:$entry"
done

run() {
    local main=$1
    shift
    echo
    echo "== $main $*"
    local t0=$SECONDS
    java -Xms1g -Xmx1g -cp "$classpath" "$main" --date "$date" "$@"
    echo "== $main took $((SECONDS - t0)) s"
}

full() { [ "$mode" = full ]; }

for part in "${parts[@]}"; do
    case "$part" in
        jmh)
            if full; then run org.careweave.benchmarks.jmh.JmhBenchmark --forks 2 --warmups 5 --iterations 10 --seconds 1
            else run org.careweave.benchmarks.jmh.JmhBenchmark --forks 1 --warmups 3 --iterations 5 --iteration-ms 500; fi ;;
        ingest)
            # The quick set leaves out 16 connections (no goal is set there; --full and the load part run it).
            if full; then run org.careweave.benchmarks.ingest.IngestComparison --rounds 5 --seconds 10 --warmup 2 --profile-seconds 20
            else run org.careweave.benchmarks.ingest.IngestComparison --connections 1,64,256 --rounds 3 --seconds 3 --warmup 1 --profile-seconds 5; fi ;;
        load)
            if full; then run org.careweave.benchmarks.load.LoadBenchmark --seconds 10 --warmup 3
            else run org.careweave.benchmarks.load.LoadBenchmark --seconds 3 --warmup 2; fi ;;
        febrl-pipeline)
            run org.careweave.benchmarks.febrl.FebrlPipelineBenchmark ;;
        identity)
            # The identity topology alone on FEBRL4's patient events, in rounds after unmeasured warm-up rounds. After
            # three, the broker's JIT compiler still took 40% of the broker's samples in the measured rounds, and
            # records/s kept rising until about the eighth round (ninth session, docs/benchmarks.md): --full warms up
            # for ten; the quick set for four, which is what its 15 minutes leave room for on the slower machine of
            # the eleventh session onwards.
            if full; then run org.careweave.benchmarks.febrl.IdentityThroughputBenchmark --warmups 10 --rounds 10
            else run org.careweave.benchmarks.febrl.IdentityThroughputBenchmark --warmups 4 --rounds 3; fi ;;
        rebuild)
            if full; then run org.careweave.benchmarks.stream.RebuildBenchmark --messages 1000000 --profile --timeout-minutes 60
            else run org.careweave.benchmarks.stream.RebuildBenchmark --messages 25000 --profile --timeout-minutes 10; fi ;;
        latency)
            # AA -> person.views for every message and AA -> GET /api/persons/{id} for every 10th, through careweave up
            # (--target topic: the earlier AA -> person.views measurement on the benchmarks' own platform). Each rate
            # starts a fresh careweave up and preheats it (unmeasured, at part of the rate) so that the JIT compiler's
            # start-up work does not build the backlog the measured minutes then inherit.
            if full; then run org.careweave.benchmarks.stream.ViewLatencyBenchmark --target api --rates 1000,400,200 --connections 16 --preheat 180 --preheat-share 0.4 --seconds 120 --warmup 30 --drain 60 --api-sample 10 --api-interval-ms 20 --api-backoff 0.05 --api-max-rps 250
            else run org.careweave.benchmarks.stream.ViewLatencyBenchmark --target api --rates 1000 --connections 16 --preheat 30 --preheat-share 0.2 --seconds 20 --warmup 15 --drain 20 --api-sample 10 --api-interval-ms 20 --api-backoff 0.05 --api-max-rps 250; fi ;;
        memory)
            if full; then run org.careweave.benchmarks.memory.MemoryBenchmark --rest-seconds 30 --load-seconds 60
            else run org.careweave.benchmarks.memory.MemoryBenchmark --rest-seconds 10 --load-seconds 15; fi ;;
        api-read)
            # The query API read by 1, 8 and 32 clients in closed loops, through careweave up.
            if full; then run org.careweave.benchmarks.store.ApiReadBenchmark --persons 5000 --results 20 --clients 1,8,32,64 --warmup-seconds 20 --seconds 60
            else run org.careweave.benchmarks.store.ApiReadBenchmark --persons 1000 --results 20 --clients 1,8,32 --warmup-seconds 10 --seconds 20; fi ;;
        soak)
            # careweave up for an hour under a steady load, sampled every minute for what grows (heap after GC,
            # threads, files, RSS, disk, lag, ACK p99).
            if full; then run org.careweave.benchmarks.memory.SoakBenchmark --rate 250 --minutes 120 --connections 16
            else run org.careweave.benchmarks.memory.SoakBenchmark --rate 250 --minutes 60 --connections 16; fi ;;
    esac
done

declare -A result_name=([jmh]=jmh-parsing [ingest]=ingest-comparison [load]=load [febrl-pipeline]=febrl-pipeline
    [identity]=identity-throughput [rebuild]=rebuild [latency]=view-latency [memory]=memory [api-read]=api-read
    [soak]=soak)
report="benchmarks/results/report-$date.md"
{
    echo "# careweave benchmarks, $date"
    echo
    echo "Produced by \`benchmarks/run.sh\` (last invocation: $mode settings, parts ${parts[*]}). Raw figures: the"
    echo "\`.json\` file next to each part's \`.md\`. The machine is the 2-core development machine, shared with other"
    echo "builds and test runs: every part states the load average before and after it ran."
    for part in jmh ingest load febrl-pipeline identity rebuild latency memory api-read soak; do
        file="benchmarks/results/${result_name[$part]}-$date.md"
        if [ -f "$file" ]; then
            echo
            sed 's/^# /## /; s/^## Profile/### Profile/' "$file"
        fi
    done
} > "$report"
echo
echo "Wrote $report"
