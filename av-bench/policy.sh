#!/usr/bin/env bash
# Policy benchmark (JMH): rule evaluation and DLP templates on the TRAIN messages' text, 1 and 2 threads.
# Usage: av-bench/policy.sh [--quick] [--threads 1,2] [--corpus DIR]   (default corpus: $PORTCULLIS_HOME/corpus/package/data)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ "${AV_BENCH_SKIP_BUILD:-}" != 1 ]]; then
  mvn -o -B -q -pl av-bench -am package -DskipTests
fi
exec java -Xmx1g -cp av-bench/target/av-bench.jar io.portcullis.av.bench.PolicyBench --root "$ROOT" "$@"
