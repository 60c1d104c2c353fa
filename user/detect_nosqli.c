// SPDX-License-Identifier: GPL-2.0-only
/*
 * Detector: NoSQL injection (operator objects, $where) and prototype pollution.
 * It sees one normalised, lowercased string and runs only when one of its anchors occurs in
 * it (see detect.h).
 */
#include "detect.h"

const char *const wsg_nosqli_anchors[] = {
	NULL,
};

int wsg_detect_nosqli(const struct wsg_text *t, struct wsg_hit *h)
{
	return 0;
}
