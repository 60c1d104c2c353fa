// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prefilter table construction. One-byte anchors become byte triggers, two- and three-byte
 * ones their rarest bigram, those of four to seven bytes their rarest 4-gram, longer ones
 * their rarest 8 bytes, matched exactly (up to Bloom collisions): "subscription" no longer
 * looks like "subscribe". The table stays sound: an anchor in the raw bytes always shows
 * its piece. A \u escape needs no trigger: the prefilter decodes it (wsg_pf_feed). A pair
 * that ends only line anchors' pieces carries their need (include/wsg_prefilter.h).
 */
#include <stdlib.h>
#include <string.h>
#include "inspect.h"
#include "prefilter.h"

/* Rough rarity cost of a folded byte in chat text: lower is rarer. */
static int wsg_pf_commonness(unsigned char c)
{
	static const char common[] = " etaoinsrhldcumfpgwybvk";
	const char *p;

	if (c == 0)	/* a delimiter: '"', '\n', NUL or the message start */
		return 40;
	p = memchr(common, c, sizeof(common) - 1);
	if (p)
		return 60 - (int)(p - common) * 2;
	if (c >= '0' && c <= '9')
		return 20;
	if (c >= 'a' && c <= 'z')
		return 10; /* j q x z */
	if (c == '.' || c == ',' || c == '?' || c == '!' || c == '\'')
		return 40;
	return 5;
}

static int wsg_pf_cost(const char *a, size_t n)
{
	int cost = 0;

	for (size_t k = 0; k < n; k++)
		cost += wsg_pf_commonness(wsg_pf_fold(a[k]));
	return cost;
}

/* The pair a piece a[0..len) ends, whose entry the kernel reads when it completes. */
static __u32 wsg_pf_tail(const char *a, size_t len)
{
	return ((__u32)wsg_pf_fold(a[len - 2]) << 8) | wsg_pf_fold(a[len - 1]);
}

/*
 * The rarest n bytes of a[0..len) (the fewest common letters and spaces) whose last pair
 * does not end pieces of the other length (bit other of the pair entry) nor, where avoid is
 * given, pieces of plain anchors (avoid[pair]); -1 if none.
 */
static long wsg_pf_rarest(const struct wsg_pf_table *t, const __u8 *avoid, const char *a,
			  size_t len, size_t n, __u8 other)
{
	long best = -1;
	int best_cost = 1 << 30;

	for (size_t i = 0; i + n <= len; i++) {
		__u32 tail = wsg_pf_tail(a + i, n);
		int cost = wsg_pf_cost(a + i, n);

		if (!(t->pair[tail] & other) && !(avoid && avoid[tail]) && cost < best_cost) {
			best_cost = cost;
			best = (long)i;
		}
	}
	return best;
}

/* The piece an anchor is watched by: a byte, a pair, or 4 or 8 bytes through the Bloom filter. */
struct wsg_pf_piece {
	const char *a;
	size_t off;
	size_t len;		/* 1, 2, 4 or 8 */
	__u8 need;		/* the anchor's line break (WSG_PF_BRK_*), 0: plain */
};

struct wsg_pf_plan {
	struct wsg_pf_piece *p;
	size_t n, cap;
	__u8 plain[WSG_PF_PAIRS];	/* a plain anchor's piece ends at the pair */
};

static void wsg_pf_set_piece(struct wsg_pf_table *t, const struct wsg_pf_piece *p)
{
	if (p->len == 1)
		wsg_pf_set_byte(t, p->a[p->off]);
	else if (p->len == 2)
		wsg_pf_set_bigram(t, p->a[p->off], p->a[p->off + 1]);
	else
		wsg_pf_set_gram(t, p->a + p->off, p->len);
}

static void wsg_pf_plan_add(struct wsg_pf_table *t, struct wsg_pf_plan *pl, const char *a,
			    size_t off, size_t len, __u8 need)
{
	struct wsg_pf_piece *p;

	if (pl->n == pl->cap) {
		pl->cap = pl->cap ? pl->cap * 2 : 1024;
		p = realloc(pl->p, pl->cap * sizeof(*p));
		if (!p)
			abort();	/* a few KiB at start-up */
		pl->p = p;
	}
	p = &pl->p[pl->n++];
	*p = (struct wsg_pf_piece){ a, off, len, need };
	wsg_pf_set_piece(t, p);
}

/*
 * A long anchor's piece: of 4 bytes, or from 8 bytes on of 8 -- the whole window matched,
 * unless a 4-byte piece elsewhere in the anchor is rarer than any 4 bytes inside that
 * window ("$fun" of "$function", not "function"). A piece's last pair must end no piece of
 * the other length (the kernel probes one length per pair); failing all, the rarest pair.
 * -1 (*len untouched) when avoid leaves no piece.
 */
static long wsg_pf_gram_piece(const struct wsg_pf_table *t, const __u8 *avoid, const char *a,
			      size_t len, int eight, size_t *n)
{
	long i8 = eight ? wsg_pf_rarest(t, avoid, a, len, 8, WSG_PF_PAIR_TAIL4) : -1;
	long i4 = wsg_pf_rarest(t, avoid, a, len, 4, WSG_PF_PAIR_TAIL8);

	if (i8 >= 0) {
		int c8 = 1 << 30;

		for (long k = i8; k + 4 <= i8 + 8; k++)
			if (wsg_pf_cost(a + k, 4) < c8)
				c8 = wsg_pf_cost(a + k, 4);
		if (i4 < 0 || c8 <= wsg_pf_cost(a + i4, 4)) {
			*n = 8;
			return i8;
		}
	}
	if (i4 >= 0) {
		*n = 4;
		return i4;
	}
	i4 = wsg_pf_rarest(t, avoid, a, len, 2, 0);
	*n = 2;
	return i4;
}

/* A piece for anchor a in this pass (4-grams first, then 8-byte ones fit around them). */
static void wsg_pf_plan_anchor(struct wsg_pf_table *t, struct wsg_pf_plan *pl, const char *a,
			       __u8 need, int pass)
{
	size_t len = strlen(a), n = 2;
	long off;

	/* the prefilter feeds a \u escape of any non-ASCII code point as 0x80 */
	for (size_t i = 0; i < len && !pass; i++)
		if ((unsigned char)a[i] >= 0x80)
			wsg_pf_plan_add(t, pl, "\x80", 0, 1, 0);
	if (len == 1) {
		if (!pass)
			wsg_pf_plan_add(t, pl, a, 0, 1, need);
		return;
	}
	if (len >= 4) {
		if ((len >= WSG_PF_GRAM_MAX) != pass)
			return;
		off = wsg_pf_gram_piece(t, NULL, a, len, pass, &n);
	} else {
		if (pass)
			return;
		off = wsg_pf_rarest(t, NULL, a, len, 2, 0);
	}
	wsg_pf_plan_add(t, pl, a, (size_t)off, n, need);
}

static void wsg_pf_plan_list(struct wsg_pf_table *t, struct wsg_pf_plan *pl,
			     const char *const *l, const unsigned char *need, size_t n, int pass)
{
	for (size_t i = 0; i < n; i++)
		if (l[i] && l[i][0])
			wsg_pf_plan_anchor(t, pl, l[i], need ? need[i] : 0, pass);
}

/*
 * A line anchor whose piece ends where a plain one's does would trigger without its break:
 * move it to another piece of the anchor that ends at no plain piece's pair, if it has one.
 */
static void wsg_pf_replan_line(struct wsg_pf_table *t, struct wsg_pf_plan *pl,
			       struct wsg_pf_piece *p)
{
	size_t len = strlen(p->a), n = 2;
	long off;

	if (p->len == 1 || !pl->plain[wsg_pf_tail(p->a + p->off, p->len)])
		return;
	if (len >= 4)
		off = wsg_pf_gram_piece(t, pl->plain, p->a, len, len >= WSG_PF_GRAM_MAX, &n);
	else
		off = wsg_pf_rarest(t, pl->plain, p->a, len, 2, 0);
	if (off >= 0) {
		p->off = (size_t)off;
		p->len = n;
		wsg_pf_set_piece(t, p); /* the pair's length, for the pieces placed after it */
	}
}

/*
 * Build: choose every anchor's piece as if all were plain (the order and the one length per
 * pair shape the choice), move line anchors off pairs that plain pieces end, then set the
 * pieces and mark the pairs that end only line anchors' pieces with their need.
 */
void wsg_pf_build(struct wsg_pf_table *t)
{
	static struct wsg_pf_plan pl;
	static __u8 need[WSG_PF_PAIRS];
	const char *const *anchors;
	const unsigned char *an;
	size_t n;

	memset(t, 0, sizeof(*t));
	pl.n = 0;
	memset(pl.plain, 0, sizeof(pl.plain));
	memset(need, 0, sizeof(need));
	for (int pass = 0; pass < 2; pass++) {
		/* an escape of one or two bytes is its own trigger, as an anchor of that size */
		wsg_inspect_escapes(&anchors, &n);
		wsg_pf_plan_list(t, &pl, anchors, NULL, n, pass);
		wsg_inspect_anchors(&anchors, &an, &n);
		wsg_pf_plan_list(t, &pl, anchors, an, n, pass);
		wsg_inspect_triggers(&anchors, &n);
		wsg_pf_plan_list(t, &pl, anchors, NULL, n, pass);
	}
	for (size_t i = 0; i < pl.n; i++) {
		const struct wsg_pf_piece *p = &pl.p[i];

		if (p->need)
			continue;
		if (p->len == 1) {
			for (__u32 x = 0; x < 256; x++)
				pl.plain[x << 8 | wsg_pf_fold(p->a[p->off])] = 1;
		} else {
			pl.plain[wsg_pf_tail(p->a + p->off, p->len)] = 1;
		}
	}
	for (size_t i = 0; i < pl.n; i++)
		if (pl.p[i].need)
			wsg_pf_replan_line(t, &pl, &pl.p[i]);

	memset(t, 0, sizeof(*t));
	wsg_pf_set_bytes(t);
	wsg_pf_set_b64(t, WSG_PF_B64_RUN);	/* inspect.c decodes such blobs */
	wsg_pf_set_units(t);
	for (size_t i = 0; i < pl.n; i++) {
		const struct wsg_pf_piece *p = &pl.p[i];
		__u32 tail;

		wsg_pf_set_piece(t, p);
		if (!p->need || p->len == 1)
			continue;
		tail = wsg_pf_tail(p->a + p->off, p->len);
		if (!pl.plain[tail])
			need[tail] |= p->need;
	}
	/* CR and EOL needs at one pair: either break (EOL) */
	for (__u32 i = 0; i < WSG_PF_PAIRS; i++)
		if (need[i])
			t->pair[i] |= (need[i] & WSG_PF_BRK_EOL ? WSG_PF_BRK_EOL : WSG_PF_BRK_CR)
				      << WSG_PF_PAIR_NEED;
}

/*
 * The blob whose base64 run ends at p[i]: as the kernel does (wsg_scan_blob), walk back to
 * its token's start, then decode the token. 1 if the daemon could block on it; *done is
 * where the token decoded last ended (a token with several runs is decoded once).
 */
static int wsg_pf_blob(const struct wsg_pf_table *t, const unsigned char *p, size_t len,
		       size_t i, size_t *done)
{
	struct wsg_pf_blob bl = {};
	size_t start = i;

	if (i < *done)
		return 0;
	while (start > 0 && t->tok[p[start - 1]])
		start--;
	if (wsg_pf_blob_unsure(start ? p[start - 1] : 0, !start, p[start]))
		return 1;
	for (i = start; i < len && t->tok[p[i]]; i++)
		wsg_pf_blob_byte(t, &bl, p[i]);
	*done = i;
	return wsg_pf_blob_end(t, &bl, i < len ? p[i] : 0, i == len);
}

enum wsg_pf_profile wsg_pf_profile_of(enum wsg_framework fw)
{
	return fw == WSG_FW_STOMP ? WSG_PF_STOMP : fw == WSG_FW_GRAPHQL ? WSG_PF_GRAPHQL :
	       WSG_PF_GENERIC;
}

enum wsg_framework wsg_pf_profile_fw(enum wsg_pf_profile profile)
{
	return profile == WSG_PF_STOMP ? WSG_FW_STOMP : profile == WSG_PF_GRAPHQL ? WSG_FW_GRAPHQL :
	       WSG_FW_AUTO;
}

int wsg_pf_message_as(const struct wsg_pf_table *t, const unsigned char *p, size_t len,
		      int binary, enum wsg_pf_profile profile)
{
	struct wsg_pf_state s;
	size_t done = 0;

	wsg_pf_start(&s, binary, profile);

	for (size_t i = 0; i < len; i++) {
		int r = wsg_pf_feed(t, &s, p[i]);

		if (r == WSG_PF_BLOB)
			r = binary || wsg_pf_blob(t, p, len, i, &done);
		if (r)
			return 1;
	}
	return wsg_pf_end(&s);
}

int wsg_pf_message(const struct wsg_pf_table *t, const unsigned char *p, size_t len)
{
	return wsg_pf_message_as(t, p, len, 0, WSG_PF_GENERIC);
}
