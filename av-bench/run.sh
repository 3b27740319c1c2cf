#!/usr/bin/env bash
# av-engine vs clamd benchmark. Builds av-engine and av-bench (offline), generates the data into
# av-bench/target/bench-data (once per seed/size), runs JMH and clamd side by side, prints a table.
# Usage: av-bench/run.sh [--quick] [--no-clamd] [--mb 200] [--seed N] [--clamd-modes raw,default] [--reloads 5]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ "${AV_BENCH_SKIP_BUILD:-}" != 1 ]]; then
  mvn -o -B -q -pl av-bench -am package -DskipTests
fi
exec java -Xms3g -Xmx3g -jar av-bench/target/av-bench.jar --data "$ROOT/av-bench/target/bench-data" "$@"
