#!/usr/bin/env bash
# How long `--verify` takes on 100 findings against a mock provider answering after 50 ms.
#
#   benches/verify_mock.sh [path/to/keyhound]     (default: target/release/keyhound)
#
# Starts a local mock (python3, on 127.0.0.1) that answers every request 200 with a whoami
# body after 50 ms, writes 100 files each holding a distinct made-up Hugging Face token,
# and times `keyhound scan --verify --verify-endpoint '*=http://127.0.0.1:PORT'` with the
# default limits and with them raised. Prints the requests the mock saw per run (one per
# distinct secret). Nothing leaves the machine.
set -euo pipefail

bin=${1:-target/release/keyhound}
work=$(mktemp -d)
trap 'kill "${mock_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import random, string, sys, os
random.seed(16)
os.makedirs(f"{sys.argv[1]}/src")
for i in range(100):
    token = "hf_" + "".join(random.choice(string.ascii_letters) for _ in range(34))
    with open(f"{sys.argv[1]}/src/f{i:03}.py", "w") as f:
        f.write(f'login(token="{token}")\n')
PY

cat > "$work/mock.py" <<'PY'
import http.server, socketserver, sys, time, threading
count = 0
lock = threading.Lock()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        global count
        with lock:
            count += 1
        time.sleep(0.05)
        body = b'{"name":"bench","type":"user"}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_DELETE(self):  # the script asks for the count, then resets it
        global count
        body = str(count).encode()
        count = 0
        self.send_response(200)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
s = S(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
python3 "$work/mock.py" > "$work/port" &
mock_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
endpoint="*=http://127.0.0.1:$port"
echo '' > "$work/empty.toml"

run() {
    local label=$1; shift
    local start end
    start=$(date +%s.%N)
    "$bin" scan "$work/src" -c "$work/empty.toml" --format jsonl --verify \
        --verify-endpoint "$endpoint" "$@" > "$work/out.jsonl" 2> "$work/err" || true
    end=$(date +%s.%N)
    local live requests
    live=$(grep -c '"status":"live"' "$work/out.jsonl" || true)
    requests=$(python3 -c "import urllib.request as u; print(u.urlopen(u.Request('http://127.0.0.1:$port/', method='DELETE')).read().decode())")
    printf '%-48s %6.2f s  %3s live findings  %3s requests\n' "$label" "$(echo "$end - $start" | bc)" "$live" "$requests"
}

run "defaults (10 req/s, 2 per host)"
run "--verify-rate 100 --verify-per-host 8" --verify-rate 100 --verify-per-host 8
run "--verify-rate 1000 --verify-per-host 8" --verify-rate 1000 --verify-per-host 8
run "--verify-deadline 0 (nothing sent: the scan alone)" --verify-deadline 0
