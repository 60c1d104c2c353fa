// SPDX-License-Identifier: GPL-2.0-only
/*
 * Detection-speed benchmark (`make bench`, no root): the evaluation corpora wrapped as
 * Socket.IO chat events, judged (1) by the `wsguard scan` command as a user runs it, on one
 * core, start-up excluded, and (2) by wsg_inspect() in this process; both against a baseline
 * measured in the same run (cJSON parsing the same JSON lines, the least any JSON-lines tool
 * does). Prints messages/s, ratios and the bars; asserts nothing (noisy VMs).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <cjson/cJSON.h>
#include "wsg_eval.h"
#include "inspect.h"
#include "rules.h"

#define WSG_BENCH_LINES 100000	/* the command's input: the corpus repeated to this many */
#define WSG_BENCH_RUNS 3
#define WSG_CRS_RATE 900	/* ModSecurity + CRS 3.3.4 PL1, payloads/s, shared/eval README */

struct wsg_set {
	const char *name;
	char **lines;		/* {"id","payload"} JSON lines, payload Socket.IO-wrapped */
	char **msgs;		/* the wrapped payloads themselves */
	size_t n;
};

/* 42["chat message","<payload>"] as a scan input line; NULL for a line without a payload. */
static char *wsg_wrap_line(const char *line, char **msg)
{
	cJSON *in = cJSON_Parse(line), *out, *p;
	char *wrapped = NULL, *s = NULL, *text;

	p = cJSON_GetObjectItem(in, "payload");
	if (!cJSON_IsString(p))
		goto out;
	text = cJSON_PrintUnformatted(p);	/* the payload as a JSON string literal */
	if (!text || asprintf(&wrapped, "42[\"chat message\",%s]", text) < 0)
		wrapped = NULL;
	free(text);
	out = cJSON_CreateObject();
	cJSON_AddItemToObject(out, "id", cJSON_Duplicate(cJSON_GetObjectItem(in, "id"), 1));
	cJSON_AddStringToObject(out, "payload", wrapped ? wrapped : "");
	s = wrapped ? cJSON_PrintUnformatted(out) : NULL;
	cJSON_Delete(out);
	*msg = wrapped;
out:
	cJSON_Delete(in);
	return s;
}

static int wsg_set_load(struct wsg_set *set, const char *file)
{
	char path[4200], *line = NULL, *msg;
	size_t cap = 0, alloc = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", wsg_eval_dir, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		char *s = wsg_wrap_line(line, &msg);

		if (!s)
			continue;
		if (set->n == alloc) {
			alloc = alloc ? alloc * 2 : 1024;
			set->lines = realloc(set->lines, alloc * sizeof(*set->lines));
			set->msgs = realloc(set->msgs, alloc * sizeof(*set->msgs));
		}
		set->lines[set->n] = s;
		set->msgs[set->n++] = msg;
	}
	free(line);
	fclose(f);
	return set->n ? 0 : -1;
}

static double wsg_cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Best-of-N messages/s of fn over the set, each run at least 0.2 s of CPU. */
static double wsg_rate(const struct wsg_set *set, size_t (*fn)(const struct wsg_set *set))
{
	double best = 0;

	for (int r = 0; r < WSG_BENCH_RUNS; r++) {
		double t0 = wsg_cpu_now(), dt;
		size_t done = 0;

		do
			done += fn(set);
		while ((dt = wsg_cpu_now() - t0) < 0.2);
		if (done / dt > best)
			best = done / dt;
	}
	return best;
}

static size_t wsg_run_cjson(const struct wsg_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		cJSON *d = cJSON_Parse(set->lines[i]);

		if (!cJSON_IsString(cJSON_GetObjectItem(d, "payload")))
			abort();
		cJSON_Delete(d);
	}
	return set->n;
}

static size_t wsg_run_inspect(const struct wsg_set *set)
{
	struct wsg_finding f;

	for (size_t i = 0; i < set->n; i++)
		wsg_inspect(WSG_FW_SOCKETIO, 1, set->msgs[i], strlen(set->msgs[i]), &f);
	return set->n;
}

/* The set repeated to at least lines lines, in a temporary file; its path or NULL. */
static char *wsg_input_file(const struct wsg_set *set, size_t lines, size_t *written)
{
	char *path = strdup("/tmp/wsg-bench-XXXXXX");
	int fd = path ? mkstemp(path) : -1;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	*written = 0;
	if (!f) {
		free(path);
		return NULL;
	}
	while (*written < lines)
		for (size_t i = 0; i < set->n; i++, (*written)++)
			fprintf(f, "%s\n", set->lines[i]);
	fclose(f);
	return path;
}

/* CPU seconds (user + system) the scan command spends on file; < 0 on failure. */
static double wsg_scan_cpu(const char *wsguard, const char *file)
{
	struct rusage ru;
	int status, null;
	pid_t pid = fork();

	if (pid == 0) {
		null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execl(wsguard, wsguard, "scan", "--framework", "socketio", file, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) > 1)
		return -1;
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

/* Best-of-N messages/s of the scan command, its start-up (a one-line run) subtracted. */
static double wsg_scan_rate(const char *wsguard, const struct wsg_set *set)
{
	struct wsg_set one = { .lines = set->lines, .n = 1 };
	size_t lines, dummy;
	char *big = wsg_input_file(set, WSG_BENCH_LINES, &lines);
	char *small = wsg_input_file(&one, 1, &dummy);
	double best = 0;

	for (int r = 0; big && small && r < WSG_BENCH_RUNS; r++) {
		double start = wsg_scan_cpu(wsguard, small), all = wsg_scan_cpu(wsguard, big);

		if (start < 0 || all <= start)
			break;
		if ((lines - 1) / (all - start) > best)
			best = (lines - 1) / (all - start);
	}
	if (big)
		unlink(big);
	if (small)
		unlink(small);
	free(big);
	free(small);
	return best;
}

static void wsg_report(const char *wsguard, const struct wsg_set *set, double bar)
{
	double base = wsg_rate(set, wsg_run_cjson);
	double engine = wsg_rate(set, wsg_run_inspect);
	double cmd = wsg_scan_rate(wsguard, set);

	printf("%s (%zu messages)\n", set->name, set->n);
	printf("  baseline  cJSON parse of each input line   %10.0f msg/s   1.00x\n", base);
	printf("  engine    wsg_inspect in-process           %10.0f msg/s   %.2fx\n", engine,
	       engine / base);
	if (cmd > 0)
		printf("  command   wsguard scan, one core           %10.0f msg/s   %.2fx   bar %.0f: "
		       "%s; %.0fx ModSecurity+CRS PL1 (~%d/s)\n", cmd, cmd / base, bar,
		       cmd >= bar ? "met" : "NOT met", cmd / WSG_CRS_RATE, WSG_CRS_RATE);
	else
		printf("  command   wsguard scan: could not run %s\n", wsguard);
}

int main(int argc, char **argv)
{
	struct wsg_set benign = { .name = "benign corpus, Socket.IO chat events" };
	struct wsg_set attack = { .name = "attack corpus, Socket.IO chat events" };
	char exe[4096], wsguard[4200];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0 || !wsg_find_eval()) {
		fprintf(stderr, "bench_scan: no evaluation corpus (set WSG_EVAL_DIR)\n");
		return 1;
	}
	exe[n] = 0;
	/* the binary is <build>/tests/bench/bench_scan; the command is <build>/wsguard */
	snprintf(wsguard, sizeof(wsguard), "%s/../../wsguard", dirname(exe));
	if (wsg_set_load(&benign, "benign-dev.jsonl") || wsg_set_load(&attack, "attacks-dev.jsonl")
	    || wsg_inspect_init()) {
		fprintf(stderr, "bench_scan: cannot load the corpus or the rules\n");
		return 1;
	}
	printf("bench_scan: best of %d runs, CPU time of one process (one core)\n",
	       WSG_BENCH_RUNS);
	wsg_report(wsguard, &benign, 100000);
	wsg_report(wsguard, &attack, 20000);
	wsg_inspect_fini();
	return 0;
}
