// SPDX-License-Identifier: GPL-2.0-only
/*
 * Detection quality on the development corpus (shared/eval): every payload wrapped as a
 * client would send it (Socket.IO event, JSON field, GraphQL variable, STOMP body, all
 * \u-escaped, plain text), block rates per attack class and on benign chat asserted against floors, and
 * the anchor soundness the kernel prefilter relies on checked for every block.
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

static int wsg_has_ci(const char *s, size_t len, const char *a)
{
	size_t m = strlen(a);

	for (size_t i = 0; i + m <= len; i++)
		if (!strncasecmp(s + i, a, m))
			return 1;
	return 0;
}

/* A run of WSG_PF_B64_RUN base64 letters: a blob the kernel holds and the daemon decodes. */
static int wsg_has_b64_run(const char *s, size_t len)
{
	size_t run = 0;

	for (size_t i = 0; i < len; i++)
		if ((run = wsg_pf_b64((unsigned char)s[i]) ? run + 1 : 0) >= WSG_PF_B64_RUN)
			return 1;
	return 0;
}

/*
 * The soundness contract, checked from the raw bytes alone: an escape, a base64 blob, or an
 * anchor where the message start, a line break and NUL count as a quote
 * (include/wsg_prefilter.h).
 */
static int wsg_raw_has_anchor(const char *raw, size_t len)
{
	const char *const *a;
	size_t n;
	char *d = malloc(len + 2);
	int found = wsg_has_b64_run(raw, len);

	wsg_inspect_escapes(&a, &n);
	for (size_t k = 0; k < n && !found; k++)
		found = wsg_has_ci(raw, len, a[k]);
	d[0] = '"';
	for (size_t i = 0; i < len; i++)
		d[i + 1] = raw[i] == '\n' || !raw[i] ? '"' : raw[i];
	wsg_inspect_anchors(&a, NULL, &n);
	for (size_t k = 0; k < n && !found; k++)
		found = wsg_has_ci(d, len + 1, a[k]);
	free(d);
	return found;
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
	unsigned unsound_anchor, unsound_pf;
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

/* Bucket pointers are into envelope 0's stats; the same bucket of envelope e is judged. */
static void wsg_judge_env(struct wsg_corpus_stats *s, const struct wsg_pf_table *pf,
			  const char *id, const struct wsg_payload *payload, struct wsg_bucket *b,
			  struct wsg_bucket *b2, struct wsg_bucket *b3, int want, enum wsg_wrap_env e)
{
	enum wsg_framework fw = wsg_wrap_fw(e);
	struct wsg_finding f = {};
	size_t len;
	char *w = wsg_wrap(e, payload->s, payload->len, &len);
	int block = wsg_inspect(fw, 1, w, len, &f);
	int fast = !wsg_pf_message_as(pf, (const unsigned char *)w, len, 0, wsg_pf_profile_of(fw));

	wsg_count(b, block, fast);
	wsg_count(b2, block, fast);
	wsg_count(b3, block, fast);
	if (block && !wsg_raw_has_anchor(w, len)) {
		s->unsound_anchor++;
		printf("#   unsound (no anchor in raw, %s): %s %s\n", wsg_wrap_names[e], id, f.rule);
	}
	if (block && fast) {
		s->unsound_pf++;
		printf("#   unsound (prefilter fast path, %s): %s %s\n", wsg_wrap_names[e], id,
		       f.rule);
	}
	if (getenv("WSG_CORPUS_VERBOSE") && block != want && (e == WSG_WRAP_SIO ||
							      getenv("WSG_CORPUS_ENVELOPES")))
		printf("#   %s %s %s [%s] %.160s\n", want ? "MISS" : "FP", wsg_wrap_names[e], id,
		       block ? f.rule : "-", payload->s);
	free(w);
}

static struct wsg_corpus_stats wsg_stats[WSG_WRAP_COUNT];

#define WSG_RELOC(e, p) ((p) ? (struct wsg_bucket *)((char *)&wsg_stats[e] + \
				  ((char *)(p) - (char *)&wsg_stats[0])) : NULL)

/* One corpus line in every envelope. */
static void wsg_judge(const struct wsg_pf_table *pf, const char *id,
		      const struct wsg_payload *payload, struct wsg_bucket *b, struct wsg_bucket *b2,
		      struct wsg_bucket *b3, int want)
{
	for (int e = 0; e < WSG_WRAP_COUNT; e++)
		wsg_judge_env(&wsg_stats[e], pf, id, payload, WSG_RELOC(e, b), WSG_RELOC(e, b2),
			      WSG_RELOC(e, b3), want, e);
}

static unsigned wsg_lines, wsg_bad;

struct wsg_corpus_ctx {
	struct wsg_corpus_stats *s;
	const struct wsg_pf_table *pf;
	int attacks;
};

static void wsg_corpus_line(void *ctx, const struct wsg_eval_line *l)
{
	struct wsg_corpus_ctx *x = ctx;
	struct wsg_corpus_stats *s = x->s;
	struct wsg_payload pl = { (char *)l->s, l->len };

	if (x->attacks) {
		const cJSON *c = cJSON_GetObjectItem(l->doc, "class");
		const cJSON *lvl = cJSON_GetObjectItem(l->doc, "pl");
		int want = cJSON_IsTrue(cJSON_GetObjectItem(l->doc, "expect_block"));
		int k = wsg_class_idx(cJSON_IsString(c) ? c->valuestring : "");
		struct wsg_bucket *b = want ? &s->att[k] : &s->att[WSG_B_HARD];
		struct wsg_bucket *b2 = NULL;

		if (want && k < 4 && (!cJSON_IsNumber(lvl) || lvl->valuedouble <= 2))
			b2 = &s->att[WSG_B_PL2];
		wsg_judge(x->pf, l->id, &pl, b, b2, want ? &s->att[WSG_B_ALL] : NULL, want);
	} else {
		wsg_judge(x->pf, l->id, &pl, l->irc ? &s->irc : &s->tricky, NULL, NULL, 0);
	}
}

static void wsg_corpus_file(struct wsg_corpus_stats *s, const struct wsg_pf_table *pf,
			    const char *file, int attacks)
{
	struct wsg_corpus_ctx x = { s, pf, attacks };

	wsg_bad += wsg_eval_each(file, wsg_corpus_line, &x, &wsg_lines);
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

static int wsg_ran;

static void wsg_names(struct wsg_corpus_stats *s)
{
	for (size_t i = 0; i < WSG_NCLASSES; i++)
		s->att[i].name = wsg_classes[i];
	s->att[WSG_B_HARD].name = "hard negatives (all)";
	s->att[WSG_B_PL2].name = "sqli+xss+rce+lfi pl<=2";
	s->att[WSG_B_ALL].name = "all expect_block attacks";
	s->irc.name = "benign IRC chat";
	s->tricky.name = "benign tricky";
}

static int wsg_corpus_run(void)
{
	static struct wsg_pf_table pf;
	struct wsg_corpus_stats *s = &wsg_stats[0];

	if (wsg_ran)
		return wsg_ran > 0;
	wsg_ran = -1;
	if (!wsg_find_eval())
		return 0;
	if (wsg_inspect_init())
		return 0;
	wsg_pf_build(&pf);
	for (int e = 0; e < WSG_WRAP_COUNT; e++)
		wsg_names(&wsg_stats[e]);
	wsg_corpus_file(s, &pf, "attacks-dev.jsonl", 1);
	wsg_corpus_file(s, &pf, "benign-dev.jsonl", 0);
	printf("# corpus %s: %u lines, %u malformed; per class as %s\n", wsg_eval_dir,
	       wsg_lines, wsg_bad, wsg_wrap_names[0]);
	for (int i = 0; i < WSG_B_COUNT; i++)
		if (s->att[i].total)
			wsg_print(&s->att[i]);
	wsg_print(&s->irc);
	wsg_print(&s->tricky);
	printf("# %-20s %8s %8s %8s %8s %10s\n", "envelope", "attacks", "hard neg", "IRC",
	       "tricky", "IRC fast");
	for (int e = 0; e < WSG_WRAP_COUNT; e++) {
		const struct wsg_corpus_stats *x = &wsg_stats[e];
		const struct wsg_bucket *all = &x->att[WSG_B_ALL], *hard = &x->att[WSG_B_HARD];

		printf("# %-20s %7.2f%% %7.2f%% %7.2f%% %7.2f%% %9.2f%%\n", wsg_wrap_names[e],
		       wsg_pct(all, all->blocked), wsg_pct(hard, hard->blocked),
		       wsg_pct(&x->irc, x->irc.blocked), wsg_pct(&x->tricky, x->tricky.blocked),
		       wsg_pct(&x->irc, x->irc.fast));
	}
	wsg_ran = 1;
	return 1;
}

#define WSG_RATE(b) wsg_pct((b), (b)->blocked)

WSG_TEST(corpus_attack_floors)
{
	struct wsg_corpus_stats *s = &wsg_stats[0];

	if (!wsg_corpus_run())
		SKIP("eval corpus not found (set WSG_EVAL_DIR)");
	REQUIRE(wsg_bad == 0, "%u malformed corpus lines", wsg_bad);
	/* the bar: every class with 30 or more lines at 90%; above it, floors lock in progress */
	for (size_t k = 0; k + 1 < WSG_NCLASSES; k++)
		if (s->att[k].total >= 30)
			CHECK(WSG_RATE(&s->att[k]) >= 90, "%s %.2f%%", wsg_classes[k],
			      WSG_RATE(&s->att[k]));
	CHECK(WSG_RATE(&s->att[0]) >= 97.5, "sqli %.2f%%", WSG_RATE(&s->att[0]));
	CHECK(WSG_RATE(&s->att[1]) >= 96, "xss %.2f%%", WSG_RATE(&s->att[1]));
	CHECK(WSG_RATE(&s->att[2]) >= 91, "rce %.2f%%", WSG_RATE(&s->att[2]));
	CHECK(WSG_RATE(&s->att[3]) >= 96, "lfi %.2f%%", WSG_RATE(&s->att[3]));
	for (int e = 0; e < WSG_WRAP_COUNT; e++)
		CHECK(WSG_RATE(&wsg_stats[e].att[WSG_B_ALL]) >= 97, "all attacks, %s: %.2f%%",
		      wsg_wrap_names[e], WSG_RATE(&wsg_stats[e].att[WSG_B_ALL]));
}

WSG_TEST(corpus_benign_ceilings)
{
	if (!wsg_corpus_run())
		SKIP("eval corpus not found (set WSG_EVAL_DIR)");
	for (int e = 0; e < WSG_WRAP_COUNT; e++) {
		struct wsg_corpus_stats *s = &wsg_stats[e];

		REQUIRE(s->irc.total > 1000 && s->tricky.total > 50, "benign corpus too small");
		CHECK(WSG_RATE(&s->irc) <= 0.3, "IRC chat blocked, %s: %.2f%%", wsg_wrap_names[e],
		      WSG_RATE(&s->irc));
		CHECK(WSG_RATE(&s->tricky) <= 3.0, "tricky benign blocked, %s: %.2f%%",
		      wsg_wrap_names[e], WSG_RATE(&s->tricky));
	}
}

WSG_TEST(corpus_anchor_soundness)
{
	if (!wsg_corpus_run())
		SKIP("eval corpus not found (set WSG_EVAL_DIR)");
	for (int e = 0; e < WSG_WRAP_COUNT; e++) {
		struct wsg_corpus_stats *s = &wsg_stats[e];

		CHECK(s->unsound_anchor == 0, "%s: %u blocked messages hold no anchor or escape",
		      wsg_wrap_names[e], s->unsound_anchor);
		CHECK(s->unsound_pf == 0, "%s: %u blocked messages the prefilter would fast-path",
		      wsg_wrap_names[e], s->unsound_pf);
		/*
		 * Chat events, JSON fields and plain text are asserted: \u-escaping shows the
		 * escape to the prefilter, and GraphQL query text ("send(") and STOMP headers
		 * still trigger anchors.
		 */
		if (e == WSG_WRAP_SIO || e == WSG_WRAP_JSON || e == WSG_WRAP_TEXT)
			CHECK(wsg_pct(&s->irc, s->irc.fast) >= 90, "IRC fast path, %s: %.2f%%",
			      wsg_wrap_names[e], wsg_pct(&s->irc, s->irc.fast));
	}
}
