#!/usr/bin/env bash
# End-to-end test (TAP): real nginx in a cgroup guarded by build/wsguard, a Socket.IO chat
# behind it, scripted clients: attacks drop the sender and reach nobody, a long benign
# conversation and large broadcasts arrive complete and in order, stopping wsguard leaves nothing.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

e2e_need_root
T0=$SECONDS
E2E_DEADLINE=$((T0 + 90)) # waits give up after this: the test ends well within 2 minutes
e2e_init e2e
start_backend
start_deflate_backend
start_nginx

bail() { echo "Bail out! $*"; exit 1; }
not() { ! "$@"; }
WLOG=$RUN_DIR/wsguard.log BLOG=$RUN_DIR/backend.log
MSGS=$E2E_DIR/messages.txt

# attack NAME CLASS PAYLOAD [WITNESS...]: connected NAME sends PAYLOAD (with chat_client's
# command $SEND, default say); NAME must be dropped, wsguard must log the block, and neither
# the backend nor any WITNESS may see the payload (or $NEEDLE, what it decodes to).
attack() {
	local name=$1 class=$2 payload=$3 src w
	shift 3
	src=$(remote_of "$name")
	client "$name" "${SEND:-say} $payload"
	payload=${NEEDLE:-$payload}
	ok "$class: $name's connection is dropped" wait_json 5 "$(cout "$name")" event=disconnected
	ok "$class: wsguard logged verdict block, class $class, a rule, for $name's connection" \
		wait_json 3 "$WLOG" event=verdict verdict=block "class=$class" "rule!=" "src=$src"
	diag "$(grep -sF "\"src\":\"$src\"" "$WLOG" | grep -F '"verdict":"block"' | head -1)"
	ok "$class: $name's message was never acknowledged" not J has "$(cout "$name")" event=ack
	ok "$class: the backend never received it" not J has "$BLOG" kind=message "args~$payload"
	ok "$class: ... nor its deflate twin" not J has "$RUN_DIR/deflate.log" kind=message "args~$payload"
	for w in "$@"; do
		ok "$class: $w never received it" not J has "$(cout "$w")" event=message "text~$payload"
	done
}

# --- attach ---------------------------------------------------------------------------------
ok "nginx master runs in the test cgroup" \
	grep -qx "0::${CGROUP#"$(cgroup2_root)"}" "/proc/$NGINX_PID/cgroup"
if [ "${WSG_NO_DAEMON:-}" = 1 ]; then
	ok "wsguard is under test (WSG_NO_DAEMON=1 is for plumbing work only)" false
else
	ok "wsguard run attaches to nginx's cgroup and prints its ready event" start_wsguard ||
		{ diag "$(tail -5 "$RUN_DIR/wsguard.err" 2>/dev/null)"; bail "wsguard did not start"; }
	ok "the ready event names the cgroup and both backend ports" \
		J has "$WLOG" event=ready "cgroup=$CGROUP" "ports~$BACKEND_PORT" "ports~$DEFLATE_PORT"
	ok "bpftool shows programs attached to the cgroup" \
		test -n "$(bpftool cgroup show "$CGROUP" 2>/dev/null | tail -n +2)"
fi
PIN=$(J get "$WLOG" pin_dir event=ready || echo /sys/fs/bpf/wsguard)

# --- 1. the demo: alice talks, mallory attacks ---------------------------------------------
joined alice mallory || bail "alice and mallory could not connect through nginx"
client alice "say Hello world"
ok "alice's Hello world reaches alice" got alice alice "Hello world"
ok "alice's Hello world reaches mallory" got mallory alice "Hello world"
XSS='<img src=x onerror=alert(1)>'
attack mallory xss "$XSS" alice
client alice "say anyone still here?"
ok "alice's next message still goes through" got alice alice "anyone still here?"
ok "alice is still connected" not J has "$(cout alice)" event=disconnected
ok "alice never received the payload" not J has "$(cout alice)" event=message "text~onerror"

# --- 2. a benign conversation: 300 messages, some held and released by the daemon ---------
joined bob carol || bail "bob and carol could not connect"
tac "$MSGS" >"$RUN_DIR/carol.txt"
allow0=$(J count "$WLOG" event=verdict verdict=allow)
client bob "say-file $MSGS"
client carol "say-file $RUN_DIR/carol.txt 2"
n=$(wc -l <"$MSGS")
wait_all() { # everyone has both sides of the conversation
	local who from
	for who in bob carol alice; do
		for from in bob carol; do
			wait_count 30 "$n" "$(cout "$who")" event=message "from=$from" || return 1
		done
	done
}
ok "all $((2 * n)) messages arrive" wait_all
ok "carol received bob's $n messages complete and in order" J seq "$(cout carol)" text "$MSGS" event=message from=bob
ok "bob received carol's $n messages complete and in order" J seq "$(cout bob)" text "$RUN_DIR/carol.txt" event=message from=carol
ok "alice received bob's messages complete and in order" J seq "$(cout alice)" text "$MSGS" event=message from=bob
ok "the backend received bob's messages complete and in order" J seq "$BLOG" args.0 "$MSGS" kind=message name=bob
ok "the backend received carol's messages complete and in order" J seq "$BLOG" args.0 "$RUN_DIR/carol.txt" kind=message name=carol
ok "every message was acknowledged" test "$(J count "$(cout bob)" event=ack)" -eq "$n" -a "$(J count "$(cout carol)" event=ack)" -eq "$n"
ok "nobody was dropped" not J has "$(cout bob)" event=disconnected
ok "no benign message was blocked" not J has "$WLOG" event=verdict verdict=block "src!=$(remote_of mallory)"
held=$(($(J count "$WLOG" event=verdict verdict=allow) - allow0))
diag "$held verdict allow events during the conversation (messages the kernel held)"
ok "some messages were held by the kernel and released by the daemon" test "$held" -gt 0
if J has "$WLOG" event=verdict verdict=block "src!=$(remote_of mallory)"; then
	diag "$(grep -s '"verdict":"block"' "$WLOG" | tail -3)"
fi

# --- 3. large messages both ways ------------------------------------------------------------
sizes=(9000 20000 65536 300000 8193)
for s in "${sizes[@]}"; do client bob "big $s"; done
client carol "say after the big ones"
bigs_ok() { # bigs_ok NAME: every size arrived intact at NAME
	local s
	for s in "${sizes[@]}"; do
		wait_json 20 "$(cout "$1")" event=big from=bob "size=$s" "bytes=$s" intact=true || return 1
	done
}
ok "${#sizes[@]} broadcasts of 8-300 KiB arrive intact at bob" bigs_ok bob
ok "... and at carol" bigs_ok carol
ok "a small message after them still flows" got bob carol "after the big ones"
long=$(printf 'this is a long but perfectly ordinary paragraph about our weekend plans %.0s' {1..600})
client carol "say $long"
ok "a ${#long}-byte benign message reaches bob intact" got bob carol "$long"

# --- 4. other attack classes, each from a new client ----------------------------------------
joined eve oscar trudy || bail "attackers could not connect"
attack eve sqli "1' OR '1'='1" bob carol
attack oscar lfi "../../../../etc/passwd" bob carol
attack trudy rce 'test; id; uname -a' bob carol
joined ivan uma || bail "ivan and uma could not connect"
SEND=raw NEEDLE='onerror=alert' \
	attack ivan xss '2["chat message","\u003cimg src=x \u006fnerror=alert(1)\u003e"]' bob carol
client uma "unmasked hello from a broken client"
ok "protocol: uma's unmasked frame drops her connection" wait_json 5 "$(cout uma)" event=disconnected
conn=$(J get "$WLOG" conn event=open "src=$(remote_of uma)")
ok "protocol: wsguard logged drop, reason unmasked_client_frame, for uma's connection ($conn)" \
	wait_json 3 "$WLOG" event=drop reason=unmasked_client_frame "conn=$conn"
ok "protocol: the backend never received it" not J has "$BLOG" kind=message name=uma
joined peggy walter || bail "peggy and walter could not connect"
client bob "binary a harmless file, line one"
wait_json 5 "$(cout bob)" event=sent "binary=a harmless file, line one"
seq=$(J get "$(cout bob)" seq event=sent "binary=a harmless file, line one")
ok "binary: bob's upload (a Socket.IO binary event) is acknowledged" \
	wait_json 5 "$(cout bob)" event=ack "seq=${seq:-none}"
ok "binary: the backend received its attachment intact" \
	wait_json 3 "$BLOG" kind=message name=bob event=upload "args~a harmless file, line one"
SEND=binary attack peggy xss '<svg onload=alert(document.domain)>' bob carol
attack walter xss 'PHNjcmlwdCBzcmM9Ly9ldmlsLmV4YW1wbGUveC5qcz48L3NjcmlwdD4=' bob carol
client bob "say still fine here"
ok "bob and carol are unaffected by the attacks" got carol bob "still fine here"

# --- 5. permessage-deflate: every client message compressed ---------------------------------
DEFL=(-- --path /deflate/socket.io/ --deflate)
joined dora zed "${DEFL[@]}" || bail "dora and zed could not connect to the deflate backend"
ok "permessage-deflate was negotiated" J has "$(cout dora)" event=connected "extensions~permessage-deflate"
head -60 "$MSGS" >"$RUN_DIR/dora.txt"
client dora "say-file $RUN_DIR/dora.txt"
ok "zed receives dora's 60 compressed messages" wait_count 20 60 "$(cout zed)" event=message from=dora
ok "... complete and in order" J seq "$(cout zed)" text "$RUN_DIR/dora.txt" event=message from=dora
ok "the deflate backend received them complete and in order" \
	J seq "$RUN_DIR/deflate.log" args.0 "$RUN_DIR/dora.txt" kind=message name=dora
joined mallet "${DEFL[@]}" || bail "mallet could not connect"
BLOG=$RUN_DIR/deflate.log attack mallet xss '<script>alert(document.cookie)</script>' dora zed
client zed "say compressed and still fine"
ok "dora and zed are unaffected" got dora zed "compressed and still fine"

# --- 6. stop wsguard: nothing left attached, the chat goes on -------------------------------
ok "exactly eight blocks in the wsguard log" test "$(J count "$WLOG" event=verdict verdict=block)" -eq 8
if [ -n "$WSG_PID" ]; then
	stop_wsguard
	ok "wsguard exits 0 on SIGTERM" test $? -eq 0
fi
ok "$PIN is gone" test ! -e "$PIN"
ok "bpftool cgroup show lists nothing for the cgroup" \
	test -z "$(bpftool cgroup show "$CGROUP" 2>/dev/null | tail -n +2)"
client carol "say wsguard is gone"
ok "existing connections still work after wsguard stopped" got bob carol "wsguard is gone"
joined dave
client dave "say hi, just joined"
ok "new connections work after wsguard stopped" got carol dave "hi, just joined"

# --- 7. nothing left behind -----------------------------------------------------------------
e2e_stop_all
left=
for p in $(e2e_started_pids); do alive "$p" && left="$left $p"; done
ok "every process the test started is gone" test -z "$left"
ok "the test cgroup is removed" test ! -d "$CGROUP"
[ "$SECONDS" -lt "$E2E_DEADLINE" ] || diag "the 90 s budget for waiting ran out"
diag "e2e took $((SECONDS - T0)) s"
echo "1..$TAP_N"
[ "$TAP_FAILED" -eq 0 ]
