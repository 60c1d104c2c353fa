// SPDX-License-Identifier: GPL-2.0-only
/*
 * The detector registry and dispatch. Anchors are gate literals, not signatures: a detector
 * runs on a string only if one of its anchors occurs in it, so each anchor is chosen to be
 * rare in chat (its rarest bigram is what the kernel prefilter watches) while nearly every
 * attack of its classes contains one. Keep anchors and detectors in step: a detector must
 * never be able to fire on a string that holds none of its anchors.
 */
#include "detect.h"

/* The registry: a detector's index is its bit in gate masks. */
static const struct wsg_detector wsg_registry[] = {
	{ "xss", wsg_detect_xss, wsg_xss_anchors, wsg_xss_rules, NULL, NULL },
	{ "sqli", wsg_detect_sqli, wsg_sqli_anchors, wsg_sqli_rules, NULL, NULL },
	{ "cmdi", wsg_detect_cmdi, wsg_cmdi_anchors, wsg_cmdi_rules, wsg_cmdi_cr_anchors, NULL },
	{ "lfi", wsg_detect_lfi, wsg_lfi_anchors, wsg_lfi_rules, NULL, NULL },
	{ "ssrf", wsg_detect_ssrf, wsg_ssrf_anchors, wsg_ssrf_rules, NULL, NULL },
	{ "code", wsg_detect_code, wsg_code_anchors, wsg_code_rules, NULL, NULL },
	{ "ssti", wsg_detect_ssti, wsg_ssti_anchors, wsg_ssti_rules, NULL, NULL },
	{ "nosqli", wsg_detect_nosqli, wsg_nosqli_anchors, wsg_nosqli_rules, NULL, NULL },
	{ "misc", wsg_detect_misc, wsg_misc_anchors, wsg_misc_rules, NULL, wsg_misc_eol_anchors },
};

#define WSG_NDETECTORS (sizeof(wsg_registry) / sizeof(wsg_registry[0]))
_Static_assert(WSG_NDETECTORS <= 32, "gate masks are 32 bits");

const struct wsg_detector *wsg_detectors(size_t *n)
{
	*n = WSG_NDETECTORS;
	return wsg_registry;
}

int wsg_detect(unsigned mask, const struct wsg_text *t, struct wsg_hit *h)
{
	for (size_t d = 0; d < WSG_NDETECTORS; d++)
		if ((mask & (1u << d)) && wsg_registry[d].fn(t, h))
			return 1;
	return 0;
}
