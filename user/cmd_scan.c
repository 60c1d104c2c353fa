// SPDX-License-Identifier: GPL-2.0-only
/*
 * `wsguard scan`: offline verdicts for a file of messages, without root or BPF. Each input line
 * is JSON with "id" and "payload" (a complete message as a client sends it); each output line
 * says whether the daemon would block it and whether the kernel prefilter, the same code
 * compiled here, would have passed it without asking the daemon ("fastpath"). A line may give
 * "payload_hex" instead: a binary message (SignalR MessagePack, socket.io-msgpack-parser).
 * --explain prints to stderr, per message, every string the inspection decoded: its path,
 * the decoded text and the normalised form the detectors saw.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "conn.h"
#include "decode.h"
#include "log.h"
#include "prefilter.h"
#include "rules.h"

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
		{ "signalr", WSG_FW_SIGNALR }, { "stomp", WSG_FW_STOMP },
		{ "graphql-ws", WSG_FW_GRAPHQL }, { "graphql", WSG_FW_GRAPHQL },
		{ "jsonrpc", WSG_FW_JSONRPC }, { "json", WSG_FW_JSON }, { "text", WSG_FW_TEXT },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i].name)) {
			*fw = names[i].fw;
			return 0;
		}
	}
	return -EINVAL;
}

/* The message of a line: "payload" (a text message, NULs kept) or "payload_hex" (binary). */
struct wsg_scan_msg {
	char *s;
	size_t len;
	int binary;
};

static int wsg_hexdig(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int wsg_scan_leaf(void *ctx, const char *path, const char *s, size_t len, int quoted)
{
	struct wsg_scan_msg *m = ctx;
	int hex = !strcmp(path, "$.payload_hex");

	if (!hex && strcmp(path, "$.payload"))
		return 0;
	/* keys arrive at their member's path first: the value, delivered last, wins */
	free(m->s);
	m->s = malloc(len + 1);
	m->len = 0;
	m->binary = hex;
	if (!m->s)
		return 1;
	if (!hex) {
		memcpy(m->s, s, len);
		m->len = len;
		return 0;
	}
	for (size_t i = 0; i + 1 < len; i += 2) {
		int hi = wsg_hexdig(s[i]), lo = wsg_hexdig(s[i + 1]);

		if (hi < 0 || lo < 0)
			break;
		m->s[m->len++] = (char)(hi << 4 | lo);
	}
	return 0;
}

static int wsg_scan_msg_get(const char *line, struct wsg_scan_msg *m)
{
	size_t n = strlen(line);
	char *scratch = malloc(n + 1);
	struct wsg_walk w = { .leaf = wsg_scan_leaf, .ctx = m, .scratch = scratch,
			      .max_bytes = n + 1 };
	int ok = scratch && wsg_json_walk(&w, line, n) == WSG_WALK_OK && m->s;

	free(scratch);
	return ok;
}

static void wsg_scan_explain(void *ctx, const char *path, const char *s, size_t len,
			     const char *norm, size_t nlen)
{
	char a[1024], b[1024];

	wsg_json_escape(a, sizeof(a), s, len < 300 ? len : 300);
	wsg_json_escape(b, sizeof(b), norm, nlen < 300 ? nlen : 300);
	fprintf(stderr, "explain %s %s \"%s\" -> \"%s\"\n", (const char *)ctx, path, a, b);
}

static void wsg_scan_line(const struct wsg_pf_table *pf, enum wsg_framework fw, int explain,
			  const char *line, struct wsg_scan_totals *t)
{
	cJSON *doc = cJSON_Parse(line), *id;
	struct wsg_conn_d conn = { .fw = fw };
	struct wsg_scan_msg m = {};
	struct wsg_verdict v = {};
	struct wsg_finding f;
	struct wsg_ev e;
	char idbuf[64] = "-";
	int fast, block;

	id = cJSON_GetObjectItemCaseSensitive(doc, "id");
	if (!doc || !wsg_scan_msg_get(line, &m)) {
		t->bad++;
		free(m.s);
		cJSON_Delete(doc);
		return;
	}
	if (cJSON_IsString(id))
		snprintf(idbuf, sizeof(idbuf), "%s", id->valuestring);
	else if (cJSON_IsNumber(id))
		snprintf(idbuf, sizeof(idbuf), "%.0f", id->valuedouble);
	fast = !wsg_pf_message_as(pf, (const unsigned char *)m.s, m.len, m.binary,
				  wsg_pf_profile_of(fw));
	if (explain)
		wsg_inspect_explain(fw, !m.binary, m.s, m.len, &f, wsg_scan_explain, idbuf);
	block = wsg_judge_message(&conn, m.binary ? WSG_OP_BINARY : WSG_OP_TEXT, 0,
				  (const unsigned char *)m.s, m.len, &v);
	free(m.s);
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
		{ "explain", no_argument, NULL, 'x' },
		{ "rules", required_argument, NULL, 'r' },
		{ "paranoia", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	static struct wsg_pf_table pf;
	enum wsg_framework fw = WSG_FW_AUTO;
	struct wsg_scan_totals t = {};
	size_t cap = 0;
	char *line = NULL;
	const char *rules = NULL;
	unsigned paranoia = WSG_PARANOIA_MIN;
	FILE *in;
	int c, explain = 0;

	while ((c = getopt_long(argc, argv, "f:xh", opts, NULL)) != -1) {
		if ((c == 'f' && !wsg_fw_parse(optarg, &fw)) ||
		    (c == 'L' && !wsg_paranoia_parse(optarg, &paranoia)))
			continue;
		if (c == 'x' || c == 'r') {
			explain |= c == 'x';
			rules = c == 'r' ? optarg : rules;
			continue;
		}
		fprintf(stderr,
			"usage: wsguard scan [--framework auto|socketio|signalr|stomp|graphql-ws|"
			"jsonrpc|json|text] [--rules FILE] [--paranoia 1-4] [--explain] FILE\n"
			"  FILE: JSON lines {\"id\", \"payload\"} (text) or {\"id\", \"payload_hex\"}"
			" (binary)\n"
			"  --explain: on stderr, per decoded string: explain ID PATH \"TEXT\" -> "
			"\"NORMALISED\"\n");
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
	if (wsg_rules_load(rules, paranoia, stderr)) {
		if (in != stdin)
			fclose(in);
		return 2;
	}
	wsg_pf_build(&pf);
	while (getline(&line, &cap, in) > 0) {
		t.lines++;
		wsg_scan_line(&pf, fw, explain, line, &t);
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
