#!/usr/bin/env bash
# Quarantine index benchmark: seeds 1,000,000 items into a separate database (default portcullis_bench, created
# by ./portcullis bench quarantine when missing) through COPY and prints list/search query times.
# Usage: quarantine-service/bench.sh [--items N] [--runs N] [--url JDBC] [--reuse] [--explain]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CP_FILE="quarantine-service/target/bench-classpath.txt"
if [[ "${QUARANTINE_BENCH_SKIP_BUILD:-}" != 1 ]]; then
  mvn -o -B -q -pl quarantine-service compile dependency:build-classpath -Dmdep.outputFile="$ROOT/$CP_FILE" \
    -Dmdep.includeScope=runtime
fi
exec java -Xmx1g -cp "quarantine-service/target/classes:$(cat "$CP_FILE")" \
  io.portcullis.quarantine.bench.QuarantineBench "$@"
