#!/usr/bin/env bash
# Server benchmark, on loopback only: starts `plimsoll server` with two feeds and measures
#   1. upload-to-analyzed: N imports of image A's analysis (the Anchore import flow, driven
#      directly), each timed from `POST /v1/images?force=true` until GET /v1/images/{digest}
#      reports `analysis_status == analyzed` (polled every 10 ms); plus the wall time of whole
#      `plimsoll scan -H` runs (catalog + upload) of image A;
#   2. query rate of GET /v1/images/{digest}/vuln/all and GET /v1/images/{digest} under a
#      bounded load (wrk if installed, else a small Python load generator).
# A benchmark, not a test: it fails only if a command or request fails, never on the numbers.
#
# Knobs (environment): N (uploads, 20), SCAN_RUNS (whole scans, 3), DURATION (seconds per
# load run, 10), THREADS (2), CONNECTIONS (16), PORT (a free one), WORKERS (server default),
# OUT (also write the summary there), LOADGEN (wrk|python; wrk when installed).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-20}
SCAN_RUNS=${SCAN_RUNS:-3}
DURATION=${DURATION:-10}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
if [[ -z ${LOADGEN:-} ]]; then
  if command -v wrk >/dev/null; then LOADGEN=wrk; else LOADGEN=python; fi
fi
image=../shared/images/prebuilt/image-a/image-a.oci-archive.tar
feeds=(../shared/vulndata/osv-pypi ../shared/vulndata/npm-nodejs-security-wg)

cargo build --release -p plimsoll >&2
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
plimsoll=$target/release/plimsoll

work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
PASS=bench-$(python3 -c 'import secrets; print(secrets.token_hex(8))')
base=http://127.0.0.1:$PORT
auth=$(printf 'admin:%s' "$PASS" | base64 -w0)
now() { date +%s.%N; }
ms_since() { python3 -c "print(round(($(now) - $1) * 1000))"; }

# --- start the server --------------------------------------------------------------------
worker_args=()
[[ -n ${WORKERS:-} ]] && worker_args=(--workers "$WORKERS")
started=$(now)
env -u PLIMSOLL_CONFIG -u PLIMSOLL_DATABASE_URL -u PLIMSOLL_ROLE -u PLIMSOLL_FEEDS \
  PLIMSOLL_ADMIN_PASSWORD="$PASS" \
  "$plimsoll" server --listen "127.0.0.1:$PORT" --data-dir "$work/data" \
  --feed "${feeds[0]}" --feed "${feeds[1]}" "${worker_args[@]}" >"$work/server.log" 2>&1 &
server_pid=$!

fail() { echo "error: $*" >&2; echo "--- server log (tail) ---" >&2; tail -20 "$work/server.log" >&2; exit 1; }
for _ in $(seq 600); do
  curl -fsS -o /dev/null "$base/v1" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited"
  sleep 0.1
done
curl -fsS -o /dev/null "$base/v1" || fail "no answer on GET /v1 after 60 s"
up_ms=$(ms_since "$started")
for _ in $(seq 3000); do
  synced=$(curl -fsS -H "Authorization: Basic $auth" "$base/v1/system/feeds" |
    python3 -c 'import json,sys; print(any(f.get("last_full_sync") for f in json.load(sys.stdin)))') || synced=False
  [[ $synced == True ]] && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited"
  sleep 0.1
done
[[ $synced == True ]] || fail "feeds not synced after 300 s"
sync_ms=$(ms_since "$started")
echo "server up in ${up_ms} ms, feeds synced ${sync_ms} ms after start" >&2

# --- whole scans (catalog + upload) ------------------------------------------------------
# The pre-scan writes the syft-json the import driver uploads; it also warms the page cache.
catalog_start=$(now)
"$plimsoll" scan "$image" -q -o "syft-json=$work/image-a.syft.json"
catalog_ms=$(ms_since "$catalog_start")
scan_ms=()
for i in $(seq "$SCAN_RUNS"); do
  t=$(now)
  "$plimsoll" scan "$image" -q -o json=/dev/null -H "127.0.0.1:$PORT" -u admin -p "$PASS" \
    --tag "corpus/bench-scan:latest" --overwrite-existing-image
  scan_ms+=("$(ms_since "$t")")
done

# --- the Python helpers --------------------------------------------------------------------
cat >"$work/driver.py" <<'PY'
"""Import driver and fallback load generator; talks HTTP/1.1 keep-alive to the server."""
import base64, hashlib, http.client, json, statistics, sys, threading, time

host, port, password = sys.argv[2], int(sys.argv[3]), sys.argv[4]
AUTH = {"Authorization": "Basic " + base64.b64encode(f"admin:{password}".encode()).decode()}


def request(conn, method, path, body=None, content_type="application/json"):
    headers = dict(AUTH)
    if body is not None:
        headers["Content-Type"] = content_type
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: HTTP {response.status}: {data[:300]!r}")
    return data


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def uploads(sbom_path, count):
    sbom = open(sbom_path, "rb").read()
    meta = json.loads(sbom)["source"]["metadata"]
    manifest = base64.b64decode(meta["manifest"])
    config = base64.b64decode(meta["config"])
    digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
    image_id = "sha256:" + hashlib.sha256(config).hexdigest()
    conn = http.client.HTTPConnection(host, port, timeout=60)
    times, upload_times = [], []
    for i in range(1, count + 1):
        t_import = time.perf_counter()
        uuid = json.loads(request(conn, "POST", "/v1/imports/images"))["uuid"]
        contents = {}
        for kind, body in (("packages", sbom), ("manifest", manifest), ("image_config", config)):
            answer = json.loads(request(conn, "POST", f"/v1/imports/images/{uuid}/{kind}", body))
            contents[kind] = answer["digest"]
        payload = json.dumps({"source": {"import": {
            "contents": contents, "tags": [f"corpus/bench-{i}:latest"], "digest": digest,
            "local_image_id": image_id, "operation_uuid": uuid}}}).encode()
        t0 = time.perf_counter()
        request(conn, "POST", "/v1/images?force=true", payload)
        while True:
            record = json.loads(request(conn, "GET", f"/v1/images/{digest}"))
            status = record[0]["analysis_status"] if isinstance(record, list) else record["analysis_status"]
            if status == "analyzed":
                break
            if status == "analysis_failed":
                raise SystemExit(f"upload {i}: analysis failed")
            if time.perf_counter() - t0 > 120:
                raise SystemExit(f"upload {i}: not analyzed after 120 s (status {status})")
            time.sleep(0.010)
        t1 = time.perf_counter()
        times.append((t1 - t0) * 1000)
        upload_times.append((t0 - t_import) * 1000)
    print(json.dumps({"digest": digest, "analyzed_ms": times, "import_parts_ms": upload_times,
                      "median": statistics.median(times), "p90": percentile(times, 90),
                      "min": min(times), "max": max(times),
                      "parts_median": statistics.median(upload_times)}))


def load(path, seconds, threads):
    """Closed-loop load: `threads` keep-alive connections, each one request at a time."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def run():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            conn.request("GET", path, headers=AUTH)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - t) * 1000)
            bad += response.status != 200
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    print(json.dumps({"rps": len(latencies) / elapsed, "requests": len(latencies),
                      "errors": errors[0], "p50": percentile(latencies, 50),
                      "p90": percentile(latencies, 90), "p99": percentile(latencies, 99)}))


if sys.argv[1] == "uploads":
    uploads(sys.argv[5], int(sys.argv[6]))
else:
    load(sys.argv[5], float(sys.argv[6]), int(sys.argv[7]))
PY

# --- 1. upload to analyzed ---------------------------------------------------------------
python3 "$work/driver.py" uploads 127.0.0.1 "$PORT" "$PASS" "$work/image-a.syft.json" "$N" >"$work/uploads.json"
field() { python3 -c "import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(round(v, 1) if isinstance(v, float) else v)" "$@"; }
digest=$(field "$work/uploads.json" digest)

# Sanity: what the queries return.
curl -fsS -H "Authorization: Basic $auth" -o "$work/vuln.json" "$base/v1/images/$digest/vuln/all"
curl -fsS -H "Authorization: Basic $auth" -o "$work/image.json" "$base/v1/images/$digest"
vuln_count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["vulnerabilities"]))' "$work/vuln.json")
vuln_bytes=$(stat -c %s "$work/vuln.json")
image_bytes=$(stat -c %s "$work/image.json")

# --- 2. query rate -----------------------------------------------------------------------
# Prints "rps p50 p90 p99 errors" (latencies in ms).
load() {
  local path=$1 url=$base$1
  if [[ $LOADGEN == wrk ]]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
      -H "Authorization: Basic $auth" "$url" >"$work/wrk.txt"
    python3 - "$work/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(p):
    value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", text))
errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
print(f"{rps:.0f} {ms(50):.2f} {ms(90):.2f} {ms(99):.2f} {errors}")
PY
  else
    python3 "$work/driver.py" load 127.0.0.1 "$PORT" "$PASS" "$path" "$DURATION" "$CONNECTIONS" |
      python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.0f %.2f %.2f %.2f %d" % (r["rps"], r["p50"], r["p90"], r["p99"], r["errors"]))'
  fi
}
vuln_line=$(load "/v1/images/$digest/vuln/all")
img_line=$(load "/v1/images/$digest")
read -r vuln_rps vuln_p50 vuln_p90 vuln_p99 vuln_err <<<"$vuln_line"
read -r img_rps img_p50 img_p90 img_p99 img_err <<<"$img_line"
(( vuln_err == 0 && img_err == 0 )) || fail "errors under load: vuln/all $vuln_err, image $img_err"

# --- summary -----------------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
ratio=$(python3 -c "print(f'{$img_rps / $vuln_rps:.1f}')")
if [[ $LOADGEN == wrk ]]; then
  loadgen="wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
else
  loadgen="python, $CONNECTIONS threads, ${DURATION}s"
fi
{
  echo "plimsoll server benchmark  commit $(git rev-parse --short HEAD)  $(nproc) cores  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "server: 127.0.0.1:$PORT, feeds osv-pypi + npm-nodejs-security-wg, workers ${WORKERS:-default}"
  echo "  up ${up_ms} ms, first feed sync done ${sync_ms} ms after start"
  echo
  printf '%-44s %s\n' "measure" "value"
  printf '%-44s %s\n' "upload->analyzed, N=$N (ms)" \
    "median $(field "$work/uploads.json" median)  p90 $(field "$work/uploads.json" p90)  min $(field "$work/uploads.json" min)  max $(field "$work/uploads.json" max)"
  printf '%-44s %s\n' "import parts before POST /images (ms)" "median $(field "$work/uploads.json" parts_median)"
  printf '%-44s %s\n' "scan -H image A, catalog+upload (ms)" "median $(median "${scan_ms[@]}")  runs ${scan_ms[*]}"
  printf '%-44s %s\n' "scan image A to syft-json, no upload (ms)" "$catalog_ms (one run, cold-ish)"
  printf '%-44s %s\n' "GET vuln/all ($vuln_count vulns, $vuln_bytes B)" \
    "${vuln_rps} req/s  p50 ${vuln_p50}  p90 ${vuln_p90}  p99 ${vuln_p99} ms"
  printf '%-44s %s\n' "GET images/{digest} ($image_bytes B)" \
    "${img_rps} req/s  p50 ${img_p50}  p90 ${img_p90}  p99 ${img_p99} ms"
  printf '%-44s %s\n' "req/s ratio image / vuln/all" "${ratio}x"
  echo "load generator: $loadgen (on the same machine as the server)"
  echo "upload->analyzed runs (ms): $(python3 -c 'import json,sys; print(" ".join(str(round(x)) for x in json.load(open(sys.argv[1]))["analyzed_ms"]))' "$work/uploads.json")"
} >"$work/summary.txt"
cat "$work/summary.txt"
if [[ -n ${OUT:-} ]]; then
  cp "$work/summary.txt" "$OUT"
fi
