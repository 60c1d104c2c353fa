// SPDX-License-Identifier: GPL-2.0-only
/*
 * Aho-Corasick anchor automaton (anchor.h): a trie of the lowercased anchors, breadth-first
 * failure links, then every missing transition filled from the failure state so the search is
 * a plain DFA walk. Output masks are merged along failure links at build time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "anchor.h"

struct wsg_ac {
	unsigned nstates;
	unsigned *out;		/* mask of anchors ending in this state (failure-closed) */
	unsigned short (*next)[256];
};

static unsigned char wsg_ac_low(unsigned char c)
{
	return c | (((unsigned char)(c - 'A') < 26) << 5);
}

void wsg_ac_free(struct wsg_ac *ac)
{
	if (!ac)
		return;
	free(ac->out);
	free(ac->next);
	free(ac);
}

static int wsg_ac_fail_links(struct wsg_ac *ac)
{
	unsigned *fail = calloc(ac->nstates, sizeof(*fail));
	unsigned *queue = calloc(ac->nstates, sizeof(*queue));
	unsigned head = 0, tail = 0;

	if (!fail || !queue) {
		free(fail);
		free(queue);
		return -ENOMEM;
	}
	/* Root: missing edges loop back to the root. */
	for (int c = 0; c < 256; c++)
		if (ac->next[0][c])
			queue[tail++] = ac->next[0][c];
	while (head < tail) {
		unsigned s = queue[head++];

		ac->out[s] |= ac->out[fail[s]];
		for (int c = 0; c < 256; c++) {
			unsigned t = ac->next[s][c];

			if (!t) {
				ac->next[s][c] = ac->next[fail[s]][c];
				continue;
			}
			fail[t] = ac->next[fail[s]][c];
			queue[tail++] = t;
		}
	}
	free(fail);
	free(queue);
	return 0;
}

struct wsg_ac *wsg_ac_build(const char *const *pats, const unsigned *masks, size_t n)
{
	struct wsg_ac *ac = calloc(1, sizeof(*ac));
	size_t cap = 1;

	if (!ac)
		return NULL;
	for (size_t i = 0; i < n; i++)
		cap += strlen(pats[i]);
	if (cap > 65535)
		goto err;
	ac->out = calloc(cap, sizeof(*ac->out));
	ac->next = calloc(cap, sizeof(*ac->next));
	if (!ac->out || !ac->next)
		goto err;
	ac->nstates = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned s = 0;

		if (!pats[i][0])
			goto err;
		for (const char *p = pats[i]; *p; p++) {
			unsigned char c = wsg_ac_low((unsigned char)*p);

			if (!ac->next[s][c])
				ac->next[s][c] = (unsigned short)ac->nstates++;
			s = ac->next[s][c];
		}
		ac->out[s] |= masks[i];
	}
	if (wsg_ac_fail_links(ac))
		goto err;
	return ac;
err:
	wsg_ac_free(ac);
	return NULL;
}

unsigned wsg_ac_feed(const struct wsg_ac *ac, unsigned *state, const char *s, size_t len)
{
	const unsigned short (*next)[256] = (const unsigned short (*)[256])ac->next;
	unsigned st = *state, mask = 0;

	for (size_t i = 0; i < len; i++) {
		st = next[st][(unsigned char)s[i]];
		mask |= ac->out[st];
	}
	*state = st;
	return mask;
}
