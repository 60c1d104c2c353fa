// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prefilter table construction. One-byte anchors become byte triggers, two- and three-byte
 * ones their rarest bigram, longer ones their rarest 4-gram: the table stays sound (an
 * anchor in the raw bytes always shows the chosen piece) while common text rarely triggers.
 * Rarity is measured: prefilter_freq.h holds byte and pair counts of ordinary English.
 */
#include <string.h>
#include "inspect.h"
#include "prefilter.h"
#include "prefilter_freq.h"

/* Log-count of the folded byte c, or of the folded pair (a, b); 0 outside printable ASCII. */
static int wsg_pf_freq(__u8 c)
{
	c = wsg_pf_fold(c) - WSG_PF_FREQ_FIRST;
	return c < WSG_PF_FREQ_SYMS ? wsg_pf_freq1[c] : 0;
}

static int wsg_pf_freq_pair(__u8 a, __u8 b)
{
	a = wsg_pf_fold(a) - WSG_PF_FREQ_FIRST;
	b = wsg_pf_fold(b) - WSG_PF_FREQ_FIRST;
	return a < WSG_PF_FREQ_SYMS && b < WSG_PF_FREQ_SYMS ? wsg_pf_freq2[a][b] : 0;
}

/* Rank of the folded 4-gram g among the measured most common ones, or -1 when it is not one. */
static int wsg_pf_common_rank(const char *g)
{
	char f[4];

	for (int k = 0; k < 4; k++)
		f[k] = wsg_pf_fold(g[k]);
	for (int r = 0; r < WSG_PF_COMMON4; r++)
		if (!memcmp(wsg_pf_common4 + 4 * r, f, 4))
			return r;
	return -1;
}

/*
 * How common the n-byte piece g (n 2 or 4) is in ordinary English; only pieces of one size
 * compare. A 4-gram among the measured most common ones scores above every other, by rank;
 * the others, and bigrams, by their log-frequency estimated from pair counts as a Markov
 * chain: count(g0 g1) times count(gk gk+1) / count(gk) for every later pair.
 */
static int wsg_pf_score(const char *g, size_t n)
{
	int f = wsg_pf_freq_pair(g[0], g[1]), r = n == 4 ? wsg_pf_common_rank(g) : -1;

	if (r >= 0)
		return (1 << 20) - r;
	for (size_t k = 1; k + 1 < n; k++)
		f += wsg_pf_freq_pair(g[k], g[k + 1]) - wsg_pf_freq(g[k]);
	return f;
}

/* Offset of the rarest n-byte piece (n 2 or 4) of the anchor a[0..len - 1], the first of equals. */
size_t wsg_pf_rarest(const char *a, size_t len, size_t n)
{
	size_t best = 0;
	int best_f = 1 << 30;

	for (size_t i = 0; i + n <= len; i++) {
		int f = wsg_pf_score(a + i, n);

		if (f < best_f) {
			best_f = f;
			best = i;
		}
	}
	return best;
}

/* The size of the trigger an anchor of len bytes gets: a byte, a bigram or a 4-gram. */
static size_t wsg_pf_piece(size_t len)
{
	return len >= 4 ? 4 : len >= 2 ? 2 : 1;
}

static void wsg_pf_add_anchor(struct wsg_pf_table *t, const char *a)
{
	size_t len = strlen(a), i;

	if (len == 1) {
		wsg_pf_set_byte(t, a[0]);
		return;
	}
	/*
	 * An anchor that already shows a trigger needs none of its own. It shows it wherever it
	 * occurs: no trigger here depends on the message start (every pair set is two anchor
	 * bytes, never NUL, or a whole column) and a 4-gram hit depends on its four bytes only.
	 */
	if (wsg_pf_message(t, (const unsigned char *)a, len))
		return;
	i = wsg_pf_rarest(a, len, wsg_pf_piece(len));
	if (len >= 4)
		wsg_pf_set_gram4(t, a + i);
	else
		wsg_pf_set_bigram(t, a[i], a[i + 1]);
}

void wsg_pf_build(struct wsg_pf_table *t)
{
	const char *const *anchors, *const *escapes;
	size_t n, nesc;

	memset(t, 0, sizeof(*t));
	wsg_inspect_escapes(&escapes, &nesc);
	wsg_inspect_anchors(&anchors, &n);
	/*
	 * Bytes first, then bigrams, then 4-grams, so a longer anchor can reuse a shorter one's
	 * trigger. An escape of one or two bytes is its own trigger, exactly as an anchor.
	 */
	for (size_t piece = 1; piece <= 4; piece *= 2) {
		for (size_t i = 0; i < nesc; i++)
			if (wsg_pf_piece(strlen(escapes[i])) == piece)
				wsg_pf_add_anchor(t, escapes[i]);
		for (size_t i = 0; i < n; i++)
			if (anchors[i] && anchors[i][0] &&
			    wsg_pf_piece(strlen(anchors[i])) == piece)
				wsg_pf_add_anchor(t, anchors[i]);
	}
}

int wsg_pf_message(const struct wsg_pf_table *t, const unsigned char *p, size_t len)
{
	struct wsg_pf_state s = {};

	for (size_t i = 0; i < len; i++)
		if (wsg_pf_byte(t, &s, p[i]))
			return 1;
	return 0;
}
