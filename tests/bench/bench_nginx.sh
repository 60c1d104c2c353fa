#!/usr/bin/env bash
# Datapath benchmark through real nginx (`make bench`, root): nginx with two workers in a
# cgroup, a C WebSocket echo backend, the closed-loop load generator (one message in flight
# per connection); each scenario alternates rounds without wsguard, with its floor (an sk_msg
# program that passes every send unread, bpf/wsg_floor.bpf.c: what sockmap and sk_msg cost
# by themselves) and with wsguard, and the table gives the medians, the ratios to nginx alone
# and the round-trip latency wsguard adds. Message
# sets come from the evaluation corpora (tests/bench/payloads.js); messages the daemon would
# block are left out, since a block ends its connection. Asserts nothing.
#   ROUNDS=3 SECS=3 tests/bench/bench_nginx.sh
set -uo pipefail
. "$(dirname "$0")/../e2e/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "bench_nginx: needs root"; exit 0; }
B=$REPO_DIR/build/bench
ROUNDS=${ROUNDS:-3} SECS=${SECS:-3}
EVAL=${WSG_EVAL_DIR:-$REPO_DIR/../shared/eval}
NGINX_CONF=nginx-bench.conf.in
ulimit -n "$(ulimit -Hn)"
e2e_init nbench
node "$REPO_DIR/tests/bench/payloads.js" "$EVAL" "$RUN_DIR" >/dev/null || exit 1
for f in apps prose1k held1k; do
	"$WSGUARD" scan "$RUN_DIR/$f.jsonl" >"$RUN_DIR/$f.verdicts" 2>/dev/null
	node "$REPO_DIR/tests/bench/payloads.js" --keep "$RUN_DIR/$f.bin" "$RUN_DIR/$f.verdicts"
done
(
	close_client_fds
	exec "$B/ws_echo" "$DEFLATE_PORT"
) >"$RUN_DIR/echo.out" 2>&1 &
DEFLATE_PID=$!
wait_line 10 "$RUN_DIR/echo.out" listening || die "ws_echo did not start"
start_nginx

load() { "$B/ws_load" --port "$PROXY_PORT" --path /echo/ --threads 1 --secs "$SECS" "$@"; }
field() { J get /dev/stdin "$1" <<<"$2"; }
med() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '%-34s %12s %6s %12s %6s %10s %10s\n' scenario "nginx msg/s" floor "wsguard" ratio \
	"+p50 us" "+p99 us"
scenario() { # NAME LOAD-ARGS...
	local name=$1 r a b f
	local -a ra=() rb=() rf=() pa=() pb=() qa=() qb=()
	shift
	for ((r = 0; r < ROUNDS; r++)); do
		a=$(load "$@")
		WSG_BENCH_FLOOR=1 start_wsguard >/dev/null || die "wsguard (floor) did not start"
		f=$(load "$@")
		stop_wsguard
		start_wsguard >/dev/null || die "wsguard did not start"
		b=$(load "$@")
		stop_wsguard
		ra+=("$(field msgs_per_s "$a")") rb+=("$(field msgs_per_s "$b")")
		rf+=("$(field msgs_per_s "$f")")
		pa+=("$(field p50_us "$a")") pb+=("$(field p50_us "$b")")
		qa+=("$(field p99_us "$a")") qb+=("$(field p99_us "$b")")
		[ "$(field errors "$b")" = 0 ] && [ "$(field closed "$b")" = 0 ] ||
			echo "# $name: with wsguard: $b"
	done
	awk -v n="$name" -v a="$(med "${ra[@]}")" -v b="$(med "${rb[@]}")" \
		-v f="$(med "${rf[@]}")" \
		-v p="$(med "${pa[@]}")" -v q="$(med "${pb[@]}")" \
		-v s="$(med "${qa[@]}")" -v t="$(med "${qb[@]}")" \
		'BEGIN { printf "%-34s %12.0f %6.2f %12.0f %6.2f %10.0f %10.0f\n", n, a, f / a, b,
			 b / a, q - p, t - s }'
}

scenario "fast path 64 B x 50" --conns 50 --size 64
scenario "fast path 1 KiB x 50" --conns 50 --size 1024
scenario "fast path 16 KiB x 50" --conns 50 --size 16384
scenario "fast path 1 KiB x 1" --conns 1 --size 1024
scenario "fast path 1 KiB x 500" --conns 500 --size 1024
scenario "apps + chat events (mix) x 50" --conns 50 --payload-file "$RUN_DIR/apps.bin"
scenario "1 KiB chat prose x 50" --conns 50 --payload-file "$RUN_DIR/prose1k.bin"
scenario "all held (markup, SQL) 1 KiB x 50" --conns 50 --payload-file "$RUN_DIR/held1k.bin"
scenario "all held (markup, SQL) 1 KiB x 1" --conns 1 --payload-file "$RUN_DIR/held1k.bin"
