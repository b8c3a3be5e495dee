#!/usr/bin/env bash
# Vulnerability-data benchmark: import every feed under ../shared/vulndata into a fresh
# store, then match image A's packages against it. Reports import time, store size and the
# matcher's own time (as `plimsoll vulns` measures it, catalog time excluded). A benchmark,
# not a test: it fails only if a command fails.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -p plimsoll >&2
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
plimsoll=$target/release/plimsoll
image=../shared/images/prebuilt/image-a/image-a.oci-archive.tar

start=$(date +%s.%N)
"$plimsoll" db import --db "$work/vulns.db" ../shared/vulndata > "$work/import.txt" 2>/dev/null
end=$(date +%s.%N)
import_s=$(python3 -c "print(f'{$end - $start:.2f}')")
size_mib=$(du -m "$work/vulns.db" | cut -f1)

# The matcher's time, as printed on the "Scanned for vulnerabilities" line.
match_ms=()
for _ in $(seq "$RUNS"); do
  ms=$("$plimsoll" vulns --db "$work/vulns.db" "$image" 2>&1 >/dev/null | sed -n 's/.*Scanned for vulnerabilities.* \([0-9]*\) ms$/\1/p')
  match_ms+=("$ms")
done
median=$(printf '%s\n' "${match_ms[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
matches=$("$plimsoll" vulns -q --db "$work/vulns.db" -o json "$image" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["matches"]))')

echo "import of ../shared/vulndata: ${import_s} s, store ${size_mib} MiB"
echo "match of image A: median ${median} ms over ${RUNS} runs (${match_ms[*]}), ${matches} matches"
echo
cat "$work/import.txt"
