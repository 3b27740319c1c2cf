#!/usr/bin/env bash
# Text extraction benchmark (JMH): the scanner's TextExtractor (Tika) on generated PDF, DOCX, XLSX, HTML and a ZIP.
# Usage: av-bench/text.sh [--quick] [--threads N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ "${AV_BENCH_SKIP_BUILD:-}" != 1 ]]; then
  mvn -o -B -q -pl av-bench -am package -DskipTests
fi
exec java -Xmx1g -cp av-bench/target/av-bench.jar io.portcullis.av.bench.TextBench "$@"
