// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the prefilter's soundness: any message the daemon blocks, under any
 * framework, as a text or a binary message, must not be fast-pathed by the kernel
 * prefilter, the same code compiled here (include/wsg_prefilter.h with user/prefilter.c's
 * walk over base64 blobs).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "inspect.h"
#include "prefilter.h"

/* The kernel does not know the framework a connection's handshake chose: any may judge. */
static const enum wsg_framework wsg_fuzz_fws[] = {
	WSG_FW_AUTO, WSG_FW_SOCKETIO, WSG_FW_JSON, WSG_FW_TEXT, WSG_FW_SIGNALR, WSG_FW_STOMP,
	WSG_FW_GRAPHQL, WSG_FW_JSONRPC,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wsg_pf_table pf;
	static int ready;
	char *msg = malloc(size ? size : 1);

	if (!ready) {
		ready = wsg_inspect_init() == 0;
		wsg_pf_build(&pf);
	}
	if (!msg)
		return 0;
	memcpy(msg, data, size);
	/* blocked, so never fast-pathed: as a text and as a binary message */
	for (size_t i = 0; i < sizeof(wsg_fuzz_fws) / sizeof(wsg_fuzz_fws[0]); i++) {
		for (int is_text = 0; is_text < 2; is_text++) {
			struct wsg_finding f = {};

			if (wsg_inspect(wsg_fuzz_fws[i], is_text, msg, size, &f))
				assert(wsg_pf_message_op(&pf, data, size, !is_text));
		}
	}
	free(msg);
	return 0;
}
