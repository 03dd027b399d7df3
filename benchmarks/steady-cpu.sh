#!/bin/bash
# CPU of `careweave up` under a steady load, per round (eighth session's A/B of builds; docs/benchmarks.md).
#   benchmarks/steady-cpu.sh JAR TAG [RATE]
# Starts `java -jar JAR up` on a fresh data dir (benchmarks/target/steady-TAG), sends RATE msg/s (default 500) over
# 16 MLLP connections for 240 s unmeasured, then three 60 s rounds, printing the careweave JVM's and PostgreSQL's CPU
# seconds per round; then what it wrote to Kafka (TopicVolumes), and stops it. Needs the benchmarks module packaged
# (mvn -o -q -pl benchmarks package -DskipTests) and the default ports free. PREHEAT and ROUND (seconds) shorten it
# for a trial run.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=$1; TAG=$2; RATE=${3:-500}; PREHEAT=${PREHEAT:-240}; ROUND=${ROUND:-60}
CP=benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
DATA=benchmarks/target/steady-$TAG
rm -rf "$DATA"; mkdir -p "$DATA"
java -jar "$JAR" up --data-dir "$DATA" > "$DATA.log" 2>&1 &
UP=$!
trap 'kill $UP 2>/dev/null && wait $UP 2>/dev/null || true' EXIT
for i in $(seq 1 120); do grep -q "api .*listening" "$DATA.log" && break; sleep 1; done
cpu() { echo "$(ps -o cputimes= -p $UP) $(ps -C postgres -o cputimes= | awk '{s+=$1} END {print s+0}')"; }
load() { java -cp "$CP" org.careweave.benchmarks.load.LoadBenchmark --port 2575 --connections 16 --rate "$RATE" \
    --seconds "$1" --warmup 1 --jvm-warmup 1 --out benchmarks/target/steady --date "$TAG-$2" > "$DATA-$2.out" 2>&1; }
echo "== $TAG $(uptime)"
load "$PREHEAT" preheat
for r in 1 2 3; do
  read -r j0 p0 < <(cpu)
  load "$ROUND" "$r"
  sleep 5
  read -r j1 p1 < <(cpu)
  msgs=$(grep -E "^\| 16 \|" "$DATA-$r.out" | awk -F'|' '{gsub(/[ ,]/,"",$3); print $3}')
  echo "round $r: msgs $msgs careweave JVM $((j1 - j0)) s, postgres $((p1 - p0)) s, load $(cut -d' ' -f1 /proc/loadavg)"
done
java -cp "$CP" org.careweave.benchmarks.stream.TopicVolumes --bootstrap 127.0.0.1:9092 --label "steady-$TAG"
echo "out-of-order KTable warnings: $(grep -c 'out-of-order KTable' "$DATA.log" || true)"
