// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for message inspection: arbitrary bytes through wsg_inspect() under every
 * framework, as a text and as a binary message, and through the framework guess. Every
 * decoder (Socket.IO, SignalR JSON and MessagePack records, STOMP frames, GraphQL literals,
 * JSON, MessagePack) must stay within its bounds: no crash, no sanitizer report, and a block
 * always names a rule, a class and a path. And the kernel prefilter's soundness: a message
 * blocked under any framework, as a text or a binary message, is one the prefilter (the
 * same code, include/wsg_prefilter.h with user/prefilter.c) holds, with the generic
 * profile and with the profile of that framework's connections (wsg_pf_profile_of), STOMP's
 * also for a guess (the daemon adopting a connection takes its framework from the profile).
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "inspect.h"
#include "prefilter.h"

static const enum wsg_framework wsg_fuzz_fws[] = {
	WSG_FW_AUTO, WSG_FW_SOCKETIO, WSG_FW_JSON, WSG_FW_TEXT, WSG_FW_SIGNALR, WSG_FW_STOMP,
	WSG_FW_GRAPHQL, WSG_FW_JSONRPC,
};

static void wsg_fuzz_explain(void *ctx, const char *path, const char *s, size_t len,
			     const char *norm, size_t nlen)
{
	assert(path && s && norm && nlen <= len);
	(void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wsg_pf_table pf;
	static int ready;
	/* an exact-size heap copy: ASan sees any read past the message */
	char *msg = malloc(size ? size : 1);

	if (!ready) {
		ready = wsg_inspect_init() == 0;
		wsg_pf_build(&pf);
	}
	if (!msg)
		return 0;
	memcpy(msg, data, size);
	for (size_t i = 0; i < sizeof(wsg_fuzz_fws) / sizeof(wsg_fuzz_fws[0]); i++) {
		for (int is_text = 0; is_text < 2; is_text++) {
			struct wsg_finding f = {};

			if (!wsg_inspect(wsg_fuzz_fws[i], is_text, msg, size, &f))
				continue;
			assert(f.rule && f.cls && f.desc && memchr(f.where, 0, sizeof(f.where)));
			/* never fast-pathed */
			assert(wsg_pf_message_as(&pf, data, size, !is_text, WSG_PF_GENERIC));
			if (wsg_fuzz_fws[i] == WSG_FW_STOMP || wsg_fuzz_fws[i] == WSG_FW_AUTO)
				assert(wsg_pf_message_as(&pf, data, size, !is_text, WSG_PF_STOMP));
			if (wsg_fuzz_fws[i] == WSG_FW_GRAPHQL)
				assert(wsg_pf_message_as(&pf, data, size, !is_text, WSG_PF_GRAPHQL));
		}
	}
	{
		struct wsg_finding f = {};

		wsg_inspect_explain(WSG_FW_AUTO, size && (data[0] & 1), msg, size, &f,
				    wsg_fuzz_explain, NULL);
		assert(wsg_fw_guess(1, msg, size) != WSG_FW_AUTO);
		assert(wsg_fw_guess(0, msg, size) != WSG_FW_AUTO);
	}
	free(msg);
	return 0;
}
