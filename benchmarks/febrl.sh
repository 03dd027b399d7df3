#!/usr/bin/env bash
# FEBRL identity benchmark: builds the modules it needs, estimates the matching model by EM on each data set
# (no labels), links the records one at a time and writes benchmarks/results/febrl-<date>.{md,json}.
# Extra arguments go to Maven, e.g. -o (offline) or -Dfebrl.date=2026-11-26.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -q -pl benchmarks -am package -DskipTests -Pfebrl "$@"
