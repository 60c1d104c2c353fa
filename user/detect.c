// SPDX-License-Identifier: GPL-2.0-only
/*
 * The anchor table and detector dispatch. Anchors are gate literals, not signatures: a
 * detector runs on a string only if one of its anchors occurs in it, so each anchor is chosen
 * to be rare in chat (its rarest bigram is what the kernel prefilter watches) while nearly
 * every attack of its classes contains one. Keep this table and the detectors in step: a
 * detector must never be able to fire on a string that holds none of its anchors.
 */
#include "detect.h"

#include <stdlib.h>
#include <string.h>

/* The registry: a detector's index is its bit in anchor masks. */
static const struct wsg_detector wsg_detectors[] = {
	{ "xss", wsg_detect_xss, wsg_xss_anchors },
	{ "sqli", wsg_detect_sqli, wsg_sqli_anchors },
	{ "cmdi", wsg_detect_cmdi, wsg_cmdi_anchors },
	{ "lfi", wsg_detect_lfi, wsg_lfi_anchors },
	{ "ssrf", wsg_detect_ssrf, wsg_ssrf_anchors },
	{ "code", wsg_detect_code, wsg_code_anchors },
	{ "ssti", wsg_detect_ssti, wsg_ssti_anchors },
	{ "nosqli", wsg_detect_nosqli, wsg_nosqli_anchors },
	{ "misc", wsg_detect_misc, wsg_misc_anchors },
};

#define WSG_NDETECTORS (sizeof(wsg_detectors) / sizeof(wsg_detectors[0]))
_Static_assert(WSG_NDETECTORS <= 32, "anchor masks are 32 bits");

/* All anchors, one entry per (detector, pattern); the automaton merges duplicates. */
const struct wsg_anchor *wsg_detect_anchors(size_t *n)
{
	static struct wsg_anchor *all;
	static size_t count;

	if (!all) {
		size_t total = 0, k = 0;

		for (size_t d = 0; d < WSG_NDETECTORS; d++)
			for (size_t i = 0; wsg_detectors[d].anchors[i]; i++)
				total++;
		all = calloc(total, sizeof(*all));
		if (!all) {
			*n = 0;
			return NULL;
		}
		for (size_t d = 0; d < WSG_NDETECTORS; d++)
			for (size_t i = 0; wsg_detectors[d].anchors[i]; i++)
				all[k++] = (struct wsg_anchor){ wsg_detectors[d].anchors[i], 1u << d };
		count = total;
	}
	*n = count;
	return all;
}

int wsg_detect(unsigned mask, const struct wsg_text *t, struct wsg_hit *h)
{
	for (size_t d = 0; d < WSG_NDETECTORS; d++)
		if ((mask & (1u << d)) && wsg_detectors[d].fn(t, h))
			return 1;
	return 0;
}
