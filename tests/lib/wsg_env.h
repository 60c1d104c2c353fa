/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test environment for the kernel tier: a private network namespace, a fresh cgroup v2
 * child, the real `build/wsguard run` daemon attached to it, loopback connections whose
 * client end belongs to that cgroup, and helpers to build client (masked) frames.
 */
#ifndef WSG_ENV_H
#define WSG_ENV_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

struct wsg_env {
	char cgroup[320];		/* the test cgroup */
	char cgroot[256];		/* cgroup2 mount */
	char log[256];			/* daemon event log */
	char pins[128];			/* the daemon's private pin directory */
	pid_t daemon;
	int listen_fd;
	int port;
};

/* Client end (sending, in the cgroup) and server end (receiving) of one connection. */
struct wsg_pair {
	int cl, sv;
};

/* Why the environment cannot run (not root, no BPF...), or NULL when it can. */
const char *wsg_env_unavailable(void);
/* Enter a new netns and create the cgroup (once per process). 0 or -errno. */
int wsg_env_init(struct wsg_env *e);
/* Start the daemon with extra args (NULL-terminated) and wait for its ready line. */
int wsg_env_start(struct wsg_env *e, const char *const *extra);
/* SIGKILL the daemon and reap it: its pins stay, as after a crash. 0 or -1. */
int wsg_env_crash(struct wsg_env *e);
/* SIGTERM the daemon and wait; returns its exit status or -1. */
int wsg_env_stop(struct wsg_env *e);
void wsg_env_fini(struct wsg_env *e);

int wsg_pair_open(struct wsg_env *e, struct wsg_pair *p);
void wsg_pair_close(struct wsg_pair *p);
#define WSG_101 "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"

/* Send the upgrade request, consume it on the server side, answer 101. 0 or -1. */
int wsg_pair_upgrade(struct wsg_pair *p);
/* The same with more header lines (each ending in CRLF), e.g. a subprotocol offer. */
int wsg_pair_upgrade_with(struct wsg_pair *p, const char *headers);
/* The server end sends resp (an HTTP response) and the client end reads it whole. 0 or -1. */
int wsg_pair_answer(struct wsg_pair *p, const char *resp);

/* Wait until the daemon has released all custody of p (held == released); 0 or -1. */
int wsg_pair_settle(struct wsg_env *e, struct wsg_pair *p);

/* Receive exactly n bytes within ms; returns bytes received (< n on EOF/error/timeout). */
size_t wsg_recv_n(int fd, void *buf, size_t n, int ms);
/* 1 when the server end saw a RST (ECONNRESET) within ms, 0 otherwise. */
int wsg_wait_reset(int fd, int ms);

/* Build a masked client frame into out (cap bytes); returns its length. */
size_t wsg_frame_build(unsigned char *out, size_t cap, int fin, int opcode, const void *payload,
		       size_t n, int masked);

/* A "Vm...:" line of /proc/<pid>/status in kB (key "VmRSS:", "VmHWM:"), -1 if absent. */
long wsg_proc_kb(pid_t pid, const char *key);

/* Sum of a reason's counter in the pinned wsg_stats (kernel) or wsg_dstats (daemon). */
__u64 wsg_stat(struct wsg_env *e, const char *map, unsigned reason);
/* 1 if the daemon's event log has a line containing every given substring (NULL-ended). */
int wsg_log_has(struct wsg_env *e, ...);

#endif /* WSG_ENV_H */
