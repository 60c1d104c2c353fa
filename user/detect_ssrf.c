// SPDX-License-Identifier: GPL-2.0-only
/*
 * Detector: RFI and SSRF: remote includes, internal and metadata addresses, dangerous URL schemes.
 * It sees one normalised, lowercased string and runs only when one of its anchors occurs in
 * it (see detect.h).
 */
#include "detect.h"

const char *const wsg_ssrf_anchors[] = {
	NULL,
};

int wsg_detect_ssrf(const struct wsg_text *t, struct wsg_hit *h)
{
	return 0;
}
