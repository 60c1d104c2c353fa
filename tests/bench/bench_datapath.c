// SPDX-License-Identifier: GPL-2.0-only
/*
 * Datapath benchmark (`make bench`, root): the same stream of client frames over loopback,
 * first on a socket wsguard does not track (baseline), then through the fast path, then with
 * every message held and judged by the daemon. Prints messages/s and the ratio to the
 * baseline measured in this same run; asserts nothing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include "wsg_env.h"

struct drain {
	int fd;
	size_t want;
	size_t got;
};

static void *wsg_drain(void *arg)
{
	struct drain *d = arg;
	static char buf[1 << 16];

	while (d->got < d->want) {
		ssize_t n = recv(d->fd, buf, sizeof(buf), 0);

		if (n <= 0)
			break;
		d->got += n;
	}
	return NULL;
}

static double wsg_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Send `count` copies of frame over p; returns messages per second (0 on failure). */
static double wsg_run(struct wsg_pair *p, const unsigned char *frame, size_t len, int count)
{
	struct drain d = { .fd = p->sv, .want = len * count };
	pthread_t th;
	double t0, t;

	pthread_create(&th, NULL, wsg_drain, &d);
	t0 = wsg_secs();
	for (int i = 0; i < count; i++)
		if (send(p->cl, frame, len, 0) != (ssize_t)len)
			break;
	pthread_join(th, NULL);
	t = wsg_secs() - t0;
	return d.got == d.want ? count / t : 0;
}

/* Run time and count of the loaded wsg_msg program (kernel.bpf_stats_enabled must be 1). */
static int wsg_prog_stats(__u64 *ns, __u64 *cnt)
{
	__u32 id = 0;

	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && !strcmp(info.name, "wsg_msg")) {
			*ns = info.run_time_ns;
			*cnt = info.run_cnt;
			close(fd);
			return 0;
		}
		close(fd);
	}
	return -1;
}

static void wsg_bpf_stats(int on)
{
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "w");

	if (f) {
		fputs(on ? "1" : "0", f);
		fclose(f);
	}
}

static int wsg_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define ROUNDS 5

/* A pair whose client socket is outside the protected cgroup: nothing tracks it. */
static int wsg_plain_pair(struct wsg_env *e, struct wsg_pair *p)
{
	char cg[sizeof(e->cgroup)];
	int err;

	memcpy(cg, e->cgroup, sizeof(cg));
	snprintf(e->cgroup, sizeof(e->cgroup), "%s", e->cgroot);
	err = wsg_pair_open(e, p);
	memcpy(e->cgroup, cg, sizeof(cg));
	return err;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 64, 1024 };
	static unsigned char frame[4096];
	static char payload[2048];
	int count = argc > 1 ? atoi(argv[1]) : 10000, rc = 0;
	/* a sender that never waits outruns any daemon: give custody room for the whole run */
	static const char *const args[] = { "--hold-max", "268435456", NULL };
	struct wsg_env env;

	if (wsg_env_unavailable()) {
		printf("bench: %s\n", wsg_env_unavailable());
		return 1;
	}
	if (wsg_env_init(&env) || wsg_env_start(&env, args)) {
		printf("bench: cannot start wsguard\n");
		wsg_env_fini(&env);
		return 1;
	}
	printf("median of %d interleaved rounds of %d messages; one send per message\n",
	       ROUNDS, count);
	printf("%-8s %-24s %12s %8s %14s\n", "size", "path", "msgs/s", "ratio", "wsg_msg ns/send");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]) && !rc; s++) {
		double b[ROUNDS], f[ROUNDS], h[ROUNDS];
		__u64 ns0 = 0, n0 = 0, ns1 = 0, n1 = 0;
		size_t len, hlen;
		static unsigned char hframe[4096];

		for (size_t i = 0; i < sizes[s]; i++)	/* words: a long letter run is held */
			payload[i] = "hello there "[i % 12];
		len = wsg_frame_build(frame, sizeof(frame), 1, 1, payload, sizes[s], 1);
		payload[sizes[s] / 2] = '%'; /* an escape byte: every such message is held */
		hlen = wsg_frame_build(hframe, sizeof(hframe), 1, 1, payload, sizes[s], 1);
		for (int r = 0; r < ROUNDS && !rc; r++) {
			struct wsg_pair base, fast, held;

			if (wsg_plain_pair(&env, &base) || wsg_pair_upgrade(&base) ||
			    wsg_pair_open(&env, &fast) || wsg_pair_upgrade(&fast) ||
			    wsg_pair_settle(&env, &fast) || wsg_pair_open(&env, &held) ||
			    wsg_pair_upgrade(&held) || wsg_pair_settle(&env, &held)) {
				rc = 1;
				break;
			}
			b[r] = wsg_run(&base, frame, len, count);
			wsg_bpf_stats(1);
			wsg_prog_stats(&ns0, &n0);
			f[r] = wsg_run(&fast, frame, len, count);
			wsg_prog_stats(&ns1, &n1);
			wsg_bpf_stats(0);
			h[r] = wsg_run(&held, hframe, hlen, count / 4);
			wsg_pair_close(&base);
			wsg_pair_close(&fast);
			wsg_pair_close(&held);
		}
		qsort(b, ROUNDS, sizeof(double), wsg_cmp);
		qsort(f, ROUNDS, sizeof(double), wsg_cmp);
		qsort(h, ROUNDS, sizeof(double), wsg_cmp);
		printf("%-8zu %-24s %12.0f %8.2f %14s\n", sizes[s], "untracked (baseline)",
		       b[ROUNDS / 2], 1.0, "-");
		printf("%-8zu %-24s %12.0f %8.2f %14.0f\n", sizes[s], "fast path (kernel)",
		       f[ROUNDS / 2], f[ROUNDS / 2] / b[ROUNDS / 2],
		       n1 > n0 ? (double)(ns1 - ns0) / (n1 - n0) : 0);
		printf("%-8zu %-24s %12.0f %8.2f %14s\n", sizes[s], "held (daemon verdict)",
		       h[ROUNDS / 2], h[ROUNDS / 2] / b[ROUNDS / 2], "-");
	}
	wsg_env_stop(&env);
	wsg_env_fini(&env);
	return rc;
}
