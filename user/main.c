// SPDX-License-Identifier: GPL-2.0-only
/* The wsguard command line: global options, the command table, argument checking. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "log.h"
#include "rules.h"

int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);

static void wsg_usage(FILE *f)
{
	fprintf(f,
		"usage: wsguard run --cgroup DIR --port PORT [--port PORT ...] [--log FILE]\n"
		"                   [--hold-max BYTES] [--scan-max BYTES] [--pin-dir DIR]\n"
		"                   [--rules FILE] [--paranoia 1-4] [--fail closed|open]\n"
		"                   [--mem-max BYTES] [-v]\n"
		"       wsguard scan [--framework NAME] [--rules FILE] [--paranoia 1-4] [--explain]"
		" FILE\n"
		"       wsguard rules check FILE... | list [--rules FILE] [--paranoia 1-4] | dump\n"
		"       wsguard status [--pin-dir DIR]\n"
		"       wsguard version\n"
		"\n"
		"run     attach to the cgroup v2 DIR of the proxy (nginx, node) and protect its\n"
		"        WebSocket connections to the backend PORTs; JSON events on stdout or FILE\n"
		"scan    offline verdicts for JSON lines {\"id\",\"payload\"} (no root, no BPF)\n"
		"rules   validate a rules file, list the active rules, print the built-in file\n"
		"status  print the kernel and daemon counters from the pinned maps\n");
}

/* Range-checked unsigned parse; 0 or -EINVAL. */
static int wsg_parse_u64(const char *s, unsigned long long min, unsigned long long max,
			 unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || *out < min || *out > max || s[0] == '-')
		return -EINVAL;
	return 0;
}

static int wsg_check_cgroup(const char *dir)
{
	struct statfs st;

	if (statfs(dir, &st)) {
		fprintf(stderr, "wsguard: --cgroup %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (st.f_type != CGROUP2_SUPER_MAGIC) {
		fprintf(stderr, "wsguard: --cgroup %s: not a cgroup v2 directory\n", dir);
		return -1;
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ "port", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'l' },
		{ "hold-max", required_argument, NULL, 'H' },
		{ "scan-max", required_argument, NULL, 'S' },
		{ "pin-dir", required_argument, NULL, 'P' },
		{ "rules", required_argument, NULL, 'r' },
		{ "paranoia", required_argument, NULL, 'L' },
		{ "fail", required_argument, NULL, 'F' },
		{ "mem-max", required_argument, NULL, 'M' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct wsg_run_opts o = {};
	const char *log = NULL, *rules = NULL;
	unsigned paranoia = WSG_PARANOIA_MIN;
	unsigned long long v;
	int c, verbose = WSG_LOG_INFO, err;

	while ((c = getopt_long(argc, argv, "c:p:l:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.cgroup = optarg;
			break;
		case 'p':
			if (wsg_parse_u64(optarg, 1, 65535, &v) || o.nports == WSG_MAX_PORTS) {
				fprintf(stderr, "wsguard: --port %s: want 1..65535, at most %d ports\n",
					optarg, WSG_MAX_PORTS);
				return 2;
			}
			o.ports[o.nports++] = v;
			break;
		case 'l':
			log = optarg;
			break;
		case 'H':
			if (wsg_parse_u64(optarg, 65536, 1ull << 32, &v)) {
				fprintf(stderr, "wsguard: --hold-max %s: want 65536..4294967296\n",
					optarg);
				return 2;
			}
			o.hold_max = v;
			break;
		case 'S':
			if (wsg_parse_u64(optarg, 64, WSG_SCAN_LIMIT, &v)) {
				fprintf(stderr, "wsguard: --scan-max %s: want 64..%d\n", optarg,
					WSG_SCAN_LIMIT);
				return 2;
			}
			o.scan_max = v;
			break;
		case 'P':
			if (strncmp(optarg, "/sys/fs/bpf/", 12) || strlen(optarg) > 200) {
				fprintf(stderr, "wsguard: --pin-dir %s: want a directory under "
					"/sys/fs/bpf/\n", optarg);
				return 2;
			}
			o.pin_dir = optarg;
			break;
		case 'r':
			rules = optarg;
			break;
		case 'L':
			if (wsg_paranoia_parse(optarg, &paranoia)) {
				fprintf(stderr, "wsguard: --paranoia %s: want 1..4\n", optarg);
				return 2;
			}
			break;
		case 'M':
			if (wsg_parse_u64(optarg, 1 << 20, 1ull << 40, &v)) {
				fprintf(stderr, "wsguard: --mem-max %s: want 1048576..1099511627776\n",
					optarg);
				return 2;
			}
			o.mem_max = v;
			break;
		case 'F':
			if (strcmp(optarg, "open") && strcmp(optarg, "closed")) {
				fprintf(stderr, "wsguard: --fail %s: want open or closed\n", optarg);
				return 2;
			}
			o.fail_open = !strcmp(optarg, "open");
			break;
		case 'v':
			verbose = WSG_LOG_DEBUG;
			break;
		case 'h':
			wsg_usage(stdout);
			return 0;
		default:
			wsg_usage(stderr);
			return 2;
		}
	}
	if (!o.cgroup || !o.nports) {
		fprintf(stderr, "wsguard run: --cgroup and at least one --port are required\n");
		return 2;
	}
	if (geteuid()) {
		fprintf(stderr, "wsguard run: needs root (BPF, cgroup attach, pidfd_getfd)\n");
		return 1;
	}
	if (wsg_check_cgroup(o.cgroup) || wsg_rules_load(rules, paranoia, stderr))
		return 2;
	wsg_log_setup(verbose);
	err = wsg_events_open(log);
	if (err) {
		fprintf(stderr, "wsguard: --log %s: %s\n", log, strerror(-err));
		return 2;
	}
	err = wsg_daemon_run(&o);
	wsg_events_close();
	return err ? 1 : 0;
}

static int wsg_status_map(const char *dir, const char *name, int percpu, const char *label)
{
	int ncpu = percpu ? libbpf_num_possible_cpus() : 1, fd, first = 1;
	char path[512];
	__u64 vals[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		fprintf(stderr, "wsguard status: %s: %s (is wsguard running?)\n", path,
			strerror(errno));
		return -1;
	}
	if (ncpu > 512)
		ncpu = 512;
	printf("\"%s\":{", label);
	for (__u32 r = 0; r < WSG_R__COUNT; r++) {
		__u64 sum = 0;

		if (bpf_map_lookup_elem(fd, &r, vals))
			continue;
		for (int i = 0; i < ncpu; i++)
			sum += vals[i];
		if (!sum)
			continue;
		printf("%s\"%s\":%llu", first ? "" : ",", wsg_reason_name(r),
		       (unsigned long long)sum);
		first = 0;
	}
	printf("}");
	close(fd);
	return 0;
}

static int cmd_status(int argc, char **argv)
{
	const char *dir = WSG_PIN_DIR;

	if (argc >= 3 && !strcmp(argv[1], "--pin-dir"))
		dir = argv[2];
	printf("{");
	if (wsg_status_map(dir, "wsg_stats", 1, "kernel"))
		return 1;
	printf(",");
	if (wsg_status_map(dir, "wsg_dstats", 0, "daemon"))
		return 1;
	printf("}\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		wsg_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "scan"))
		return cmd_scan(argc - 1, argv + 1);
	if (!strcmp(argv[1], "rules"))
		return cmd_rules(argc - 1, argv + 1);
	if (!strcmp(argv[1], "status"))
		return cmd_status(argc - 1, argv + 1);
	if (!strcmp(argv[1], "version")) {
		printf("wsguard 0.1\n");
		return 0;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		wsg_usage(stdout);
		return 0;
	}
	fprintf(stderr, "wsguard: unknown command '%s'\n", argv[1]);
	wsg_usage(stderr);
	return 2;
}
