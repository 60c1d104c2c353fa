// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the prefilter's soundness: any message the daemon blocks (framework
 * guessed, as text) must not be fast-pathed by the kernel prefilter, the same code compiled
 * here (include/wsg_prefilter.h with user/prefilter.c's walk over base64 blobs).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "inspect.h"
#include "prefilter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wsg_pf_table pf;
	static int ready;
	struct wsg_finding f = {};
	char *msg = malloc(size ? size : 1);

	if (!ready) {
		ready = wsg_inspect_init() == 0;
		wsg_pf_build(&pf);
	}
	if (!msg)
		return 0;
	memcpy(msg, data, size);
	/* blocked, so never fast-pathed: as a text and as a binary message */
	if (wsg_inspect(WSG_FW_AUTO, 1, msg, size, &f))
		assert(wsg_pf_message_op(&pf, data, size, 0));
	if (wsg_inspect(WSG_FW_AUTO, 0, msg, size, &f))
		assert(wsg_pf_message_op(&pf, data, size, 1));
	free(msg);
	return 0;
}
