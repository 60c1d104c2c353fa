#!/usr/bin/env bash
# Connection benchmark (`make bench`, root): open 10,000 WebSocket connections at once through
# real nginx (four workers) to a ws echo backend, one message echoed on each, without wsguard
# and with it, alternating three times. Prints the times and the ratio of the medians, the
# connections served, the daemon's peak memory, and the sockets wsguard still tracks once
# all have closed (its own two: custody and release). Asserts nothing.
#   CONNS=10000 tests/bench/bench_conns.sh
set -uo pipefail
. "$(dirname "$0")/../e2e/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "bench_conns: needs root"; exit 0; }
N=${CONNS:-10000}
NGINX_CONF=nginx-conns.conf.in
ulimit -n "$(ulimit -Hn)" # the clients, the backend and each nginx worker hold thousands
e2e_init bench
export WSG_PIN_DIR=${WSG_PIN_DIR:-/sys/fs/bpf/wsg-bench-$$}
start_backend
start_echo_backend
start_nginx
run() { node "$E2E_DIR/open_many.js" --url "ws://127.0.0.1:$PROXY_PORT/echo/" --count "$N"; }
tracked() { bpftool -j map dump pinned "$WSG_PIN_DIR/wsg_socks" 2>/dev/null | grep -o '"key"' | wc -l; }
without=() with=() served=() peak=() left=()
for i in 1 2 3; do
	without+=("$(run | J get /dev/stdin ms)")
	start_wsguard >/dev/null || { echo "bench_conns: wsguard did not start"; exit 1; }
	out=$(run)
	with+=("$(J get /dev/stdin ms <<<"$out")") served+=("$(J get /dev/stdin ok <<<"$out")")
	peak+=("$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$WSG_PID/status")")
	sleep 1 # the closes reach the kernel
	left+=("$(tracked)")
	stop_wsguard
done
med() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
a=$(med "${without[@]}") b=$(med "${with[@]}")
echo "bench_conns: $N WebSocket connections through nginx: nginx alone ${without[*]} ms," \
	"with wsguard ${with[*]} ms; median ratio $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')"
echo "bench_conns: served with wsguard ${served[*]} of $N; daemon peak RSS ${peak[*]} MiB;" \
	"sockets tracked after all closed: ${left[*]}"
