/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rule set. A rules file (JSON; rules/wsguard.rules.json is built into the binary, an
 * operator's file replaces it) names every rule with its class, paranoia level, description
 * and whether it is on. Detector rules are implemented by the code detectors (detect.c),
 * which bring their own anchors; signature rules bring a regular expression and the anchors
 * that gate it. This module validates a file, keeps the active set, and compiles the anchors
 * of every enabled rule into one Vectorscan literal database (the gate) and the signatures
 * into another. The kernel prefilter is built from the same anchors (wsg_rules_anchors), so
 * no rule can fire on a message the kernel fast-paths.
 *
 * Single-threaded: one scratch space serves every scan (the daemon and `scan` are).
 */
#ifndef WSG_RULES_H
#define WSG_RULES_H

#include <stdio.h>
#include <stddef.h>
#include "detect.h"

#define WSG_PARANOIA_MIN 1
#define WSG_PARANOIA_MAX 4
#define WSG_SIG_MAX 256		/* signature rules in one file */
#define WSG_ANCHOR_MAXLEN 64

struct wsg_rule {
	const char *id;
	const char *cls;
	const char *desc;
	unsigned paranoia;
	int on;			/* enabled in the file and paranoia <= the configured level */
	const char *detector;	/* detector rules: the detect.c detector implementing it */
	const char *pattern;	/* signature rules: Vectorscan expression, caseless */
	const char *const *anchors; /* signature rules: NULL-terminated gate literals */
};

/* What one normalised string gates: detectors to run, signature rules to try. */
struct wsg_gate {
	unsigned mask;		/* bit i: detector i of detect.c */
	unsigned brk;		/* the line breaks in the text: WSG_PF_BRK_CR | WSG_PF_BRK_LF */
	int any_sig;
	unsigned long long sigs[WSG_SIG_MAX / 64];
};

/*
 * Load and activate a rules file (NULL: the built-in one) at a paranoia level. Problems are
 * written to err, one line each, naming the file, the rule id and the key. Returns 0, or -1
 * with the active set unchanged.
 */
int wsg_rules_load(const char *path, unsigned paranoia, FILE *err);

/* "1".."4" into *out; 0, or -1 when s is not a level. */
int wsg_paranoia_parse(const char *s, unsigned *out);

/* Validate only; returns the number of errors written to err (a summary goes to out). */
int wsg_rules_check(const char *path, FILE *out, FILE *err);

/* The built-in rules file, NUL-terminated. */
extern const char wsg_rules_builtin[];

/* The active set, loading the built-in one at paranoia 1 on first use. NULL: no memory. */
const struct wsg_rule *wsg_rules(size_t *n);

/* Where the active set came from ("(built-in rules)" or a path), its level, rules on. */
void wsg_rules_info(const char **file, unsigned *paranoia, size_t *on);

/* The active rule with this id, or NULL. */
const struct wsg_rule *wsg_rule_find(const char *id);

/*
 * The anchors of every enabled rule (detector anchors of detectors with an enabled rule,
 * signature anchors of enabled signatures): the prefilter's input. need (may be NULL) gets
 * per anchor the line break it needs in the same string (WSG_PF_BRK_*, 0: none).
 */
void wsg_rules_anchors(const char *const **anchors, const unsigned char **need, size_t *n);

/*
 * Fill g for text s, with the JSON quotes around it when quoted is WSG_QUOTED, a leading
 * quote alone when WSG_QUOTE_LEAD (a value the raw message starts with or a line break
 * precedes: the kernel prefilter folds both like a quote, include/wsg_prefilter.h).
 */
enum { WSG_UNQUOTED, WSG_QUOTED, WSG_QUOTE_LEAD };
void wsg_rules_gate(const char *s, size_t len, int quoted, struct wsg_gate *g);

/* Run the signature rules g gates over t; 1 and *h filled on a match. */
int wsg_rules_sig(const struct wsg_gate *g, const struct wsg_text *t, struct wsg_hit *h);

void wsg_rules_free(void);

#endif /* WSG_RULES_H */
