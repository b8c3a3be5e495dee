#!/usr/bin/env bash
# Scale-out benchmark, on loopback only: `plimsoll server` processes on one fresh PostgreSQL
# database, two `--role worker` processes and first one, then two `--role api` processes.
# For each API count it measures
#   1. uploads per second: U imports of distinct images (the Anchore import flow, driven
#      directly by CLIENTS concurrent connections spread over the API processes), counted
#      from the first request until every `POST /v1/images` was answered, and until every
#      image was `analyzed`;
#   2. GET /v1/images/{digest}/vuln/all per second: one wrk per API process, all running at
#      once with the same total threads and connections in both rounds (so the load
#      generator costs the same), their rates added.
# A benchmark, not a test: it fails only if a command or request fails, never on the numbers.
#
# Knobs (environment): U (uploads per round, 300), CLIENTS (8), DURATION (seconds per wrk
# run, 10), CONNECTIONS (16 in all), PLIMSOLL_BENCH_POSTGRES (a PostgreSQL URL whose server
# the script may create a database on; default postgres://postgres@127.0.0.1:5432/postgres),
# PLIMSOLL_BIN (a plimsoll binary to use instead of building the release one), OUT (also
# write the summary there).
set -euo pipefail
cd "$(dirname "$0")/.."

U=${U:-300}
CLIENTS=${CLIENTS:-8}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
postgres=${PLIMSOLL_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}
image=../shared/images/prebuilt/image-a/image-a.oci-archive.tar
feeds=(../shared/vulndata/osv-pypi ../shared/vulndata/npm-nodejs-security-wg)
command -v wrk >/dev/null || { echo "error: wrk is needed: apt-get install -y wrk" >&2; exit 2; }
command -v psql >/dev/null || { echo "error: psql is needed" >&2; exit 2; }

if [[ -n ${PLIMSOLL_BIN:-} ]]; then
  plimsoll=$PLIMSOLL_BIN
else
  cargo build --release -p plimsoll >&2
  target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  plimsoll=$target/release/plimsoll
fi

work=$(mktemp -d)
database=plimsoll_bench_$(date +%s)_$$
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql "$postgres" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql "$postgres" -qc "CREATE DATABASE $database"
url=${postgres%/*}/$database
PASS=bench-$(python3 -c 'import secrets; print(secrets.token_hex(8))')
auth=$(printf 'admin:%s' "$PASS" | base64 -w0)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
fail() { echo "error: $*" >&2; tail -n 5 "$work"/*.log >&2; exit 1; }

# Starts a server process and waits until it is ready; sets `port`.
start() {
  local name=$1 role=$2
  shift 2
  port=$(free_port)
  env -u PLIMSOLL_CONFIG -u PLIMSOLL_DATABASE_URL -u PLIMSOLL_ROLE -u PLIMSOLL_FEEDS \
    PLIMSOLL_ADMIN_PASSWORD="$PASS" PLIMSOLL_LOG=warn \
    "$plimsoll" server --role "$role" --database "$url" --listen "127.0.0.1:$port" \
    --data-dir "$work/$name" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/ready" 2>/dev/null && return
    kill -0 "${pids[-1]}" 2>/dev/null || fail "$name exited"
    sleep 0.1
  done
  fail "$name was not ready after 30 s"
}

# --- the cluster: two workers (one syncs the feeds), one API process to begin with --------
start worker-1 worker --feed "${feeds[0]}" --feed "${feeds[1]}"
start worker-2 worker
start api-1 api
api1=$port
for _ in $(seq 3000); do
  synced=$(curl -fsS -H "Authorization: Basic $auth" "http://127.0.0.1:$api1/v1/system/feeds" |
    python3 -c 'import json,sys; print(any(f.get("last_full_sync") for f in json.load(sys.stdin)))') || synced=False
  [[ $synced == True ]] && break
  sleep 0.1
done
[[ $synced == True ]] || fail "feeds not synced after 300 s"

"$plimsoll" scan "$image" -q -o "syft-json=$work/image-a.syft.json"

cat >"$work/uploads.py" <<'PY'
"""Uploads distinct images over keep-alive connections spread across API processes; prints
the seconds until every POST /images was answered and until every image was analyzed."""
import base64, hashlib, http.client, json, sys, threading, time

password, sbom_path, round_name, count, clients = sys.argv[1:6]
ports = [int(p) for p in sys.argv[6:]]
count, clients = int(count), int(clients)
AUTH = {"Authorization": "Basic " + base64.b64encode(f"admin:{password}".encode()).decode()}
sbom = open(sbom_path, "rb").read()
meta = json.loads(sbom)["source"]["metadata"]
manifest, config = base64.b64decode(meta["manifest"]), base64.b64decode(meta["config"])


def request(conn, method, path, body=None):
    headers = dict(AUTH)
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: HTTP {response.status}: {data[:300]!r}")
    return data


def digest_of(i):
    return "sha256:" + hashlib.sha256(f"{round_name}-{i}".encode()).hexdigest()


def upload(client):
    conn = http.client.HTTPConnection("127.0.0.1", ports[client % len(ports)], timeout=60)
    for i in range(client, count, clients):
        uuid = json.loads(request(conn, "POST", "/v1/imports/images"))["uuid"]
        contents = {}
        for kind, body in (("packages", sbom), ("manifest", manifest), ("image_config", config)):
            contents[kind] = json.loads(request(conn, "POST", f"/v1/imports/images/{uuid}/{kind}", body))["digest"]
        payload = json.dumps({"source": {"import": {
            "contents": contents, "tags": [f"bench/{round_name}-{i}:latest"], "digest": digest_of(i),
            "local_image_id": hashlib.sha256(f"id-{round_name}-{i}".encode()).hexdigest(),
            "operation_uuid": uuid}}}).encode()
        request(conn, "POST", "/v1/images", payload)


started = time.perf_counter()
threads = [threading.Thread(target=upload, args=(c,)) for c in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
accepted = time.perf_counter() - started
conn = http.client.HTTPConnection("127.0.0.1", ports[0], timeout=60)
while True:
    images = json.loads(request(conn, "GET", "/v1/images"))
    mine = [i for i in images if any(f"bench/{round_name}-" in t["fulltag"] for t in i["image_detail"])]
    if len(mine) == count and all(i["analysis_status"] == "analyzed" for i in mine):
        break
    if time.perf_counter() - started > 600:
        raise SystemExit("not every image was analyzed after 600 s")
    time.sleep(0.2)
analyzed = time.perf_counter() - started
print(f"{accepted:.3f} {analyzed:.3f} {digest_of(0)}")
PY

# Runs one wrk per API port at once, splitting threads and connections; prints the summed
# req/s and the number of failed requests.
query_rate() {
  local path=$1
  shift
  local n=$# i=0 wrk_pids=()
  for target in "$@"; do
    wrk -t$((2 / n > 0 ? 2 / n : 1)) -c$((CONNECTIONS / n)) -d"${DURATION}s" \
      -H "Authorization: Basic $auth" "http://127.0.0.1:$target$path" >"$work/wrk-$i.txt" &
    wrk_pids+=($!)
    i=$((i + 1))
  done
  wait "${wrk_pids[@]}"
  python3 - "$work"/wrk-*.txt <<'PY'
import re, sys
rps = errors = 0
for path in sys.argv[1:]:
    text = open(path).read()
    rps += float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    errors += sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", text))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
print(f"{rps:.0f} {errors}")
PY
  rm -f "$work"/wrk-*.txt
}

# One round against the API ports given; sets `accepted`, `analyzed` (seconds) and `rps`.
measure() {
  local name=$1 result digest errors
  shift
  result=$(python3 "$work/uploads.py" "$PASS" "$work/image-a.syft.json" "$name" "$U" "$CLIENTS" "$@")
  read -r accepted analyzed digest <<<"$result"
  result=$(query_rate "/v1/images/$digest/vuln/all" "$@")
  read -r rps errors <<<"$result"
  ((errors == 0)) || fail "$errors failed requests under load"
}

measure one "$api1"
one_accepted=$accepted one_analyzed=$analyzed one_rps=$rps
start api-2 api
api2=$port
measure two "$api1" "$api2"
two_accepted=$accepted two_analyzed=$analyzed two_rps=$rps

rate() { python3 -c "print(f'{$U / $1:.0f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
{
  echo "plimsoll scale-out benchmark  commit $(git rev-parse --short HEAD)  $(nproc) cores  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "PostgreSQL $(psql "$postgres" -Atc 'SHOW server_version'), 2 worker processes (2 workers each), feeds osv-pypi + npm-nodejs-security-wg"
  echo "uploads: U=$U distinct images of image A's analysis, $CLIENTS clients; queries: wrk, $CONNECTIONS connections in all, ${DURATION}s"
  echo
  printf '%-40s %12s %12s %8s\n' "measure" "1 API" "2 APIs" "2/1"
  printf '%-40s %12s %12s %8s\n' "uploads accepted per second" "$(rate "$one_accepted")" "$(rate "$two_accepted")" "$(ratio "$one_accepted" "$two_accepted")"
  printf '%-40s %12s %12s %8s\n' "uploads analyzed per second" "$(rate "$one_analyzed")" "$(rate "$two_analyzed")" "$(ratio "$one_analyzed" "$two_analyzed")"
  printf '%-40s %12s %12s %8s\n' "GET vuln/all per second" "$one_rps" "$two_rps" "$(ratio "$two_rps" "$one_rps")"
} >"$work/summary.txt"
cat "$work/summary.txt"
if [[ -n ${OUT:-} ]]; then
  cp "$work/summary.txt" "$OUT"
fi
