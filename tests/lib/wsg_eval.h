/* SPDX-License-Identifier: GPL-2.0-only */
/* Finds the evaluation corpora (../shared/eval) for the tests that measure against them. */
#ifndef WSG_EVAL_H
#define WSG_EVAL_H

/* Set by wsg_find_eval(): the directory holding attacks-dev.jsonl. */
extern char wsg_eval_dir[4096];

/*
 * Try $WSG_EVAL_DIR, ../shared/eval from the working directory, and <repo>/../shared/eval
 * beside the test binary (where CI puts it). 1 when found, 0 otherwise.
 */
int wsg_find_eval(void);

#endif /* WSG_EVAL_H */
