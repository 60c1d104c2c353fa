// SPDX-License-Identifier: GPL-2.0-only
/* The kernel-tier test environment; see wsg_env.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader.h"
#include "wsg_abi.h"
#include "wsg_env.h"

const char *wsg_env_unavailable(void)
{
	return geteuid() ? "needs root" : NULL;
}

static int wsg_lo_up(void)
{
	struct ifreq ifr = {};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			err = -errno;
	} else {
		err = -errno;
	}
	close(fd);
	return err;
}

static int wsg_write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int wsg_join(const char *cg)
{
	char path[512], pid[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	return wsg_write_str(path, pid);
}

int wsg_env_init(struct wsg_env *e)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int err;

	memset(e, 0, sizeof(*e));
	e->daemon = -1;
	if (unshare(CLONE_NEWNET))
		return -errno;
	err = wsg_lo_up();
	if (err)
		return err;
	err = wsg_cgroup2_root(e->cgroot, sizeof(e->cgroot));
	if (err)
		return err;
	snprintf(e->cgroup, sizeof(e->cgroup), "%s/wsg-test-%d", e->cgroot, getpid());
	if (mkdir(e->cgroup, 0755) && errno != EEXIST)
		return -errno;
	snprintf(e->log, sizeof(e->log), "/tmp/wsg-test-%d.log", getpid());
	/* a private pin directory: tests never touch a production daemon's pins */
	snprintf(e->pins, sizeof(e->pins), "/sys/fs/bpf/wsg-test-%d", getpid());
	e->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (e->listen_fd < 0 || bind(e->listen_fd, (void *)&a, sizeof(a)) ||
	    listen(e->listen_fd, 64) || getsockname(e->listen_fd, (void *)&a, &alen))
		return -errno;
	e->port = ntohs(a.sin_port);
	return 0;
}

static int wsg_wait_ready(struct wsg_env *e, int ms)
{
	for (int t = 0; t < ms; t += 20) {
		int status;

		if (wsg_log_has(e, "\"event\":\"ready\"", NULL))
			return 0;
		if (waitpid(e->daemon, &status, WNOHANG) == e->daemon) {
			e->daemon = -1;
			return -ECHILD;
		}
		usleep(20000);
	}
	return -ETIMEDOUT;
}

int wsg_env_start(struct wsg_env *e, const char *const *extra)
{
	char port[16];
	const char *argv[32] = { "build/wsguard", "run", "--cgroup", e->cgroup, "--port", port,
				 "--log", e->log, "--pin-dir", e->pins };
	int n = 10;

	snprintf(port, sizeof(port), "%d", e->port);
	for (; extra && *extra && n < 30; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	if (getenv("WSG_KEEP_LOG")) { /* debugging: each daemon's log kept as <log>.<pid> */
		static int gen;
		char old[300];

		snprintf(old, sizeof(old), "%s.%d", e->log, gen++);
		rename(e->log, old);
	}
	unlink(e->log);
	e->daemon = fork();
	if (e->daemon < 0)
		return -errno;
	if (!e->daemon) {
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	return wsg_wait_ready(e, 10000);
}

int wsg_env_crash(struct wsg_env *e)
{
	if (e->daemon <= 0 || kill(e->daemon, SIGKILL))
		return -1;
	waitpid(e->daemon, NULL, 0);
	e->daemon = 0;
	return 0;
}

int wsg_env_stop(struct wsg_env *e)
{
	int status;

	if (e->daemon <= 0)
		return -1;
	kill(e->daemon, SIGTERM);
	if (waitpid(e->daemon, &status, 0) != e->daemon)
		return -1;
	e->daemon = -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void wsg_env_fini(struct wsg_env *e)
{
	if (e->daemon > 0) {
		kill(e->daemon, SIGKILL);
		waitpid(e->daemon, NULL, 0);
	}
	if (e->listen_fd > 0)
		close(e->listen_fd);
	if (e->cgroup[0])
		rmdir(e->cgroup);
	if (!getenv("WSG_KEEP_LOG"))
		if (!getenv("WSG_KEEP_LOG")) unlink(e->log);
}

int wsg_pair_open(struct wsg_env *e, struct wsg_pair *p)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons(e->port) };
	struct timeval tv = { .tv_sec = 5 };
	int one = 1;

	p->cl = p->sv = -1;
	/* a socket belongs to the cgroup of its creator: create it inside, then step out */
	if (wsg_join(e->cgroup))
		return -1;
	p->cl = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (wsg_join(e->cgroot) || p->cl < 0)
		return -1;
	setsockopt(p->cl, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(p->cl, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(p->cl, (void *)&a, sizeof(a)))
		return -1;
	p->sv = accept4(e->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	return p->sv < 0 ? -1 : 0;
}

void wsg_pair_close(struct wsg_pair *p)
{
	if (p->cl >= 0)
		close(p->cl);
	if (p->sv >= 0)
		close(p->sv);
	p->cl = p->sv = -1;
}

static const char wsg_upgrade_req[] =
	"GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s\r\n";

int wsg_pair_answer(struct wsg_pair *p, const char *resp)
{
	static char buf[4096];
	size_t n = strlen(resp);

	if (n > sizeof(buf) || send(p->sv, resp, n, 0) != (ssize_t)n)
		return -1;
	return wsg_recv_n(p->cl, buf, n, 3000) == n && !memcmp(buf, resp, n) ? 0 : -1;
}

int wsg_pair_upgrade_with(struct wsg_pair *p, const char *headers)
{
	char req[1024], buf[1024];
	size_t n = (size_t)snprintf(req, sizeof(req), wsg_upgrade_req, headers);

	if (n >= sizeof(req) || send(p->cl, req, n, 0) != (ssize_t)n)
		return -1;
	if (wsg_recv_n(p->sv, buf, n, 3000) != n || memcmp(buf, req, n))
		return -1;
	return wsg_pair_answer(p, WSG_101);
}

int wsg_pair_upgrade(struct wsg_pair *p)
{
	return wsg_pair_upgrade_with(p, "");
}

static int wsg_pinned(struct wsg_env *e, const char *map)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", e->pins, map);
	return bpf_obj_get(path);
}

int wsg_pair_settle(struct wsg_env *e, struct wsg_pair *p)
{
	int cfd = wsg_pinned(e, "wsg_conn"), rfd = wsg_pinned(e, "wsg_rel"), ret = -1;

	for (int i = 0; i < 200 && cfd >= 0 && rfd >= 0; i++) {
		struct wsg_conn c;
		struct wsg_rel r = {};

		__u64 cookie = 0;
		socklen_t len = sizeof(cookie);

		if (bpf_map_lookup_elem(cfd, &p->cl, &c))
			break;
		getsockopt(p->cl, SOL_SOCKET, SO_COOKIE, &cookie, &len);
		bpf_map_lookup_elem(rfd, &cookie, &r);
		if (c.held == r.released) {
			ret = 0;
			break;
		}
		usleep(10000);
	}
	if (cfd >= 0)
		close(cfd);
	if (rfd >= 0)
		close(rfd);
	return ret;
}

static long wsg_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t wsg_recv_n(int fd, void *buf, size_t n, int ms)
{
	long end = wsg_now_ms() + ms;
	size_t got = 0;

	while (got < n) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long left = end - wsg_now_ms();
		ssize_t r;

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			break;
		r = recv(fd, (char *)buf + got, n - got, MSG_DONTWAIT);
		if (r <= 0) {
			if (r < 0 && errno == EAGAIN)
				continue;
			break;
		}
		got += r;
	}
	return got;
}

int wsg_wait_reset(int fd, int ms)
{
	long end = wsg_now_ms() + ms;
	char buf[4096];

	while (wsg_now_ms() < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&pfd, 1, end - wsg_now_ms()) <= 0)
			return 0;
		r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && errno == ECONNRESET)
			return 1;
		if (r == 0)
			return 0;
	}
	return 0;
}

size_t wsg_frame_build(unsigned char *out, size_t cap, int fin, int opcode, const void *payload,
		       size_t n, int masked)
{
	static const unsigned char key[4] = { 0x37, 0xfa, 0x21, 0x3d };
	size_t h = 2;

	if (cap < n + 14)
		return 0;
	out[0] = (fin ? 0x80 : 0) | opcode;
	if (n < 126) {
		out[1] = n;
	} else if (n < 65536) {
		out[1] = 126;
		out[2] = n >> 8;
		out[3] = n;
		h = 4;
	} else {
		out[1] = 127;
		for (int i = 0; i < 8; i++)
			out[2 + i] = (__u64)n >> (56 - 8 * i);
		h = 10;
	}
	if (masked) {
		out[1] |= 0x80;
		memcpy(out + h, key, 4);
		h += 4;
	}
	for (size_t i = 0; i < n; i++)
		out[h + i] = ((const unsigned char *)payload)[i] ^ (masked ? key[i & 3] : 0);
	return h + n;
}

__u64 wsg_stat(struct wsg_env *e, const char *map, unsigned reason)
{
	int ncpu = strcmp(map, "wsg_stats") ? 1 : libbpf_num_possible_cpus();
	__u64 vals[512] = {}, sum = 0;
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", e->pins, map);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	if (!bpf_map_lookup_elem(fd, &reason, vals))
		for (int i = 0; i < ncpu && i < 512; i++)
			sum += vals[i];
	close(fd);
	return sum;
}

int wsg_log_has(struct wsg_env *e, ...)
{
	char line[8192];
	FILE *f = fopen(e->log, "r");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		const char *s;
		va_list ap;

		found = 1;
		va_start(ap, e);
		while ((s = va_arg(ap, const char *)))
			if (!strstr(line, s))
				found = 0;
		va_end(ap);
	}
	fclose(f);
	return found;
}

long wsg_proc_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t n = strlen(key);
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n))
			kb = atol(line + n);
	if (f)
		fclose(f);
	return kb;
}
