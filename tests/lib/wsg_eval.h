/* SPDX-License-Identifier: GPL-2.0-only */
/* The evaluation corpora (../shared/eval) for the tests that measure against them: where they
 * are, their payloads, and the JSON escaping the tests wrap payloads with. */
#ifndef WSG_EVAL_H
#define WSG_EVAL_H

#include <stddef.h>
#include "inspect.h"

/* Set by wsg_find_eval(): the directory holding attacks-dev.jsonl. */
extern char wsg_eval_dir[4096];

/*
 * Try $WSG_EVAL_DIR, ../shared/eval from the working directory, and <repo>/../shared/eval
 * beside the test binary (where CI puts it). 1 when found, 0 otherwise.
 */
int wsg_find_eval(void);

/* The payload of a corpus line into a malloc'd *s, NULs included (cJSON stops at \u0000). */
int wsg_eval_payload(const char *line, char **s, size_t *len);

struct cJSON;

/* One corpus line as wsg_eval_each hands it over (valid during the call only). */
struct wsg_eval_line {
	const struct cJSON *doc;	/* the whole record */
	const char *id;
	const char *s;			/* the payload, NULs included */
	size_t len;
	int irc;			/* benign real chat (source irc...) */
};

/*
 * fn for every line of file (in wsg_eval_dir) in order; *lines counts them. Returns the
 * malformed lines, a missing file counting as one.
 */
unsigned wsg_eval_each(const char *file, void (*fn)(void *ctx, const struct wsg_eval_line *l),
		       void *ctx, unsigned *lines);

/*
 * p[0..n) as the body of a JSON string into out (6 * n bytes): JSON.stringify's escaping, or
 * with all every non-alphanumeric ASCII byte as \uXXXX. Returns the bytes written.
 */
size_t wsg_eval_json_str(char *out, const char *p, size_t n, int all);

/* How a client carries a payload: the envelopes of shared/eval/README.md. */
enum wsg_wrap_env {
	WSG_WRAP_SIO, WSG_WRAP_JSON, WSG_WRAP_GQL, WSG_WRAP_STOMP, WSG_WRAP_ESC, WSG_WRAP_TEXT,
	WSG_WRAP_COUNT
};

extern const char *const wsg_wrap_names[WSG_WRAP_COUNT];

/* Payload p[0..n) in envelope e, as the client would send it; malloc'd, caller frees. */
char *wsg_wrap(enum wsg_wrap_env e, const char *p, size_t n, size_t *out_len);

/* The framework a client of envelope e offers in its handshake (STOMP, GraphQL), else AUTO. */
enum wsg_framework wsg_wrap_fw(enum wsg_wrap_env e);

#endif /* WSG_EVAL_H */
