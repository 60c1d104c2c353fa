// SPDX-License-Identifier: GPL-2.0-only
/*
 * Detection quality on the development corpus (shared/eval): every payload wrapped as a
 * Socket.IO chat event, block rates per attack class and on benign chat asserted against
 * floors, and the anchor soundness the kernel prefilter relies on checked for every block.
 * Without the corpus the tests SKIP. WSG_CORPUS_VERBOSE=1 lists misses and false positives.
 */
#include <ctype.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "wsg_test.h"
#include "wsg_eval.h"
#include "decode.h"
#include "inspect.h"
#include "prefilter.h"

WSG_TEST_MAIN

struct wsg_payload {
	char *s;
	size_t len;
};

/* Keys come at their member's path too: the value, delivered last, wins. */
static int wsg_payload_leaf(void *ctx, const char *path, const char *s, size_t len, int quoted)
{
	struct wsg_payload *pl = ctx;

	if (strcmp(path, "$.payload"))
		return 0;
	free(pl->s);
	pl->s = malloc(len + 1);
	if (pl->s) {
		memcpy(pl->s, s, len);
		pl->s[len] = 0;
	}
	pl->len = len;
	return 0;
}

/* The payload of a corpus line, NULs included (cJSON would stop at a \u0000). */
static int wsg_payload_get(const char *line, struct wsg_payload *pl)
{
	size_t n = strlen(line);
	char *scratch = malloc(n + 1);
	struct wsg_walk w = { .leaf = wsg_payload_leaf, .ctx = pl, .scratch = scratch,
			      .max_bytes = n + 1 };
	int ok;

	pl->s = NULL;
	pl->len = 0;
	ok = scratch && wsg_json_walk(&w, line, n) == WSG_WALK_OK && pl->s;
	free(scratch);
	return ok;
}

/* 42["chat message",<payload as a JSON string>] with JSON escaping as JSON.stringify does. */
static char *wsg_wrap(const char *p, size_t n, size_t *out_len)
{
	size_t o = 0;
	char *w = malloc(n * 6 + 32);

	o += (size_t)sprintf(w, "42[\"chat message\",\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '"' || c == '\\') {
			w[o++] = '\\';
			w[o++] = (char)c;
		} else if (c == '\n') {
			o += (size_t)sprintf(w + o, "\\n");
		} else if (c == '\r') {
			o += (size_t)sprintf(w + o, "\\r");
		} else if (c == '\t') {
			o += (size_t)sprintf(w + o, "\\t");
		} else if (c < 0x20) {
			o += (size_t)sprintf(w + o, "\\u%04x", c);
		} else {
			w[o++] = (char)c;
		}
	}
	o += (size_t)sprintf(w + o, "\"]");
	*out_len = o;
	return w;
}

/* The soundness contract, checked from the raw bytes alone. */
static int wsg_raw_has_anchor(const char *raw, size_t len)
{
	const char *const *a;
	size_t n;

	wsg_inspect_escapes(&a, &n);
	for (size_t k = 0; k < n; k++) {
		size_t m = strlen(a[k]);

		for (size_t i = 0; i + m <= len; i++)
			if (!strncasecmp(raw + i, a[k], m))
				return 1;
	}
	wsg_inspect_anchors(&a, &n);
	for (size_t k = 0; k < n; k++) {
		size_t m = strlen(a[k]);

		for (size_t i = 0; i + m <= len; i++)
			if (!strncasecmp(raw + i, a[k], m))
				return 1;
	}
	return 0;
}

struct wsg_bucket {
	const char *name;
	unsigned total, blocked, fast;
};

/* Every class of the corpus README, then the unknown ones. */
static const char *const wsg_classes[] = {
	"sqli", "xss", "rce", "lfi", "rfi", "ssrf", "ssti", "nosqli", "prototype_pollution",
	"nodejs", "php", "java", "ldapi", "xxe", "ssi", "crlf", "session_fixation",
	"protocol_attack", "generic", "other classes",
};

#define WSG_NCLASSES (sizeof(wsg_classes) / sizeof(wsg_classes[0]))
enum { WSG_B_HARD = WSG_NCLASSES, WSG_B_PL2, WSG_B_ALL, WSG_B_COUNT };

struct wsg_corpus_stats {
	struct wsg_bucket att[WSG_B_COUNT]; /* classes, hard negatives, 4 classes pl<=2, all */
	struct wsg_bucket irc, tricky;
	unsigned unsound_anchor, unsound_pf, lines, bad;
};

static int wsg_class_idx(const char *c)
{
	for (size_t i = 0; i + 1 < WSG_NCLASSES; i++)
		if (!strcmp(c, wsg_classes[i]))
			return i;
	return WSG_NCLASSES - 1;
}

static void wsg_count(struct wsg_bucket *b, int block, int fast)
{
	if (!b)
		return;
	b->total++;
	b->blocked += block;
	b->fast += fast;
}

static void wsg_judge(struct wsg_corpus_stats *s, const struct wsg_pf_table *pf, const char *id,
		      const struct wsg_payload *payload, struct wsg_bucket *b, struct wsg_bucket *b2,
		      struct wsg_bucket *b3, int want)
{
	struct wsg_finding f = {};
	size_t len;
	char *w = wsg_wrap(payload->s, payload->len, &len);
	int block = wsg_inspect(WSG_FW_AUTO, 1, w, len, &f);
	int fast = !wsg_pf_message(pf, (const unsigned char *)w, len);

	wsg_count(b, block, fast);
	wsg_count(b2, block, fast);
	wsg_count(b3, block, fast);
	if (block && !wsg_raw_has_anchor(w, len)) {
		s->unsound_anchor++;
		printf("#   unsound (no anchor in raw): %s %s\n", id, f.rule);
	}
	if (block && fast) {
		s->unsound_pf++;
		printf("#   unsound (prefilter fast path): %s %s\n", id, f.rule);
	}
	if (getenv("WSG_CORPUS_VERBOSE") && block != want)
		printf("#   %s %s [%s] %.160s\n", want ? "MISS" : "FP", id,
		       block ? f.rule : "-", payload->s);
	free(w);
}

static void wsg_corpus_file(struct wsg_corpus_stats *s, const struct wsg_pf_table *pf,
			    const char *file, int attacks)
{
	char path[4200], *line = NULL;
	size_t cap = 0;
	FILE *in;

	snprintf(path, sizeof(path), "%s/%s", wsg_eval_dir, file);
	in = fopen(path, "r");
	if (!in) {
		s->bad++;
		return;
	}
	while (getline(&line, &cap, in) > 0) {
		cJSON *d = cJSON_Parse(line);
		cJSON *id = cJSON_GetObjectItem(d, "id");
		const char *ids = cJSON_IsString(id) ? id->valuestring : "?";
		struct wsg_payload pl;

		s->lines++;
		if (!d || !wsg_payload_get(line, &pl)) {
			s->bad++;
			cJSON_Delete(d);
			continue;
		}
		if (attacks) {
			cJSON *c = cJSON_GetObjectItem(d, "class");
			cJSON *e = cJSON_GetObjectItem(d, "expect_block");
			cJSON *lvl = cJSON_GetObjectItem(d, "pl");
			int want = cJSON_IsTrue(e);
			int k = wsg_class_idx(cJSON_IsString(c) ? c->valuestring : "");
			struct wsg_bucket *b = want ? &s->att[k] : &s->att[WSG_B_HARD];
			struct wsg_bucket *b2 = NULL;

			if (want && k < 4 && (!cJSON_IsNumber(lvl) || lvl->valuedouble <= 2))
				b2 = &s->att[WSG_B_PL2];
			wsg_judge(s, pf, ids, &pl, b, b2, want ? &s->att[WSG_B_ALL] : NULL, want);
		} else {
			cJSON *src = cJSON_GetObjectItem(d, "source");
			int irc = cJSON_IsString(src) && !strncmp(src->valuestring, "irc", 3);

			wsg_judge(s, pf, ids, &pl, irc ? &s->irc : &s->tricky, NULL, NULL, 0);
		}
		free(pl.s);
		cJSON_Delete(d);
	}
	free(line);
	fclose(in);
}

static double wsg_pct(const struct wsg_bucket *b, unsigned v)
{
	return b->total ? 100.0 * v / b->total : 0;
}

static void wsg_print(const struct wsg_bucket *b)
{
	printf("# %-26s %6u lines  blocked %6.2f%%  prefilter fast path %6.2f%%\n", b->name,
	       b->total, wsg_pct(b, b->blocked), wsg_pct(b, b->fast));
}

static struct wsg_corpus_stats wsg_stats;
static int wsg_ran;

static int wsg_corpus_run(void)
{
	static struct wsg_pf_table pf;
	struct wsg_corpus_stats *s = &wsg_stats;

	if (wsg_ran)
		return wsg_ran > 0;
	wsg_ran = -1;
	if (!wsg_find_eval())
		return 0;
	if (wsg_inspect_init())
		return 0;
	wsg_pf_build(&pf);
	for (size_t i = 0; i < WSG_NCLASSES; i++)
		s->att[i].name = wsg_classes[i];
	s->att[WSG_B_HARD].name = "hard negatives (all)";
	s->att[WSG_B_PL2].name = "sqli+xss+rce+lfi pl<=2";
	s->att[WSG_B_ALL].name = "all expect_block attacks";
	s->irc.name = "benign IRC chat";
	s->tricky.name = "benign tricky";
	wsg_corpus_file(s, &pf, "attacks-dev.jsonl", 1);
	wsg_corpus_file(s, &pf, "benign-dev.jsonl", 0);
	printf("# corpus %s: %u lines, %u malformed\n", wsg_eval_dir, s->lines, s->bad);
	for (int i = 0; i < WSG_B_COUNT; i++)
		if (s->att[i].total)
			wsg_print(&s->att[i]);
	wsg_print(&s->irc);
	wsg_print(&s->tricky);
	wsg_ran = 1;
	return 1;
}

WSG_TEST(corpus_attack_floors)
{
	struct wsg_corpus_stats *s = &wsg_stats;

	if (!wsg_corpus_run())
		SKIP("eval corpus not found (set WSG_EVAL_DIR)");
	REQUIRE(s->bad == 0, "%u malformed corpus lines", s->bad);
	CHECK(wsg_pct(&s->att[0], s->att[0].blocked) >= 95, "sqli %.2f%%",
	      wsg_pct(&s->att[0], s->att[0].blocked));
	CHECK(wsg_pct(&s->att[1], s->att[1].blocked) >= 90, "xss %.2f%%",
	      wsg_pct(&s->att[1], s->att[1].blocked));
	/* floors below the issue-3 bar (97%/90%) lock in progress; rce is the open gap */
	CHECK(wsg_pct(&s->att[2], s->att[2].blocked) >= 70, "rce %.2f%%",
	      wsg_pct(&s->att[2], s->att[2].blocked));
	CHECK(wsg_pct(&s->att[3], s->att[3].blocked) >= 95, "lfi %.2f%%",
	      wsg_pct(&s->att[3], s->att[3].blocked));
	CHECK(wsg_pct(&s->att[WSG_B_ALL], s->att[WSG_B_ALL].blocked) >= 94, "all attacks %.2f%%",
	      wsg_pct(&s->att[WSG_B_ALL], s->att[WSG_B_ALL].blocked));
}

WSG_TEST(corpus_benign_ceilings)
{
	struct wsg_corpus_stats *s = &wsg_stats;

	if (!wsg_corpus_run())
		SKIP("eval corpus not found (set WSG_EVAL_DIR)");
	REQUIRE(s->irc.total > 1000 && s->tricky.total > 50, "benign corpus too small");
	CHECK(wsg_pct(&s->irc, s->irc.blocked) <= 0.3, "IRC chat blocked %.2f%%",
	      wsg_pct(&s->irc, s->irc.blocked));
	CHECK(wsg_pct(&s->tricky, s->tricky.blocked) <= 3.0, "tricky benign blocked %.2f%%",
	      wsg_pct(&s->tricky, s->tricky.blocked));
}

WSG_TEST(corpus_anchor_soundness)
{
	struct wsg_corpus_stats *s = &wsg_stats;

	if (!wsg_corpus_run())
		SKIP("eval corpus not found (set WSG_EVAL_DIR)");
	CHECK(s->unsound_anchor == 0, "%u blocked messages hold no anchor or escape byte",
	      s->unsound_anchor);
	CHECK(s->unsound_pf == 0, "%u blocked messages the prefilter would fast-path",
	      s->unsound_pf);
	CHECK(wsg_pct(&s->irc, s->irc.fast) >= 90, "IRC fast path %.2f%%",
	      wsg_pct(&s->irc, s->irc.fast));
}
