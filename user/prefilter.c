// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prefilter table construction. One-byte anchors become byte triggers, two- and three-byte
 * ones their rarest bigram, those of four to seven bytes their rarest 4-gram, longer ones
 * their rarest 8 bytes, matched exactly (up to Bloom collisions): "subscription" no longer
 * looks like "subscribe". The table stays sound: an anchor in the raw bytes always shows
 * its piece. A \u escape needs no trigger: the prefilter decodes it (wsg_pf_feed).
 */
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

/*
 * The rarest n bytes of a[0..len) (the fewest common letters and spaces) whose last pair
 * does not end pieces of the other length (bit other of the pair entry); -1 if none.
 */
static long wsg_pf_rarest(const struct wsg_pf_table *t, const char *a, size_t len, size_t n,
			  __u8 other)
{
	long best = -1;
	int best_cost = 1 << 30;

	for (size_t i = 0; i + n <= len; i++) {
		__u32 tail = ((__u32)wsg_pf_fold(a[i + n - 2]) << 8) | wsg_pf_fold(a[i + n - 1]);
		int cost = wsg_pf_cost(a + i, n);


		if (!(t->pair[tail] & other) && cost < best_cost) {
			best_cost = cost;
			best = (long)i;
		}
	}
	return best;
}

/*
 * A long anchor's piece: of 4 bytes, or from 8 bytes on of 8 -- the whole window matched,
 * unless a 4-byte piece elsewhere in the anchor is rarer than any 4 bytes inside that
 * window ("$fun" of "$function", not "function"). A piece's last pair must end no piece of
 * the other length (the kernel probes one length per pair); failing all, the rarest pair.
 */
static void wsg_pf_add_gram(struct wsg_pf_table *t, const char *a, size_t len, int eight)
{
	long i8 = eight ? wsg_pf_rarest(t, a, len, 8, WSG_PF_PAIR_TAIL4) : -1;
	long i4 = wsg_pf_rarest(t, a, len, 4, WSG_PF_PAIR_TAIL8);

	if (i8 >= 0) {
		int c8 = 1 << 30;

		for (long k = i8; k + 4 <= i8 + 8; k++)
			if (wsg_pf_cost(a + k, 4) < c8)
				c8 = wsg_pf_cost(a + k, 4);
		if (i4 < 0 || c8 <= wsg_pf_cost(a + i4, 4)) {
			wsg_pf_set_gram(t, a + i8, 8);
			return;
		}
	}
	if (i4 >= 0) {
		wsg_pf_set_gram(t, a + i4, 4);
		return;
	}
	i4 = wsg_pf_rarest(t, a, len, 2, 0);
	wsg_pf_set_bigram(t, a[i4], a[i4 + 1]);
}

static void wsg_pf_add_anchor(struct wsg_pf_table *t, const char *a, int pass)
{
	size_t len = strlen(a), best;

	/* the prefilter feeds a \u escape of any non-ASCII code point as 0x80 */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)a[i] >= 0x80)
			wsg_pf_set_byte(t, 0x80);

	if (len == 1) {
		if (!pass)
			wsg_pf_set_byte(t, a[0]);
		return;
	}
	if (len >= 4) {
		/* 4-byte pieces first (pass 0), then 8-byte ones fit around them (pass 1) */
		if ((len >= WSG_PF_GRAM_MAX) == pass)
			wsg_pf_add_gram(t, a, len, pass);
		return;
	}
	if (pass)
		return;
	best = (size_t)wsg_pf_rarest(t, a, len, 2, 0);
	wsg_pf_set_bigram(t, a[best], a[best + 1]);
}

void wsg_pf_build(struct wsg_pf_table *t)
{
	const char *const *anchors;
	size_t n;

	memset(t, 0, sizeof(*t));
	wsg_pf_set_bytes(t);
	wsg_pf_set_b64(t, WSG_PF_B64_RUN);	/* inspect.c decodes such blobs */
	wsg_pf_set_units(t);
	for (int pass = 0; pass < 2; pass++) {
		/* an escape of one or two bytes is its own trigger, as an anchor of that size */
		wsg_inspect_escapes(&anchors, &n);
		for (size_t i = 0; i < n; i++)
			wsg_pf_add_anchor(t, anchors[i], pass);
		wsg_inspect_anchors(&anchors, &n);
		for (size_t i = 0; i < n; i++)
			if (anchors[i] && anchors[i][0])
				wsg_pf_add_anchor(t, anchors[i], pass);
		wsg_inspect_triggers(&anchors, &n);
		for (size_t i = 0; i < n; i++)
			wsg_pf_add_anchor(t, anchors[i], pass);
	}
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

int wsg_pf_message_op(const struct wsg_pf_table *t, const unsigned char *p, size_t len,
		      int binary)
{
	struct wsg_pf_state s = { .bin = !!binary };
	size_t done = 0;

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
	return wsg_pf_message_op(t, p, len, 0);
}
