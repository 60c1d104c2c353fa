#!/usr/bin/env bash
# Connection-setup benchmark (`make bench`, root): open 2,500 WebSocket connections through
# real nginx to a ws echo backend, without wsguard and with it, alternating three times; prints
# each time and the ratio of the medians. Asserts nothing.
set -uo pipefail
. "$(dirname "$0")/../e2e/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "bench_conns: needs root"; exit 0; }
N=${CONNS:-2500}
NGINX_CONF=nginx-keepalive.conf.in
ulimit -n "$(ulimit -Hn)" # nginx, node and the clients each hold 2,500+ sockets
e2e_init bench
start_backend
start_echo_backend
start_nginx
run() { node "$E2E_DIR/open_many.js" --url "ws://127.0.0.1:$PROXY_PORT/echo/" --count "$N" | J get /dev/stdin ms; }
without=() with=()
for i in 1 2 3; do
	without+=("$(run)")
	start_wsguard >/dev/null || { echo "bench_conns: wsguard did not start"; exit 1; }
	with+=("$(run)")
	stop_wsguard
done
med() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
a=$(med "${without[@]}") b=$(med "${with[@]}")
echo "bench_conns: $N WebSocket connections through nginx: nginx alone ${without[*]} ms," \
	"with wsguard ${with[*]} ms; median ratio $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')"
