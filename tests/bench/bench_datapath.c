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
	int count = argc > 1 ? atoi(argv[1]) : 20000, rc = 0;
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
	printf("%-10s %-22s %12s %8s\n", "msg size", "path", "msgs/s", "ratio");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct wsg_pair base, fast, held;
		double b, f, h;
		size_t len;

		memset(payload, 'a', sizes[s]);
		len = wsg_frame_build(frame, sizeof(frame), 1, 1, payload, sizes[s], 1);
		if (wsg_plain_pair(&env, &base) || wsg_pair_upgrade(&base) ||
		    wsg_pair_open(&env, &fast) || wsg_pair_upgrade(&fast)) {
			rc = 1;
			break;
		}
		b = wsg_run(&base, frame, len, count);
		f = wsg_run(&fast, frame, len, count);
		payload[sizes[s] / 2] = '%'; /* an escape byte: every message is held */
		len = wsg_frame_build(frame, sizeof(frame), 1, 1, payload, sizes[s], 1);
		if (wsg_pair_open(&env, &held) || wsg_pair_upgrade(&held)) {
			rc = 1;
			break;
		}
		h = wsg_run(&held, frame, len, count / 4);
		printf("%-10zu %-22s %12.0f %8.2f\n", sizes[s], "untracked (baseline)", b, 1.0);
		printf("%-10zu %-22s %12.0f %8.2f\n", sizes[s], "fast path (kernel)", f, b ? f / b : 0);
		printf("%-10zu %-22s %12.0f %8.2f\n", sizes[s], "held (daemon verdict)", h,
		       b ? h / b : 0);
		wsg_pair_close(&base);
		wsg_pair_close(&fast);
		wsg_pair_close(&held);
	}
	wsg_env_stop(&env);
	wsg_env_fini(&env);
	return rc;
}
