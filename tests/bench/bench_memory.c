// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory benchmark (`make bench`, root): CONNS connections (default 1,000) each hold an
 * unfinished 900 KiB message in the daemon, with the default --mem-max. Prints the daemon's
 * resident memory at start and at its peak, and how many connections the budget dropped;
 * asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include "wsg_abi.h"
#include "wsg_env.h"

enum { MSG = 1000000, SENT = 900 * 1024 };

int main(int argc, char **argv)
{
	static unsigned char frame[MSG + 16], payload[MSG];
	int conns = argc > 1 ? atoi(argv[1]) : 1000, opened = 0;
	struct rlimit rl = { 4 * conns + 256, 4 * conns + 256 };
	struct wsg_pair *p = calloc(conns, sizeof(*p));
	struct wsg_env env;
	long base, peak;
	size_t n;

	if (wsg_env_unavailable() || !p) {
		printf("bench_memory: %s\n", p ? wsg_env_unavailable() : "out of memory");
		return 0;
	}
	setrlimit(RLIMIT_NOFILE, &rl);
	if (wsg_env_init(&env) || wsg_env_start(&env, NULL)) {
		printf("bench_memory: environment did not start\n");
		return 1;
	}
	base = wsg_proc_kb(env.daemon, "VmRSS:");
	memset(payload, 'm', sizeof(payload));
	memcpy(payload, "<p>", 3);
	n = wsg_frame_build(frame, sizeof(frame), 1, 1, payload, MSG, 1);
	for (int i = 0; i < conns; i++) {
		if (wsg_pair_open(&env, &p[i]) || wsg_pair_upgrade(&p[i]) ||
		    wsg_pair_settle(&env, &p[i]))
			break;
		opened++;
		send(p[i].cl, frame, n - MSG + SENT, MSG_NOSIGNAL);
	}
	sleep(2);
	peak = wsg_proc_kb(env.daemon, "VmHWM:");
	printf("bench_memory: %d connections x unfinished 900 KiB message, --mem-max default "
	       "%llu MiB\n", opened, (unsigned long long)(WSG_DEF_MEM_MAX >> 20));
	printf("  daemon RSS at start %ld MiB, peak %ld MiB; %llu connections dropped "
	       "(memory_limit)\n", base >> 10, peak >> 10,
	       (unsigned long long)wsg_stat(&env, "wsg_dstats", WSG_R_LIMIT_MEM));
	for (int i = 0; i < opened; i++)
		wsg_pair_close(&p[i]);
	wsg_env_stop(&env);
	wsg_env_fini(&env);
	return 0;
}
