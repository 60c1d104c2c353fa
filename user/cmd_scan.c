// SPDX-License-Identifier: GPL-2.0-only
/*
 * `wsguard scan`: offline verdicts for a file of messages, without root or BPF. Each input line
 * is JSON with "id" and "payload" (a complete message as a client sends it); each output line
 * says whether the daemon would block it and whether the kernel prefilter, the same code
 * compiled here, would have passed it without asking the daemon ("fastpath").
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "conn.h"
#include "log.h"
#include "prefilter.h"

struct wsg_scan_totals {
	unsigned long lines, bad, blocked, fastpath, unsound;
};

static int wsg_fw_parse(const char *s, enum wsg_framework *fw)
{
	static const struct {
		const char *name;
		enum wsg_framework fw;
	} names[] = {
		{ "auto", WSG_FW_AUTO }, { "socketio", WSG_FW_SOCKETIO },
		{ "json", WSG_FW_JSON }, { "text", WSG_FW_TEXT },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i].name)) {
			*fw = names[i].fw;
			return 0;
		}
	}
	return -EINVAL;
}

static void wsg_scan_line(const struct wsg_pf_table *pf, enum wsg_framework fw, const char *line,
			  struct wsg_scan_totals *t)
{
	cJSON *doc = cJSON_Parse(line), *id, *payload;
	struct wsg_conn_d conn = { .fw = fw };
	struct wsg_verdict v = {};
	struct wsg_ev e;
	int fast, block;
	size_t len;

	id = cJSON_GetObjectItemCaseSensitive(doc, "id");
	payload = cJSON_GetObjectItemCaseSensitive(doc, "payload");
	if (!cJSON_IsString(payload)) {
		t->bad++;
		cJSON_Delete(doc);
		return;
	}
	len = strlen(payload->valuestring);
	fast = !wsg_pf_message(pf, (const unsigned char *)payload->valuestring, len);
	block = wsg_judge_message(&conn, WSG_OP_TEXT, 0, (const unsigned char *)payload->valuestring,
				  len, &v);
	t->blocked += block;
	t->fastpath += fast;
	t->unsound += block && fast;
	wsg_ev_begin(&e, NULL);
	if (cJSON_IsString(id))
		wsg_ev_str(&e, "id", id->valuestring);
	else if (cJSON_IsNumber(id))
		wsg_ev_u64(&e, "id", (__u64)id->valuedouble);
	wsg_ev_str(&e, "verdict", block ? "block" : "allow");
	wsg_ev_raw(&e, "fastpath", fast ? "true" : "false");
	if (block) {
		wsg_ev_str(&e, "reason", wsg_reason_name(v.reason));
		wsg_ev_str(&e, "class", v.reason == WSG_R_DETECT ? v.finding.cls : "protocol");
		if (v.reason == WSG_R_DETECT) {
			wsg_ev_str(&e, "rule", v.finding.rule);
			wsg_ev_str(&e, "path", v.finding.where);
			wsg_ev_str(&e, "excerpt", v.finding.excerpt);
		}
	}
	wsg_ev_end(&e);
	cJSON_Delete(doc);
}

int cmd_scan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "framework", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	static struct wsg_pf_table pf;
	enum wsg_framework fw = WSG_FW_AUTO;
	struct wsg_scan_totals t = {};
	size_t cap = 0;
	char *line = NULL;
	FILE *in;
	int c;

	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		if (c == 'f' && !wsg_fw_parse(optarg, &fw))
			continue;
		fprintf(stderr, "usage: wsguard scan [--framework auto|socketio|json|text] FILE\n");
		return c == 'h' ? 0 : 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "wsguard scan: one input FILE (- for stdin) is required\n");
		return 2;
	}
	in = strcmp(argv[optind], "-") ? fopen(argv[optind], "r") : stdin;
	if (!in) {
		fprintf(stderr, "wsguard scan: %s: %s\n", argv[optind], strerror(errno));
		return 2;
	}
	if (wsg_inspect_init()) {
		fprintf(stderr, "wsguard scan: detectors failed to initialise\n");
		return 1;
	}
	wsg_pf_build(&pf);
	while (getline(&line, &cap, in) > 0) {
		t.lines++;
		wsg_scan_line(&pf, fw, line, &t);
	}
	fprintf(stderr,
		"scan: %lu messages, %lu blocked, %lu fast-pathed, %lu malformed lines, "
		"%lu blocked yet fast-pathed\n",
		t.lines, t.blocked, t.fastpath, t.bad, t.unsound);
	free(line);
	if (in != stdin)
		fclose(in);
	wsg_inspect_fini();
	return t.unsound ? 1 : 0;
}
