# Shared bash for the e2e test and the demo (source it): the cgroup nginx runs in, the Node.js
# backend, nginx, the wsguard daemon, scriptable chat clients, waiting helpers, TAP helpers and
# the cleanup that stops exactly the processes it started.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$E2E_DIR/../.." && pwd)
WSGUARD=${WSGUARD:-$REPO_DIR/build/wsguard}
NGINX=${NGINX:-/usr/sbin/nginx}

RUN_DIR= CGROUP= BACKEND_PORT= DEFLATE_PORT= PROXY_PORT=
BACKEND_PID= DEFLATE_PID= NGINX_PID= WSG_PID=
declare -A CLIENT_PID=() CLIENT_FD=()

log() { printf '%s\n' "$*" >&2; }
die() { log "e2e: $*"; exit 1; }

# --- environment ----------------------------------------------------------------------------

cgroup2_root() { awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts; }

ensure_bpffs() {
	grep -qs ' /sys/fs/bpf bpf ' /proc/self/mounts || mount -t bpf bpf /sys/fs/bpf
}

# free_port VAR: a random free TCP port on loopback into VAR (not listening now, not handed
# out before), below the usual ephemeral range so no outgoing connection can be holding it.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 12000))
		[[ " ${_PORTS_TAKEN:-} " == *" $p "* ]] && continue
		[ -z "$(ss -Htln "sport = :$p")" ] || continue
		_PORTS_TAKEN="${_PORTS_TAKEN:-} $p"
		printf -v "$1" '%s' "$p"
		return
	done
}

# e2e_need_root: as TAP, skip the whole test unless root (BPF, cgroups, nginx's cgroup).
e2e_need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "1..0 # SKIP not root"
		exit 0
	fi
}

# e2e_init NAME: run dir, unique cgroup, ports, and the cleanup trap.
e2e_init() {
	[ -d "$E2E_DIR/node_modules" ] || die "tests/e2e/node_modules missing: run scripts/deps.sh (npm ci)"
	ensure_bpffs
	local root
	root=$(cgroup2_root)
	[ -n "$root" ] || die "no cgroup2 mount in /proc/self/mounts"
	RUN_DIR=$(mktemp -d "/tmp/wsg-$1.XXXXXX")
	trap e2e_cleanup EXIT
	trap 'exit 130' INT TERM
	CGROUP="$root/wsg-$1-$$-$RANDOM"
	mkdir "$CGROUP"
	free_port BACKEND_PORT
	free_port DEFLATE_PORT
	free_port PROXY_PORT
}

# --- waiting --------------------------------------------------------------------------------

# Every wait below ends at its own timeout or at E2E_DEADLINE (in $SECONDS), whichever is
# first, so a stalled datapath fails a run quickly instead of timing out step by step.
E2E_DEADLINE=
before() { [ "$SECONDS" -lt "$1" ] && { [ -z "$E2E_DEADLINE" ] || [ "$SECONDS" -lt "$E2E_DEADLINE" ]; }; }

# has_line FILE STR...: FILE has a line containing every STR (fixed strings).
has_line() {
	local file=$1 s
	shift
	[ -f "$file" ] || return 1
	local lines
	lines=$(cat "$file")
	for s in "$@"; do
		lines=$(grep -F -- "$s" <<<"$lines") || return 1
	done
}

# wait_line SECONDS FILE STR...: poll until has_line holds; 1 on timeout.
wait_line() {
	local deadline=$((SECONDS + $1))
	shift
	until has_line "$@"; do
		before "$deadline" || return 1
		sleep 0.05
	done
}

wait_port() { # wait_port PORT SECONDS
	local deadline=$((SECONDS + $2))
	until [ -n "$(ss -Htln "sport = :$1")" ]; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# J ARGS...: jsonl.js (count/has/get/seq over JSON-lines files).
J() { node "$E2E_DIR/jsonl.js" "$@"; }

# wait_json SECONDS FILE COND...: poll until a line of FILE matches (see jsonl.js).
wait_json() {
	local deadline=$((SECONDS + $1))
	shift
	until J has "$@"; do
		before "$deadline" || return 1
		sleep 0.1
	done
}

# wait_count SECONDS N FILE COND...: poll until at least N lines of FILE match.
wait_count() {
	local deadline=$((SECONDS + $1)) n=$2
	shift 2
	until [ "$(J count "$@")" -ge "$n" ]; do
		before "$deadline" || return 1
		sleep 0.2
	done
}

alive() { [ -n "$1" ] && [ -e "/proc/$1" ] && ! grep -qs '^[^)]*) Z' "/proc/$1/stat"; }

# stop_pid PID [SECONDS]: SIGTERM, then SIGKILL after SECONDS; reaps it; returns its status.
stop_pid() {
	local pid=$1 i rc=0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < ${2:-5} * 20; i++)); do
		alive "$pid" || break
		sleep 0.05
	done
	alive "$pid" && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || rc=$?
	return "$rc"
}

# --- the processes --------------------------------------------------------------------------

# In a background subshell: close the clients' FIFO write ends, so that only this shell holds
# them and closing one really ends that client's input.
close_client_fds() {
	local f
	for f in "${CLIENT_FD[@]}"; do [ -z "$f" ] || exec {f}>&-; done
}

# The Node.js chat backend, outside the cgroup (wsguard inspects nginx, not node); its log of
# received events is $RUN_DIR/backend.log.
start_backend() {
	_start_node_backend backend "$BACKEND_PORT" ${BACKEND_ARGS:-}
	BACKEND_PID=$_PID
}

# A plain ws echo backend on the second backend port (nginx-keepalive.conf.in's /echo/).
start_echo_backend() {
	(
		close_client_fds
		exec node "$E2E_DIR/echo_server.js" --port "$DEFLATE_PORT"
	) >"$RUN_DIR/echo.out" 2>&1 &
	DEFLATE_PID=$!
	wait_line 10 "$RUN_DIR/echo.out" listening || die "echo backend did not start: $(cat "$RUN_DIR/echo.out")"
}

# Its permessage-deflate twin behind nginx's /deflate/ (log: $RUN_DIR/deflate.log).
start_deflate_backend() {
	_start_node_backend deflate "$DEFLATE_PORT" --deflate
	DEFLATE_PID=$_PID
}

_start_node_backend() { # NAME PORT [ARGS...]: sets _PID once it listens
	local name=$1 port=$2
	shift 2
	(
		close_client_fds
		exec node "$E2E_DIR/chat_server.js" --port "$port" --log "$RUN_DIR/$name.log" "$@"
	) >"$RUN_DIR/$name.out" 2>&1 &
	_PID=$!
	wait_line 10 "$RUN_DIR/$name.out" listening || die "$name backend did not start: $(cat "$RUN_DIR/$name.out")"
}

# nginx, started inside the cgroup: the subshell joins it, then execs nginx (so $! is the master).
start_nginx() {
	mkdir -p "$RUN_DIR"/{client_body,proxy,fastcgi,uwsgi,scgi}
	sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@LISTEN_PORT@|$PROXY_PORT|g" \
		-e "s|@BACKEND_PORT@|$BACKEND_PORT|g" -e "s|@DEFLATE_PORT@|$DEFLATE_PORT|g" \
		"$E2E_DIR/${NGINX_CONF:-nginx.conf.in}" >"$RUN_DIR/nginx.conf"
	(
		echo "$BASHPID" >"$CGROUP/cgroup.procs"
		close_client_fds
		exec "$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log"
	) >"$RUN_DIR/nginx.out" 2>&1 &
	NGINX_PID=$!
	wait_port "$PROXY_PORT" 10 || die "nginx did not listen: $(cat "$RUN_DIR/nginx.out" "$RUN_DIR/nginx-error.log" 2>/dev/null)"
}

# build/wsguard run on the cgroup; waits for its ready event. WSG_NO_DAEMON=1 skips it
# (plumbing development only: the test refuses to pass that way).
start_wsguard() {
	if [ "${WSG_NO_DAEMON:-}" = 1 ]; then
		log "e2e: WSG_NO_DAEMON=1: not starting wsguard"
		return 0
	fi
	[ -x "$WSGUARD" ] || { log "e2e: $WSGUARD missing: build it first (make)"; return 1; }
	# a fresh log: the ready line waited for below must be this daemon's
	rm -f "${WSG_LOG_FILE:-$RUN_DIR/wsguard.log}"
	(
		close_client_fds
		exec "$WSGUARD" run --cgroup "$CGROUP" --port "$BACKEND_PORT" --port "$DEFLATE_PORT" \
			--log "${WSG_LOG_FILE:-$RUN_DIR/wsguard.log}" ${WSG_PIN_DIR:+--pin-dir "$WSG_PIN_DIR"} \
			${WSG_ARGS:-}
	) >"$RUN_DIR/wsguard.out" 2>"$RUN_DIR/wsguard.err" &
	WSG_PID=$!
	WSG_STARTED_PID=$!
	local deadline=$((SECONDS + 15))
	until has_line "${WSG_LOG_FILE:-$RUN_DIR/wsguard.log}" '"event":"ready"'; do
		if ! alive "$WSG_PID" || [ "$SECONDS" -ge "$deadline" ]; then
			log "e2e: wsguard did not become ready: $(cat "$RUN_DIR/wsguard.err" 2>/dev/null)"
			return 1
		fi
		sleep 0.05
	done
	WSG_PIN=$(J get "${WSG_LOG_FILE:-$RUN_DIR/wsguard.log}" pin_dir event=ready)
	WSG_ALL_PIDS="${WSG_ALL_PIDS:-} $WSG_PID"
}

# stop_wsguard: SIGTERM, wait; returns the daemon's exit status. A daemon that had to be
# SIGKILLed leaves its pins behind: remove them, or the next run could not pin its maps.
stop_wsguard() {
	local rc=0
	[ -n "$WSG_PID" ] || return 0
	stop_pid "$WSG_PID" 10 || rc=$?
	WSG_PID=
	if [ "$rc" -eq 137 ] && [ -n "${WSG_PIN:-}" ] && [ -d "$WSG_PIN" ]; then
		log "e2e: wsguard was killed; removing its pins $WSG_PIN"
		rm -rf "$WSG_PIN"
	fi
	return "$rc"
}

# start_client NAME [ARGS...]: a chat client fed through a FIFO; its events go to
# $RUN_DIR/NAME.out. ARGS go to chat_client.js (e.g. --path /deflate/socket.io/ --deflate).
start_client() {
	local name=$1 fd
	shift
	mkfifo "$RUN_DIR/$name.in"
	(
		close_client_fds
		exec node "$E2E_DIR/chat_client.js" --url "http://127.0.0.1:$PROXY_PORT" --name "$name" "$@" \
			<"$RUN_DIR/$name.in" >"$RUN_DIR/$name.out" 2>"$RUN_DIR/$name.err"
	) &
	CLIENT_PID[$name]=$!
	ALL_CLIENT_PIDS="${ALL_CLIENT_PIDS:-} $!"
	exec {fd}>"$RUN_DIR/$name.in"
	CLIENT_FD[$name]=$fd
}

# client NAME LINE...: send command lines to a client (ignored once it has exited).
client() {
	local name=$1
	shift
	alive "${CLIENT_PID[$name]}" || return 0
	printf '%s\n' "$@" >&"${CLIENT_FD[$name]}" 2>/dev/null || true
}

# stop_client NAME: end its input (it leaves after outstanding acks), then make sure it is gone.
stop_client() {
	local name=$1 fd=${CLIENT_FD[$1]:-} i
	[ -n "$fd" ] && exec {fd}>&-
	CLIENT_FD[$name]=
	for ((i = 0; i < 100; i++)); do
		alive "${CLIENT_PID[$name]:-}" || break
		sleep 0.05
	done
	stop_pid "${CLIENT_PID[$name]:-}" 2 || true
	CLIENT_PID[$name]=
}

# cout NAME: the file with NAME's events.
cout() { echo "$RUN_DIR/$1.out"; }

# joined NAME... [-- ARGS...]: start clients (with chat_client.js ARGS) and wait until each
# is connected.
joined() {
	local names=() n
	while [ $# -gt 0 ] && [ "$1" != -- ]; do names+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	for n in "${names[@]}"; do start_client "$n" "$@"; done
	for n in "${names[@]}"; do wait_json 10 "$(cout "$n")" event=connected || return 1; done
}

# got NAME FROM TEXT: NAME received TEXT from FROM (waits up to 10 s).
got() { wait_json 10 "$(cout "$1")" event=message "from=$2" "text=$3"; }

# remote_of NAME: nginx's upstream address of NAME's connection, as the backend saw it
# (what wsguard reports as src).
remote_of() {
	J get "$RUN_DIR/backend.log" remote kind=connect "name=$1" 2>/dev/null ||
		J get "$RUN_DIR/deflate.log" remote kind=connect "name=$1" 2>/dev/null
}

# --- cleanup --------------------------------------------------------------------------------

# e2e_stop_all: stop every process started here (each by its PID), then remove the cgroup.
e2e_stop_all() {
	local name pid i
	for name in "${!CLIENT_PID[@]}"; do stop_client "$name"; done
	stop_wsguard || true
	# a daemon killed on purpose leaves its pins (the datapath outlives it): remove them
	if [ -n "${WSG_PIN:-}" ] && [ -d "$WSG_PIN" ]; then rm -rf "$WSG_PIN"; fi
	NGINX_WORKERS=$(cat "$CGROUP/cgroup.procs" 2>/dev/null | grep -vx "${NGINX_PID:-x}" | tr '\n' ' ' || true)
	stop_pid "$NGINX_PID" 5 || true
	stop_pid "$BACKEND_PID" 5 || true
	stop_pid "$DEFLATE_PID" 5 || true
	if [ -n "$CGROUP" ] && [ -d "$CGROUP" ]; then
		# Anything still in our cgroup is an nginx worker we started: end it by its PID.
		for pid in $(cat "$CGROUP/cgroup.procs" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
		for ((i = 0; i < 50; i++)); do rmdir "$CGROUP" 2>/dev/null && break; sleep 0.1; done
		[ -d "$CGROUP" ] && log "e2e: could not remove $CGROUP"
	fi
	return 0
}

# e2e_started_pids: every PID this run started (for the "nothing left running" check).
e2e_started_pids() {
	echo "${BACKEND_PID:-} ${DEFLATE_PID:-} ${NGINX_PID:-} ${NGINX_WORKERS:-} ${WSG_ALL_PIDS:-} ${ALL_CLIENT_PIDS:-}"
}

e2e_cleanup() {
	local rc=$?
	trap - EXIT
	e2e_stop_all
	if [ -n "$RUN_DIR" ]; then
		if [ "${WSG_KEEP:-}" = 1 ]; then log "e2e: kept $RUN_DIR"; else rm -rf "$RUN_DIR"; fi
	fi
	exit "$rc"
}

# --- TAP ------------------------------------------------------------------------------------

TAP_N=0 TAP_FAILED=0
ok() { # ok DESC CMD...: one TAP line for whether CMD succeeds; returns CMD's success
	local desc=$1
	shift
	TAP_N=$((TAP_N + 1))
	if "$@"; then
		echo "ok $TAP_N - $desc"
	else
		echo "not ok $TAP_N - $desc"
		TAP_FAILED=$((TAP_FAILED + 1))
		return 1
	fi
}
skip() { # skip DESC WHY: one TAP line for a test that could not run here (counted apart)
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}
diag() { # diag TEXT...: each non-empty line as a TAP comment
	local t
	for t in "$@"; do [ -z "$t" ] || printf '%s\n' "$t" | sed 's/^/# /'; done
}
