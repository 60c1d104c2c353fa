#!/usr/bin/env bash
# End-to-end test (TAP) of the ways around the WebSocket path, through real nginx with upstream
# keep-alive and a Socket.IO server that accepts long-polling: attacks by polling, over reused
# upstream sockets, after a plain request or pipelined with one, and while the daemon is dead
# or restarting. Each attack has a benign twin that must arrive complete.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

e2e_need_root
T0=$SECONDS
E2E_DEADLINE=$((T0 + 150))
NGINX_CONF=nginx-keepalive.conf.in BACKEND_ARGS=--polling
ulimit -n "$(ulimit -Hn)" # 2,500 connections at once below
e2e_init bypass
start_backend
start_echo_backend
start_nginx

bail() { echo "Bail out! $*"; exit 1; }
not() { ! "$@"; }
WLOG=$RUN_DIR/wsguard.log BLOG=$RUN_DIR/backend.log
XSS='<img src=x onerror=alert(1)>'
SQLI="1' UNION SELECT password FROM users--"
jstr() { node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$1"; }
# raw OUT STEP...: raw_http.js against nginx; its JSON lines go to $RUN_DIR/OUT.
raw() {
	local o=$1
	shift
	node "$E2E_DIR/raw_http.js" --port "$PROXY_PORT" "$@" >"$RUN_DIR/$o" 2>&1
}
send() { printf '{"send":%s}' "$(jstr "$1")"; }
wsmsg() { printf '{"ws":%s}' "$(jstr "$1")"; }
# event TEXT: the Socket.IO packet of a 'chat message' event carrying TEXT.
event() { node -e 'process.stdout.write("42" + JSON.stringify(["chat message", process.argv[1]]))' "$1"; }
CRLF=$'\r\n'
POLL_GET="GET /socket.io/?EIO=4&transport=polling HTTP/1.1${CRLF}Host: localhost${CRLF}${CRLF}"
UPGRADE="GET /socket.io/?EIO=4&transport=websocket HTTP/1.1${CRLF}Host: localhost${CRLF}Upgrade: websocket${CRLF}Connection: Upgrade${CRLF}Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==${CRLF}Sec-WebSocket-Version: 13${CRLF}${CRLF}"
# post_poll SID BODY: an Engine.IO polling POST as a client sends it.
post_poll() {
	printf 'POST /socket.io/?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: %d\r\n\r\n%s' \
		"$1" "$(printf '%s' "$2" | wc -c)" "$2"
}
# sid_of OUT: the Engine.IO session id in the handshake response raw() wrote to OUT.
sid_of() { grep -o 'sid\\":\\"[^\\]*' "$RUN_DIR/$1" | head -1 | sed 's/.*\\"//'; }
# no_payload TEXT: the backend never received TEXT.
no_payload() { not J has "$BLOG" kind=message "args~$1"; }

ok "wsguard run attaches to nginx's cgroup" start_wsguard || bail "wsguard did not start"

# --- 1. long polling ------------------------------------------------------------------------
joined alice || bail "alice did not connect"
joined polly -- --transports polling || bail "polly did not connect by polling"
ok "polling: polly is connected by long-polling" J has "$(cout polly)" event=connected transport=polling
for i in 1 2 3 4 5; do client polly "say polling hello $i <b>bold</b> and SELECT words"; done
ok "polling: alice got polly's 5 benign messages" got alice polly "polling hello 5 <b>bold</b> and SELECT words"
for i in 1 2 3 4 5; do echo "polling hello $i <b>bold</b> and SELECT words"; done >"$RUN_DIR/polly.expect"
ok "polling: ... in order" J seq "$(cout alice)" text "$RUN_DIR/polly.expect" event=message from=polly
joined pmal -- --transports polling || bail "pmal did not connect"
client pmal "say $XSS"
ok "polling: the attacker's session is dropped" wait_json 10 "$(cout pmal)" event=disconnected
ok "polling: wsguard logged the block with transport polling" \
	wait_json 5 "$WLOG" event=verdict verdict=block transport=polling class=xss
ok "polling: the backend never received it" no_payload "$XSS"
ok "polling: alice never received it" not J has "$(cout alice)" event=message "text~$XSS"

raw hs.out "$(send "$POLL_GET")" '{"expect":"response"}'
SID=$(sid_of hs.out)
ok "polling: a raw handshake gets a session id" test -n "$SID"
raw post.out "$(send "$(post_poll "$SID" "$(printf '%s\x1e%s' "$(event "raw benign hello")" "$(event "$SQLI")")")")" \
	'{"expect":"response"}'
ok "polling: a raw POST with two packets, the second SQL injection, gets no answer" \
	not J has "$RUN_DIR/post.out" event=response "status~2"
ok "polling: ... and the client's connection is closed" J has "$RUN_DIR/post.out" event=end closed=true
ok "polling: ... and none of it reached the backend" no_payload "raw benign hello"
ok "polling: ... with a block event naming transport polling" \
	wait_json 5 "$WLOG" event=verdict verdict=block transport=polling class=sqli
raw hs2.out "$(send "$POLL_GET")" '{"expect":"response"}'
SID=$(sid_of hs2.out)
raw post2.out "$(send "$(post_poll "$SID" 40)")" '{"expect":"response"}' \
	"$(send "$(post_poll "$SID" "$(event "raw polling twin")")")" '{"expect":"response"}'
ok "polling: the benign raw twin (connect, then an event) is accepted" \
	test "$(J count "$RUN_DIR/post2.out" event=response status=200)" = 2
ok "polling: ... and reaches the backend" wait_json 5 "$BLOG" kind=message "args~raw polling twin"
ok "polling: a query string attack on the handshake is refused" \
	raw q.out "$(send "GET /socket.io/?EIO=4&transport=polling&x=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1${CRLF}Host: localhost${CRLF}${CRLF}")" \
	'{"expect":"response"}'
ok "polling: ... no answer, and the connection closed" J has "$RUN_DIR/q.out" event=end closed=true statuses=[]

# --- 2. reused upstream sockets -------------------------------------------------------------
joined upgr -- --transports polling,websocket || bail "upgr did not connect"
ok "keep-alive: the default client upgrades from polling to websocket" \
	wait_json 10 "$WLOG" event=handshake "path~transport=websocket&sid="
client upgr "say upgraded benign hello"
ok "keep-alive: its benign message arrives" got alice upgr "upgraded benign hello"
client upgr "say $XSS"
ok "keep-alive: its attack after the upgrade drops it" wait_json 10 "$(cout upgr)" event=disconnected
ok "keep-alive: ... never reaches alice" not J has "$(cout alice)" event=message from=upgr "text~$XSS"

seq_steps() { # seq_steps PIPELINED TEXT: GET then upgrade on one client connection, then TEXT
	local first
	if [ "$1" = 1 ]; then
		first=("$(send "$POLL_GET$UPGRADE")" '{"expect":"response"}' '{"expect":"response"}')
	else
		first=("$(send "$POLL_GET")" '{"expect":"response"}' "$(send "$UPGRADE")" '{"expect":"response"}')
	fi
	printf '%s\n' "${first[@]}" "$(wsmsg 40)" '{"wait":300}' "$(wsmsg "$(event "$2")")" '{"wait":500}'
}
for pl in 0 1; do
	what=$([ $pl = 1 ] && echo "pipelined GET+upgrade" || echo "GET, then an upgrade")
	mapfile -t S < <(seq_steps $pl "keep-alive twin $pl")
	raw twin$pl.out "${S[@]}"
	ok "keep-alive: $what on one connection: the upgrade is answered 101" \
		J has "$RUN_DIR/twin$pl.out" event=response status=101
	ok "keep-alive: $what: a benign message arrives" wait_json 5 "$BLOG" kind=message "args~keep-alive twin $pl"
	mapfile -t S < <(seq_steps $pl "$XSS keep-alive $pl")
	raw atk$pl.out "${S[@]}"
	ok "keep-alive: $what: the attack never reaches the backend" no_payload "keep-alive $pl"
	ok "keep-alive: $what: the attacker's connection is closed" J has "$RUN_DIR/atk$pl.out" event=end closed=true
done
ok "keep-alive: upstream sockets were reused (fewer opens than requests)" \
	test "$(J count "$WLOG" event=open)" -lt "$(grep -c 'GET /socket.io' "$RUN_DIR/nginx-access.log")"

# --- 3. a fast benign sender ---------------------------------------------------------------
node "$E2E_DIR/burst_client.js" --url "ws://127.0.0.1:$PROXY_PORT/echo/" --count 12000 --size 1024 \
	>"$RUN_DIR/burst.out" 2>&1
diag "$(cat "$RUN_DIR/burst.out")"
ok "burst: 12,000 back-to-back held 1 KiB messages on one connection all come back" \
	J has "$RUN_DIR/burst.out" event=burst echoed=12000 in_order=true
ok "burst: ... and nothing hit a limit" not J has "$WLOG" event=drop

# --- 3b. real application traffic ----------------------------------------------------------
# Client messages of the real protocols of shared/eval (GraphQL, STOMP, SignalR, JSON-RPC,
# exchanges, chat with base64 ids, escaped nested JSON...) and chat events, all the daemon
# allows, through nginx: the kernel's fast path and holds must neither lose nor alter any.
EVAL=${WSG_EVAL_DIR:-$REPO_DIR/../shared/eval}
# Sends the kernel passed so far (pass_clean) and held behind earlier custody (hold_custody: a
# send that came before the daemon had marked the previous echo's release), to hold against
# what `wsguard scan` predicts with the same prefilter code for messages of one send each
# (at most 4,000 bytes: nginx forwards a longer one in several). Each replay connection's
# close frame passes too.
kstat() {
	"$WSGUARD" status --pin-dir "$WSG_PIN" | node -e 'let s = "";
		process.stdin.on("data", (d) => { s += d; });
		process.stdin.on("end", () => console.log(JSON.parse(s).kernel[process.argv[1]] || 0));' "$1"
}
# predicted_fast WANT F0 C0 NAME: the kernel passed no more than predicted (WANT sends), and no
# fewer but for the sends held behind custody
predicted_fast() {
	local f=$(($(kstat pass_clean) - $2)) c=$(($(kstat hold_custody) - $3))

	diag "$4: $f sends passed in the kernel, $c waited for custody; predicted $1"
	[ "$f" -le "$1" ] && [ "$((f + c))" -ge "$1" ]
}
# replay NAME CONNS [PROTOCOL]: NAME.bin's messages over CONNS connections, each echoed intact
replay() {
	node "$E2E_DIR/replay_client.js" --url "ws://127.0.0.1:$PROXY_PORT/echo/" \
		--file "$RUN_DIR/$1.bin" --conns "$2" ${3:+--protocol "$3"} >"$RUN_DIR/replay-$1.out" 2>&1
	diag "$(cat "$RUN_DIR/replay-$1.out")"
}
if [ -r "$EVAL/apps-dev.jsonl" ]; then
	node "$REPO_DIR/tests/bench/payloads.js" "$EVAL" "$RUN_DIR" >/dev/null
	"$WSGUARD" scan "$RUN_DIR/apps.jsonl" >"$RUN_DIR/apps.verdicts" 2>/dev/null
	read -r n want big < <(node "$REPO_DIR/tests/bench/payloads.js" --keep "$RUN_DIR/apps.bin" \
		"$RUN_DIR/apps.verdicts" 4000)
	f0=$(kstat pass_clean) c0=$(kstat hold_custody)
	replay apps 10
	ok "real traffic: $n application messages and chat events over 10 connections echo intact" \
		J has "$RUN_DIR/replay-apps.out" event=replay echoed="$n" mismatched=0 closed=0
	ok "real traffic: ... and the kernel passed what its prefilter code predicts" \
		predicted_fast $((want + 10)) "$f0" "$c0" apps
	replay apps.big 2
	ok "real traffic: the $big longer ones echo intact too" \
		J has "$RUN_DIR/replay-apps.big.out" event=replay echoed="$big" mismatched=0 closed=0
	ok "real traffic: ... and the kernel dropped none" not J has "$WLOG" event=drop
	# STOMP and GraphQL clients offer their subprotocol: the kernel reads them per connection
	for pf in stomp:v12.stomp:stomp graphql:graphql-transport-ws:graphql; do
		IFS=: read -r name proto fw <<<"$pf"
		"$WSGUARD" scan -f "$fw" "$RUN_DIR/$name.jsonl" >"$RUN_DIR/$name.verdicts" 2>/dev/null
		read -r n want big < <(node "$REPO_DIR/tests/bench/payloads.js" --keep \
			"$RUN_DIR/$name.bin" "$RUN_DIR/$name.verdicts" 4000)
		f0=$(kstat pass_clean) c0=$(kstat hold_custody)
		replay "$name" 4 "$proto"
		ok "real traffic: $n $name messages on connections offering $proto echo intact" \
			J has "$RUN_DIR/replay-$name.out" event=replay echoed="$n" mismatched=0 closed=0
		ok "real traffic: ... and the kernel read them as its prefilter code predicts" \
			predicted_fast $((want + 4)) "$f0" "$c0" "$name"
	done
else
	skip "real traffic" "no evaluation corpus at $EVAL"
fi

# --- 4. many connections ------------------------------------------------------------------
# Each handshake is judged by the daemon; releasing it costs the same for the 2,500th socket
# as for the first (no descriptor lookup in nginx). 20 s is over ten times what it takes.
node "$E2E_DIR/open_many.js" --url "ws://127.0.0.1:$PROXY_PORT/echo/" --count 2500 \
	--timeout 20000 >"$RUN_DIR/many.out" 2>&1
diag "$(cat "$RUN_DIR/many.out")"
ok "many: 2,500 WebSocket connections open through nginx, each echoes a message" \
	J has "$RUN_DIR/many.out" event=opened ok=2500 failed=0

# --- 5. the daemon dies and comes back ------------------------------------------------------
client alice "say before the crash"
ok "crash: alice talks before" got alice alice "before the crash"
joined held steady || bail "held/steady did not connect"
# steady talks plain chat across the crash and the restart (about 3 s, 50 ms apart)
for i in $(seq 1 60); do echo "steady line $i of the conversation"; done >"$RUN_DIR/steady.txt"
client steady "say-file $RUN_DIR/steady.txt 50"
kill -STOP "$WSG_PID"
client held "say <b>held while the daemon is frozen</b>"
sleep 0.5
{
	kill -KILL "$WSG_PID"
	kill -CONT "$WSG_PID"
	wait "$WSG_PID"
} 2>/dev/null
WSG_PID=
ok "crash: the pins and the sockops link outlive the daemon" test -e "$WSG_PIN/wsg_sockops_link"
client alice "say while the daemon is dead"
ok "crash: alice's benign text still flows by the kernel fast path" got alice alice "while the daemon is dead"
client alice "say $XSS while dead"
ok "crash: alice's attack with no daemon drops her (fail closed)" wait_json 10 "$(cout alice)" event=disconnected
ok "crash: ... and never reaches the backend" no_payload "$XSS while dead"
start_client late
ok "crash: a new connection's handshake with no daemon is refused (fail closed)" \
	wait_json 10 "$(cout late)" event=connect_error
WSG_LOG_FILE=$RUN_DIR/wsguard2.log
ok "restart: a new daemon takes over the pins" start_wsguard
ok "restart: its ready event says it adopted them" J has "$WSG_LOG_FILE" event=ready adopted=true
ok "restart: a conversation across the crash and the restart reaches the backend whole" \
	wait_json 10 "$BLOG" kind=message name=steady "args~steady line 60 of"
ok "restart: ... every line, in order" J seq "$BLOG" args.0 "$RUN_DIR/steady.txt" kind=message name=steady
ok "restart: ... on the same connection" not J has "$(cout steady)" event=disconnected
ok "restart: the message frozen in custody is not delivered unjudged" no_payload "held while the daemon is frozen"
ok "restart: the new daemon kills its connection at once, counted and logged as custody_lost" \
	wait_json 5 "$WSG_LOG_FILE" event=drop reason=custody_lost
ok "restart: ... and its client sees the drop without sending again" \
	wait_json 10 "$(cout held)" event=disconnected
joined bob carol || bail "bob/carol did not connect after the restart"
for i in $(seq 1 20); do client bob "say after restart $i <i>markup</i>"; done
ok "restart: benign traffic after the restart arrives complete" got carol bob "after restart 20 <i>markup</i>"
client carol "say $XSS after restart"
ok "restart: an attack after the restart drops its sender" wait_json 10 "$(cout carol)" event=disconnected
ok "restart: ... and reaches nobody" not J has "$(cout bob)" event=message "text~$XSS after restart"

stop_client bob
stop_wsguard
ok "stop: SIGTERM detaches everything: nothing on the cgroup" \
	test -z "$(bpftool cgroup show "$CGROUP" 2>/dev/null | tail -n +2)"
ok "stop: ... and the pins are gone" test ! -e "$WSG_PIN"

echo "1..$TAP_N"
diag "took $((SECONDS - T0)) s"
[ "$TAP_FAILED" -eq 0 ]
