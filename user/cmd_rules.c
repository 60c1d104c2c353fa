// SPDX-License-Identifier: GPL-2.0-only
/*
 * `wsguard rules check FILE...` validates rules files (every problem named by file, rule id
 * and key; exit 1 if any); `rules list` prints the active set at a paranoia level; `rules
 * dump` prints the built-in file, the starting point of an operator's own.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "rules.h"

static int wsg_rules_usage(FILE *f, int ret)
{
	fprintf(f, "usage: wsguard rules check FILE...\n"
		   "       wsguard rules list [--rules FILE] [--paranoia 1-4]\n"
		   "       wsguard rules dump\n");
	return ret;
}

static int wsg_rules_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "paranoia", required_argument, NULL, 'L' },
		{}
	};
	const char *file = NULL;
	unsigned paranoia = WSG_PARANOIA_MIN;
	const struct wsg_rule *r;
	size_t n;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			file = optarg;
		else if (c != 'L' || wsg_paranoia_parse(optarg, &paranoia))
			return wsg_rules_usage(stderr, 2);
	}
	if (optind != argc)
		return wsg_rules_usage(stderr, 2);
	if (wsg_rules_load(file, paranoia, stderr))
		return 1;
	r = wsg_rules(&n);
	for (size_t i = 0; i < n; i++)
		printf("%-10s %-3s %-19s pl%u  %s\n", r[i].id, r[i].on ? "on" : "off", r[i].cls,
		       r[i].paranoia, r[i].desc);
	wsg_rules_free();
	return 0;
}

int cmd_rules(int argc, char **argv)
{
	int errors = 0;

	if (argc >= 2 && !strcmp(argv[1], "dump")) {
		fputs(wsg_rules_builtin, stdout);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return wsg_rules_list(argc - 1, argv + 1);
	if (argc < 3 || strcmp(argv[1], "check"))
		return wsg_rules_usage(argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
				       argc >= 2 && !strcmp(argv[1], "--help") ? 0 : 2);
	for (int i = 2; i < argc; i++)
		errors += wsg_rules_check(argv[i], stdout, stderr);
	return errors ? 1 : 0;
}
