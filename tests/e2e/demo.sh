#!/usr/bin/env bash
# `make demo`: nginx in a cgroup guarded by wsguard, a Socket.IO chat behind it; alice chats,
# mallory sends an XSS payload. Tells the story, checks each step, tears everything down,
# and exits non-zero if the story did not happen.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "run as root: sudo make demo"
if [ -t 1 ]; then B=$'\e[1m' G=$'\e[32m' R=$'\e[31m' D=$'\e[2m' N=$'\e[0m'; else B= G= R= D= N=; fi
FAILED=0
say() { printf '%s\n' "$*"; }
step() { printf '\n%s%s%s\n' "$B" "$*" "$N"; }
check() { # check DESC CMD...
	local desc=$1
	shift
	if "$@"; then say "  ${G}✔${N} $desc"; else say "  ${R}✘ $desc${N}"; FAILED=$((FAILED + 1)); fi
}
not() { ! "$@"; }

e2e_init demo
XSS='<img src=x onerror=alert(1)>'

step "Setting the stage"
start_backend
say "  Node.js Socket.IO chat (WebSocket only) on 127.0.0.1:$BACKEND_PORT ${D}(pid $BACKEND_PID)${N}"
start_nginx
say "  nginx on 127.0.0.1:$PROXY_PORT proxying /socket.io/ to it ${D}(master pid $NGINX_PID)${N}"
say "  nginx runs in cgroup $CGROUP"
start_wsguard || die "wsguard did not start (see above)"
say "  wsguard attached to that cgroup, watching connections to port $BACKEND_PORT ${D}(pid $WSG_PID)${N}"

step "alice and mallory join the chat through nginx"
joined alice mallory || die "the clients could not connect"
say "  alice and mallory are connected"

step "alice says: Hello world"
client alice "say Hello world"
check "alice got \"Hello world\"" got alice alice "Hello world"
check "mallory got \"Hello world\" too" got mallory alice "Hello world"

step "mallory says: $XSS"
client mallory "say $XSS"
if wait_json 10 "$(cout mallory)" event=disconnected; then
	check "mallory's connection was dropped ($(J get "$(cout mallory)" reason event=disconnected))" true
else
	check "mallory's connection was dropped" false
fi
check "mallory's message was never acknowledged by the server" not J has "$(cout mallory)" event=ack

step "alice says: Did anything happen?"
client alice "say Did anything happen?"
check "alice's next message still works" got alice alice "Did anything happen?"
check "alice never received mallory's payload" not J has "$(cout alice)" event=message "text~$XSS"
check "the backend never received it either" not J has "$RUN_DIR/backend.log" kind=message "args~$XSS"

step "What wsguard logged"
src=$(remote_of mallory || true)
if J has "$RUN_DIR/wsguard.log" event=verdict verdict=block "src=$src"; then
	w() { J get "$RUN_DIR/wsguard.log" "$1" event=verdict verdict=block "src=$src"; }
	say "  verdict ${B}block${N}: rule $(w rule), class $(w class), reason $(w reason)"
	say "  connection $(w conn): nginx $(w src) -> backend $(w dst) (mallory's)"
	say "  found at $(w where): $(w excerpt)"
	say "  ${D}$(grep -F '"verdict":"block"' "$RUN_DIR/wsguard.log" | head -1)${N}"
	check "wsguard blocked mallory's connection" true
else
	check "wsguard logged a block for mallory's connection" false
fi

step "Tearing down"
pin=$(J get "$RUN_DIR/wsguard.log" pin_dir event=ready || echo /sys/fs/bpf/wsguard)
check "wsguard stopped on SIGTERM and exited 0" stop_wsguard
check "its pins ($pin) are gone" test ! -e "$pin"
check "nothing is attached to nginx's cgroup any more" \
	test -z "$(bpftool cgroup show "$CGROUP" 2>/dev/null | tail -n +2)"
e2e_stop_all
say "  nginx, the chat server and the clients stopped; cgroup removed"

if [ "$FAILED" -eq 0 ]; then
	printf '\n%s%s%s\n' "$G$B" "mallory's attack never reached the backend or anyone in the chat." "$N"
else
	printf '\n%s%d step(s) of the story did not happen.%s\n' "$R$B" "$FAILED" "$N"
	exit 1
fi
