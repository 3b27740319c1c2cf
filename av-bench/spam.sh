#!/usr/bin/env bash
# Spam scoring benchmark (JMH): the classifier alone, the rules alone and both, on the TRAIN messages, 1 and 2 threads.
# Usage: av-bench/spam.sh [--quick] [--threads 1,2] [--corpus DIR]   (default corpus: $PORTCULLIS_HOME/corpus/package/data)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ "${AV_BENCH_SKIP_BUILD:-}" != 1 ]]; then
  mvn -o -B -q -pl av-bench -am package -DskipTests
fi
exec java -Xmx1g -cp av-bench/target/av-bench.jar io.portcullis.av.bench.SpamBench --root "$ROOT" "$@"
