/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the detector unit tests: run one detector without the anchor gate, and fail the
 * test when it fires on a string none of its anchors gates (the soundness contract).
 */
#ifndef WSG_DETECT_CHECK_H
#define WSG_DETECT_CHECK_H

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "rules.h"
#include "wsg_test.h"

typedef int (*wsg_detect_fn)(const struct wsg_text *t, struct wsg_hit *h);

/* ASCII case-insensitive substring test, as the anchor automaton matches. */
static inline int wsg_has_ci(const char *s, size_t n, const char *a)
{
	size_t m = strlen(a);

	for (size_t i = 0; i + m <= n; i++) {
		size_t k = 0;

		while (k < m && tolower((unsigned char)s[i + k]) == tolower((unsigned char)a[k]))
			k++;
		if (k == m)
			return 1;
	}
	return 0;
}

/*
 * An anchor of the detector fn in the text (with its JSON quotes when quoted): a plain
 * anchor, or a line anchor with its break (detect.h).
 */
static inline int wsg_check_anchored(wsg_detect_fn fn, const char *s, int quoted)
{
	const struct wsg_detector *d;
	char buf[1024];
	size_t nd, n;
	int cr = strchr(s, '\r') != NULL, eol = cr || strchr(s, '\n');

	if (strlen(s) + 3 > sizeof(buf))
		return 0;
	n = (size_t)snprintf(buf, sizeof(buf), quoted ? "\"%s\"" : "%s", s);
	d = wsg_detectors(&nd);
	for (size_t k = 0; k < nd; k++) {
		if (d[k].fn != fn)
			continue;
		for (size_t i = 0; d[k].anchors[i]; i++)
			if (wsg_has_ci(buf, n, d[k].anchors[i]))
				return 1;
		for (size_t i = 0; cr && d[k].cr_anchors && d[k].cr_anchors[i]; i++)
			if (wsg_has_ci(buf, n, d[k].cr_anchors[i]))
				return 1;
		for (size_t i = 0; eol && d[k].eol_anchors && d[k].eol_anchors[i]; i++)
			if (wsg_has_ci(buf, n, d[k].eol_anchors[i]))
				return 1;
	}
	return 0;
}

/* The rule id the detector fires on normalised s, or NULL; an ungated firing fails. */
static inline const char *wsg_run(wsg_detect_fn fn, const char *s, int quoted)
{
	struct wsg_text t = { .s = s, .len = strlen(s), .quoted = quoted };
	struct wsg_hit h = {};

	if (!fn(&t, &h))
		return NULL;
	CHECK(wsg_check_anchored(fn, s, quoted), "\"%s\" fired %s without an anchor", s,
	      h.rule->id);
	CHECK(h.off < t.len || t.len == 0, "\"%s\": offset %zu out of range", s, h.off);
	return h.rule->id;
}

#endif /* WSG_DETECT_CHECK_H */
