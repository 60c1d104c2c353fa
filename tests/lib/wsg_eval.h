/* SPDX-License-Identifier: GPL-2.0-only */
/* The evaluation corpora (../shared/eval) for the tests that measure against them: where they
 * are, their payloads, and the JSON escaping the tests wrap payloads with. */
#ifndef WSG_EVAL_H
#define WSG_EVAL_H

#include <stddef.h>

/* Set by wsg_find_eval(): the directory holding attacks-dev.jsonl. */
extern char wsg_eval_dir[4096];

/*
 * Try $WSG_EVAL_DIR, ../shared/eval from the working directory, and <repo>/../shared/eval
 * beside the test binary (where CI puts it). 1 when found, 0 otherwise.
 */
int wsg_find_eval(void);

/* The payload of a corpus line into a malloc'd *s, NULs included (cJSON stops at \u0000). */
int wsg_eval_payload(const char *line, char **s, size_t *len);

/*
 * p[0..n) as the body of a JSON string into out (6 * n bytes): JSON.stringify's escaping, or
 * with all every non-alphanumeric ASCII byte as \uXXXX. Returns the bytes written.
 */
size_t wsg_eval_json_str(char *out, const char *p, size_t n, int all);

#endif /* WSG_EVAL_H */
