// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prefilter table construction. One-byte anchors become byte triggers, two- and three-byte
 * ones their rarest bigram, longer ones their rarest 4-gram: the table stays sound (an
 * anchor in the raw bytes always shows the chosen piece) while common text rarely triggers.
 * A \u escape needs no trigger: the prefilter decodes it (wsg_pf_feed).
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

/* The rarest 4-gram of a long anchor: the fewest common letters and spaces. */
static void wsg_pf_add_gram4(struct wsg_pf_table *t, const char *a, size_t len)
{
	size_t best = 0;
	int best_cost = 1 << 30;

	for (size_t i = 0; i + 4 <= len; i++) {
		int cost = 0;

		for (size_t k = 0; k < 4; k++)
			cost += wsg_pf_commonness(wsg_pf_fold(a[i + k]));
		if (cost < best_cost) {
			best_cost = cost;
			best = i;
		}
	}
	wsg_pf_set_gram4(t, a + best);
}

static void wsg_pf_add_anchor(struct wsg_pf_table *t, const char *a)
{
	size_t len = strlen(a), best = 0;
	int best_cost = 1 << 30;

	/* the prefilter feeds a \u escape of any non-ASCII code point as 0x80 */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)a[i] >= 0x80)
			wsg_pf_set_byte(t, 0x80);

	if (len == 1) {
		wsg_pf_set_byte(t, a[0]);
		return;
	}
	if (len >= 4) {
		wsg_pf_add_gram4(t, a, len);
		return;
	}
	for (size_t i = 0; i + 1 < len; i++) {
		int cost = wsg_pf_commonness(wsg_pf_fold(a[i])) +
			   wsg_pf_commonness(wsg_pf_fold(a[i + 1]));

		if (cost < best_cost) {
			best_cost = cost;
			best = i;
		}
	}
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
	/* an escape of one or two bytes is its own trigger, exactly as an anchor of that size */
	wsg_inspect_escapes(&anchors, &n);
	for (size_t i = 0; i < n; i++)
		wsg_pf_add_anchor(t, anchors[i]);
	wsg_inspect_anchors(&anchors, &n);
	for (size_t i = 0; i < n; i++)
		if (anchors[i] && anchors[i][0])
			wsg_pf_add_anchor(t, anchors[i]);
	wsg_inspect_triggers(&anchors, &n);
	for (size_t i = 0; i < n; i++)
		wsg_pf_add_anchor(t, anchors[i]);
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
