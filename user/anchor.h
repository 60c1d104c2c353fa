/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multi-pattern anchor search: an Aho-Corasick automaton over lowercased text, compiled to a
 * dense DFA, that returns the OR of the detector masks of every anchor present. One table
 * lookup per byte; built once, read-only afterwards.
 */
#ifndef WSG_ANCHOR_H
#define WSG_ANCHOR_H

#include <stddef.h>

struct wsg_ac;

/* pats[i] (ASCII, matched case-insensitively) carries masks[i]. NULL on failure. */
struct wsg_ac *wsg_ac_build(const char *const *pats, const unsigned *masks, size_t n);
void wsg_ac_free(struct wsg_ac *ac);

/* Streaming use: start at state 0; feed lowercased bytes; mask accumulates hits. */
unsigned wsg_ac_feed(const struct wsg_ac *ac, unsigned *state, const char *s, size_t len);

#endif /* WSG_ANCHOR_H */
