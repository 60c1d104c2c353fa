// SPDX-License-Identifier: GPL-2.0-only
/*
 * wsg_rules_*() (rules.h): parse and validate a rules file with cJSON, resolve its detector
 * rules against the code detectors (detect.c), compile the gate (every anchor of an enabled
 * rule, one Vectorscan literal database) and the signatures (one Vectorscan expression
 * database), and keep the active set. The built-in rules file is linked into the binary.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <hs/hs.h>
#include <cjson/cJSON.h>
#include "rules.h"
#include "wsg_prefilter.h"

#ifndef WSG_RULES_BUILTIN
#define WSG_RULES_BUILTIN "rules/wsguard.rules.json"
#endif

/* The built-in file, NUL-terminated (Makefile: rules.o depends on it). */
__asm__(".pushsection .rodata\n"
	".globl wsg_rules_builtin\n"
	"wsg_rules_builtin:\n"
	".incbin \"" WSG_RULES_BUILTIN "\"\n"
	".byte 0\n"
	".popsection\n");

#define WSG_RULES_FILE_MAX (4u << 20)
#define WSG_RULE_ID_MAX 32
#define WSG_RULE_DESC_MAX 200
#define WSG_PATTERN_MAX 1024
#define WSG_SIG_ANCHORS_MAX 64
#define WSG_SIG_FLAGS (HS_FLAG_CASELESS | HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH)

static const char *const wsg_classes[] = {
	"xss", "sqli", "rce", "lfi", "rfi", "ssrf", "ssti", "nosqli", "prototype_pollution",
	"nodejs", "php", "java", "ldapi", "xxe", "ssi", "crlf", "session_fixation",
	"protocol_attack", "generic", NULL,
};

static const char *const wsg_rule_keys[] = {
	"id", "class", "paranoia", "description", "enabled", "detector", "pattern", "anchors", NULL,
};

struct wsg_ruleset {
	char file[256];			/* where it was loaded from */
	unsigned paranoia;
	cJSON *root;			/* owns every string the rules point to */
	struct wsg_rule *rules;
	size_t n;
	unsigned det_on;		/* detectors with an enabled rule */
	const struct wsg_rule **sig;	/* enabled signature rules; index = expression id */
	size_t nsig;
	const char **lit;		/* gate literals */
	unsigned *lit_mask;		/* per literal: detectors it gates */
	int *lit_sig;			/* per literal: signature it gates, or -1 */
	unsigned char *lit_need;	/* per literal: the line break it needs, WSG_PF_BRK_* */
	size_t nlit;
	hs_database_t *gate;
	hs_database_t *sigdb;		/* NULL without enabled signatures */
	unsigned *hash;			/* open addressing: rule index + 1, 0 empty */
	size_t hcap;
};

/* Where errors go and how many there were. */
struct wsg_rctx {
	const char *file;
	FILE *err;
	int nerr;
};

static struct wsg_ruleset *wsg_active;
static hs_scratch_t *wsg_scratch;

/* A problem of the file as a whole. */
static void wsg_ferr(struct wsg_rctx *x, const char *fmt, ...)
{
	va_list ap;

	x->nerr++;
	if (!x->err)
		return;
	fprintf(x->err, "%s: ", x->file);
	va_start(ap, fmt);
	vfprintf(x->err, fmt, ap);
	va_end(ap);
	fputc('\n', x->err);
}

static void wsg_rerr(struct wsg_rctx *x, size_t idx, const char *id, const char *key,
		     const char *fmt, ...)
{
	va_list ap;

	x->nerr++;
	if (!x->err)
		return;
	if (id)
		fprintf(x->err, "%s: rule \"%s\"", x->file, id);
	else
		fprintf(x->err, "%s: rules[%zu]", x->file, idx);
	if (key)
		fprintf(x->err, ": %s", key);
	fputs(": ", x->err);
	va_start(ap, fmt);
	vfprintf(x->err, fmt, ap);
	va_end(ap);
	fputc('\n', x->err);
}

static int wsg_in(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

static int wsg_id_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > WSG_RULE_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

/* Printable ASCII, 1..WSG_ANCHOR_MAXLEN bytes: what the prefilter can watch for. */
static int wsg_anchor_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > WSG_ANCHOR_MAXLEN)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

static int wsg_pattern_compile(const char *pat, char *msg, size_t cap)
{
	hs_compile_error_t *ce = NULL;
	hs_database_t *db = NULL;

	if (hs_compile(pat, WSG_SIG_FLAGS, HS_MODE_BLOCK, NULL, &db, &ce) == HS_SUCCESS) {
		hs_free_database(db);
		return 0;
	}
	snprintf(msg, cap, "%s", ce && ce->message ? ce->message : "does not compile");
	hs_free_compile_error(ce);
	return -1;
}

/* Unknown and repeated keys are errors: a typo must not silently turn a rule into another. */
static void wsg_rule_keys_check(struct wsg_rctx *x, size_t idx, const char *id, const cJSON *o)
{
	for (const cJSON *k = o->child; k; k = k->next) {
		if (!wsg_in(wsg_rule_keys, k->string))
			wsg_rerr(x, idx, id, k->string, "unknown key");
		for (const cJSON *j = k->next; j; j = j->next)
			if (!strcmp(j->string, k->string))
				wsg_rerr(x, idx, id, k->string, "key given twice");
	}
}

static const char *wsg_rule_str(struct wsg_rctx *x, size_t idx, const char *id, const cJSON *o,
				const char *key, int required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v) {
		if (required)
			wsg_rerr(x, idx, id, key, "missing");
		return NULL;
	}
	if (!cJSON_IsString(v) || !v->valuestring[0]) {
		wsg_rerr(x, idx, id, key, "must be a non-empty string");
		return NULL;
	}
	return v->valuestring;
}

/* A signature rule's anchors, NULL-terminated, pointing into the tree. */
static const char **wsg_sig_anchors(struct wsg_rctx *x, size_t idx, const char *id,
				    const cJSON *o)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "anchors");
	const cJSON *e;
	const char **out;
	size_t n = 0;

	if (!cJSON_IsArray(a) || !cJSON_GetArraySize(a) ||
	    cJSON_GetArraySize(a) > WSG_SIG_ANCHORS_MAX) {
		wsg_rerr(x, idx, id, "anchors", "a signature rule needs an array of 1 to %d strings",
			 WSG_SIG_ANCHORS_MAX);
		return NULL;
	}
	out = calloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*out));
	if (!out) {
		wsg_rerr(x, idx, id, "anchors", "out of memory");
		return NULL;
	}
	cJSON_ArrayForEach(e, a) {
		if (!cJSON_IsString(e) || !wsg_anchor_ok(e->valuestring)) {
			wsg_rerr(x, idx, id, "anchors",
				 "element %zu: must be 1 to %d printable ASCII characters", n,
				 WSG_ANCHOR_MAXLEN);
			free(out);
			return NULL;
		}
		out[n++] = e->valuestring;
	}
	return out;
}

static void wsg_rule_signature(struct wsg_rctx *x, size_t idx, struct wsg_rule *r,
			       const cJSON *o)
{
	char msg[256];

	if (cJSON_GetObjectItemCaseSensitive(o, "anchors") && r->detector) {
		wsg_rerr(x, idx, r->id, "anchors",
			 "detector rules use their detector's anchors (user/detect_*.c)");
		return;
	}
	if (!r->pattern)
		return;
	if (strlen(r->pattern) > WSG_PATTERN_MAX)
		wsg_rerr(x, idx, r->id, "pattern", "longer than %d bytes", WSG_PATTERN_MAX);
	else if (wsg_pattern_compile(r->pattern, msg, sizeof(msg)))
		wsg_rerr(x, idx, r->id, "pattern", "%s", msg);
	r->anchors = wsg_sig_anchors(x, idx, r->id, o);
}

static const struct wsg_detector *wsg_detector_named(const char *name)
{
	size_t n;
	const struct wsg_detector *d = wsg_detectors(&n);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(d[i].name, name))
			return &d[i];
	return NULL;
}

static void wsg_rule_parse(struct wsg_rctx *x, size_t idx, const cJSON *o, struct wsg_rule *r)
{
	const cJSON *pl, *en;
	const struct wsg_detector *d;

	if (!cJSON_IsObject(o)) {
		wsg_rerr(x, idx, NULL, NULL, "must be an object");
		return;
	}
	r->id = wsg_rule_str(x, idx, NULL, o, "id", 1);
	if (r->id && !wsg_id_ok(r->id)) {
		wsg_rerr(x, idx, r->id, "id", "use 1 to %d of a-z 0-9 - _ .", WSG_RULE_ID_MAX);
		r->id = NULL;
	}
	wsg_rule_keys_check(x, idx, r->id, o);
	r->cls = wsg_rule_str(x, idx, r->id, o, "class", 1);
	if (r->cls && !wsg_in(wsg_classes, r->cls))
		wsg_rerr(x, idx, r->id, "class", "unknown class \"%s\"", r->cls);
	r->desc = wsg_rule_str(x, idx, r->id, o, "description", 1);
	if (r->desc && strlen(r->desc) > WSG_RULE_DESC_MAX)
		wsg_rerr(x, idx, r->id, "description", "longer than %d bytes", WSG_RULE_DESC_MAX);
	pl = cJSON_GetObjectItemCaseSensitive(o, "paranoia");
	if (!cJSON_IsNumber(pl) || pl->valuedouble != (double)(int)pl->valuedouble ||
	    pl->valueint < WSG_PARANOIA_MIN || pl->valueint > WSG_PARANOIA_MAX)
		wsg_rerr(x, idx, r->id, "paranoia", "must be an integer from %d to %d",
			 WSG_PARANOIA_MIN, WSG_PARANOIA_MAX);
	else
		r->paranoia = (unsigned)pl->valueint;
	en = cJSON_GetObjectItemCaseSensitive(o, "enabled");
	if (en && !cJSON_IsBool(en))
		wsg_rerr(x, idx, r->id, "enabled", "must be true or false");
	r->on = !en || cJSON_IsTrue(en);
	r->detector = wsg_rule_str(x, idx, r->id, o, "detector", 0);
	r->pattern = wsg_rule_str(x, idx, r->id, o, "pattern", 0);
	if (!!r->detector == !!r->pattern) {
		wsg_rerr(x, idx, r->id, NULL, "give exactly one of \"detector\" and \"pattern\"");
		return;
	}
	if (r->detector) {
		d = wsg_detector_named(r->detector);
		if (!d)
			wsg_rerr(x, idx, r->id, "detector", "no detector \"%s\"", r->detector);
		else if (r->id && !wsg_in(d->rules, r->id))
			wsg_rerr(x, idx, r->id, "detector", "detector \"%s\" implements no such rule",
				 r->detector);
	}
	wsg_rule_signature(x, idx, r, o);
}

static void wsg_ruleset_free(struct wsg_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n; i++)
		free((void *)rs->rules[i].anchors);
	free(rs->rules);
	free(rs->sig);
	free(rs->lit);
	free(rs->lit_mask);
	free(rs->lit_sig);
	free(rs->lit_need);
	free(rs->hash);
	hs_free_database(rs->gate);
	hs_free_database(rs->sigdb);
	cJSON_Delete(rs->root);
	free(rs);
}

static unsigned wsg_id_hash(const char *s)
{
	unsigned h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Index ids; a repeated id is an error. */
static void wsg_ruleset_index(struct wsg_rctx *x, struct wsg_ruleset *rs)
{
	rs->hcap = 16;
	while (rs->hcap < rs->n * 2)
		rs->hcap <<= 1;
	rs->hash = calloc(rs->hcap, sizeof(*rs->hash));
	if (!rs->hash) {
		wsg_ferr(x, "out of memory");
		return;
	}
	for (size_t i = 0; i < rs->n; i++) {
		size_t h;

		if (!rs->rules[i].id)
			continue;
		for (h = wsg_id_hash(rs->rules[i].id) & (rs->hcap - 1); rs->hash[h];
		     h = (h + 1) & (rs->hcap - 1))
			if (!strcmp(rs->rules[rs->hash[h] - 1].id, rs->rules[i].id))
				break;
		if (rs->hash[h])
			wsg_rerr(x, i, rs->rules[i].id, "id", "used by rules[%u] already",
				 rs->hash[h] - 1);
		else
			rs->hash[h] = (unsigned)i + 1;
	}
}

static const struct wsg_rule *wsg_ruleset_find(const struct wsg_ruleset *rs, const char *id)
{
	if (!rs->hash)
		return NULL;
	for (size_t h = wsg_id_hash(id) & (rs->hcap - 1); rs->hash[h]; h = (h + 1) & (rs->hcap - 1))
		if (!strcmp(rs->rules[rs->hash[h] - 1].id, id))
			return &rs->rules[rs->hash[h] - 1];
	return NULL;
}

/*
 * Every rule a detector implements must be in the file (enabled or not): a file written for
 * an older wsguard fails loudly instead of silently running without a new rule.
 */
static void wsg_ruleset_complete(struct wsg_rctx *x, struct wsg_ruleset *rs)
{
	size_t nd;
	const struct wsg_detector *d = wsg_detectors(&nd);

	for (size_t i = 0; i < nd; i++) {
		size_t missing = 0;

		for (size_t k = 0; d[i].rules[k]; k++) {
			if (wsg_ruleset_find(rs, d[i].rules[k]))
				continue;
			if (!missing++ && x->err)
				fprintf(x->err, "%s: detector \"%s\" implements rules missing from the "
					"file (list them, \"enabled\": false turns one off):", x->file,
					d[i].name);
			if (x->err)
				fprintf(x->err, " %s", d[i].rules[k]);
		}
		if (missing && x->err)
			fputc('\n', x->err);
		x->nerr += missing ? 1 : 0;
	}
}

static struct wsg_ruleset *wsg_ruleset_parse(struct wsg_rctx *x, const char *text, size_t len)
{
	struct wsg_ruleset *rs = calloc(1, sizeof(*rs));
	const char *end = NULL;
	const cJSON *v, *list, *o;
	size_t i = 0;

	if (!rs) {
		wsg_ferr(x, "out of memory");
		return NULL;
	}
	rs->root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!rs->root) {
		size_t line = 1, col = 1;

		for (const char *p = text; end && p < end && p < text + len; p++, col++)
			if (*p == '\n') {
				line++;
				col = 0;
			}
		wsg_ferr(x, "line %zu, column %zu: not valid JSON", line, col);
		goto err;
	}
	for (const cJSON *k = rs->root->child; cJSON_IsObject(rs->root) && k; k = k->next)
		if (strcmp(k->string, "wsguard_rules") && strcmp(k->string, "rules") &&
		    strcmp(k->string, "description"))
			wsg_ferr(x, "%s: unknown key", k->string);
	v = cJSON_GetObjectItemCaseSensitive(rs->root, "wsguard_rules");
	if (!cJSON_IsNumber(v) || v->valueint != 1) {
		wsg_ferr(x, "wsguard_rules: must be 1 (the format version)");
		goto err;
	}
	list = cJSON_GetObjectItemCaseSensitive(rs->root, "rules");
	if (!cJSON_IsArray(list) || !cJSON_GetArraySize(list)) {
		wsg_ferr(x, "rules: must be a non-empty array");
		goto err;
	}
	rs->n = (size_t)cJSON_GetArraySize(list);
	rs->rules = calloc(rs->n, sizeof(*rs->rules));
	if (!rs->rules) {
		wsg_ferr(x, "out of memory");
		goto err;
	}
	cJSON_ArrayForEach(o, list) {
		wsg_rule_parse(x, i, o, &rs->rules[i]);
		i++;
	}
	wsg_ruleset_index(x, rs);
	wsg_ruleset_complete(x, rs);
	return rs;
err:
	wsg_ruleset_free(rs);
	return NULL;
}

static int wsg_lit_add(struct wsg_ruleset *rs, size_t cap, const char *lit, unsigned mask, int sig,
		       unsigned char need)
{
	if (rs->nlit == cap)
		return -1;
	rs->lit[rs->nlit] = lit;
	rs->lit_mask[rs->nlit] = mask;
	rs->lit_sig[rs->nlit] = sig;
	rs->lit_need[rs->nlit] = need;
	rs->nlit++;
	return 0;
}

static size_t wsg_list_len(const char *const *l)
{
	size_t n = 0;

	while (l && l[n])
		n++;
	return n;
}

/* A detector's anchors, plain and line anchors, with what each needs. */
static void wsg_lit_add_detector(struct wsg_ruleset *rs, size_t cap, const struct wsg_detector *d,
				 unsigned mask)
{
	for (size_t a = 0; d->anchors[a]; a++)
		wsg_lit_add(rs, cap, d->anchors[a], mask, -1, 0);
	for (size_t a = 0; d->cr_anchors && d->cr_anchors[a]; a++)
		wsg_lit_add(rs, cap, d->cr_anchors[a], mask, -1, WSG_PF_BRK_CR);
	for (size_t a = 0; d->eol_anchors && d->eol_anchors[a]; a++)
		wsg_lit_add(rs, cap, d->eol_anchors[a], mask, -1, WSG_PF_BRK_EOL);
}

/* Gate literals of the enabled rules: detector anchors, then signature anchors. */
static int wsg_ruleset_literals(struct wsg_ruleset *rs)
{
	size_t nd, cap = 0;
	const struct wsg_detector *d = wsg_detectors(&nd);

	for (size_t i = 0; i < rs->n; i++) {
		const struct wsg_rule *r = &rs->rules[i];

		if (r->on && r->detector)
			for (size_t k = 0; k < nd; k++)
				if (!strcmp(d[k].name, r->detector))
					rs->det_on |= 1u << k;
		if (r->on && r->pattern)
			for (size_t k = 0; r->anchors[k]; k++)
				cap++;
	}
	for (size_t k = 0; k < nd; k++)
		if (rs->det_on & (1u << k))
			cap += wsg_list_len(d[k].anchors) + wsg_list_len(d[k].cr_anchors) +
			       wsg_list_len(d[k].eol_anchors);
	rs->lit = calloc(cap + 1, sizeof(*rs->lit));
	rs->lit_mask = calloc(cap + 1, sizeof(*rs->lit_mask));
	rs->lit_sig = calloc(cap + 1, sizeof(*rs->lit_sig));
	rs->lit_need = calloc(cap + 1, sizeof(*rs->lit_need));
	rs->sig = calloc(WSG_SIG_MAX, sizeof(*rs->sig));
	if (!rs->lit || !rs->lit_mask || !rs->lit_sig || !rs->lit_need || !rs->sig)
		return -ENOMEM;
	for (size_t k = 0; k < nd; k++)
		if (rs->det_on & (1u << k))
			wsg_lit_add_detector(rs, cap, &d[k], 1u << k);
	for (size_t i = 0; i < rs->n; i++) {
		const struct wsg_rule *r = &rs->rules[i];

		if (!r->on || !r->pattern)
			continue;
		if (rs->nsig == WSG_SIG_MAX)
			return -E2BIG;
		for (size_t k = 0; r->anchors[k]; k++)
			wsg_lit_add(rs, cap, r->anchors[k], 0, (int)rs->nsig, 0);
		rs->sig[rs->nsig++] = r;
	}
	return 0;
}

static int wsg_ruleset_compile(struct wsg_rctx *x, struct wsg_ruleset *rs)
{
	hs_compile_error_t *ce = NULL;
	unsigned *flags = NULL, *ids = NULL;
	size_t *lens = NULL, nmax;
	const char **pats = NULL;
	int err = wsg_ruleset_literals(rs);

	if (err) {
		wsg_ferr(x, err == -E2BIG ? "more than %d enabled signature rules" : "out of memory",
			 WSG_SIG_MAX);
		return -1;
	}
	nmax = rs->nlit > rs->nsig ? rs->nlit : rs->nsig;
	flags = calloc(nmax + 1, sizeof(*flags));
	ids = calloc(nmax + 1, sizeof(*ids));
	lens = calloc(nmax + 1, sizeof(*lens));
	pats = calloc(nmax + 1, sizeof(*pats));
	if (!flags || !ids || !lens || !pats)
		goto nomem;
	for (size_t i = 0; i < rs->nlit; i++) {
		flags[i] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
		ids[i] = (unsigned)i;
		lens[i] = strlen(rs->lit[i]);
	}
	if (!rs->nlit) {
		wsg_ferr(x, "no rule is enabled");
		goto out;
	}
	if (hs_compile_lit_multi(rs->lit, flags, ids, lens, (unsigned)rs->nlit, HS_MODE_VECTORED,
				 NULL, &rs->gate, &ce) != HS_SUCCESS) {
		wsg_ferr(x, "anchors: %s", ce ? ce->message : "do not compile");
		goto out;
	}
	for (size_t i = 0; i < rs->nsig; i++) {
		flags[i] = WSG_SIG_FLAGS;
		ids[i] = (unsigned)i;
		pats[i] = rs->sig[i]->pattern;
	}
	if (rs->nsig && hs_compile_multi(pats, flags, ids, (unsigned)rs->nsig, HS_MODE_BLOCK, NULL,
					 &rs->sigdb, &ce) != HS_SUCCESS) {
		wsg_ferr(x, "patterns: %s", ce ? ce->message : "do not compile");
		goto out;
	}
	if (hs_alloc_scratch(rs->gate, &wsg_scratch) != HS_SUCCESS ||
	    (rs->sigdb && hs_alloc_scratch(rs->sigdb, &wsg_scratch) != HS_SUCCESS))
		goto nomem;
	goto out;
nomem:
	wsg_ferr(x, "out of memory");
out:
	hs_free_compile_error(ce);
	free(flags);
	free(ids);
	free(lens);
	free(pats);
	return x->nerr ? -1 : 0;
}

/* The file's text (NUL-terminated, caller frees) or NULL with an error written. */
static char *wsg_rules_read(struct wsg_rctx *x, const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;

	if (!f) {
		wsg_ferr(x, "%s", strerror(errno));
		return NULL;
	}
	buf = malloc(WSG_RULES_FILE_MAX + 1);
	if (buf) {
		*len = fread(buf, 1, WSG_RULES_FILE_MAX + 1, f);
		buf[*len <= WSG_RULES_FILE_MAX ? *len : 0] = 0;
	}
	if (!buf || ferror(f) || *len > WSG_RULES_FILE_MAX) {
		wsg_ferr(x, "%s", buf && !ferror(f) ? "larger than 4 MiB" : "cannot be read");
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Parse, validate and compile; NULL (errors counted in x) unless all is well. */
static struct wsg_ruleset *wsg_ruleset_build(struct wsg_rctx *x, const char *path,
					     unsigned paranoia)
{
	struct wsg_ruleset *rs;
	char *text = NULL;
	size_t len;

	if (path) {
		text = wsg_rules_read(x, path, &len);
		if (!text)
			return NULL;
	} else {
		len = strlen(wsg_rules_builtin);
	}
	rs = wsg_ruleset_parse(x, text ? text : wsg_rules_builtin, len);
	free(text);
	if (!rs)
		return NULL;
	for (size_t i = 0; i < rs->n; i++)
		rs->rules[i].on = rs->rules[i].on && rs->rules[i].paranoia <= paranoia;
	if (x->nerr || wsg_ruleset_compile(x, rs)) {
		wsg_ruleset_free(rs);
		return NULL;
	}
	return rs;
}

int wsg_paranoia_parse(const char *s, unsigned *out)
{
	if (s[0] < '0' + WSG_PARANOIA_MIN || s[0] > '0' + WSG_PARANOIA_MAX || s[1])
		return -1;
	*out = (unsigned)(s[0] - '0');
	return 0;
}

int wsg_rules_load(const char *path, unsigned paranoia, FILE *err)
{
	struct wsg_rctx x = { .file = path ? path : "(built-in rules)", .err = err };
	struct wsg_ruleset *rs;

	if (paranoia < WSG_PARANOIA_MIN || paranoia > WSG_PARANOIA_MAX) {
		if (err)
			fprintf(err, "paranoia %u: must be from %d to %d\n", paranoia,
				WSG_PARANOIA_MIN, WSG_PARANOIA_MAX);
		return -1;
	}
	rs = wsg_ruleset_build(&x, path, paranoia);
	if (!rs)
		return -1;
	snprintf(rs->file, sizeof(rs->file), "%s", x.file);
	rs->paranoia = paranoia;
	wsg_ruleset_free(wsg_active);
	wsg_active = rs;
	return 0;
}

int wsg_rules_check(const char *path, FILE *out, FILE *err)
{
	struct wsg_rctx x = { .file = path, .err = err };
	struct wsg_ruleset *rs = wsg_ruleset_build(&x, path, WSG_PARANOIA_MAX);
	size_t nsig = 0, on[WSG_PARANOIA_MAX + 1] = {};

	if (!rs)
		return x.nerr ? x.nerr : 1;
	for (size_t i = 0; i < rs->n; i++) {
		nsig += !!rs->rules[i].pattern;
		for (unsigned p = rs->rules[i].paranoia; rs->rules[i].on && p <= WSG_PARANOIA_MAX;
		     p++)
			on[p]++;
	}
	fprintf(out, "%s: ok: %zu rules (%zu detector, %zu signature); enabled at paranoia 1: "
		"%zu, 2: %zu, 3: %zu, 4: %zu; %zu gate anchors\n", path, rs->n, rs->n - nsig, nsig,
		on[1], on[2], on[3], on[4], rs->nlit);
	wsg_ruleset_free(rs);
	return 0;
}

const struct wsg_rule *wsg_rules(size_t *n)
{
	if (!wsg_active && wsg_rules_load(NULL, WSG_PARANOIA_MIN, stderr))
		return NULL;
	if (n)
		*n = wsg_active->n;
	return wsg_active->rules;
}

void wsg_rules_info(const char **file, unsigned *paranoia, size_t *on)
{
	*file = wsg_rules(NULL) ? wsg_active->file : "(none)";
	*paranoia = wsg_active ? wsg_active->paranoia : 0;
	*on = 0;
	for (size_t i = 0; wsg_active && i < wsg_active->n; i++)
		*on += !!wsg_active->rules[i].on;
}

const struct wsg_rule *wsg_rule_find(const char *id)
{
	return wsg_rules(NULL) ? wsg_ruleset_find(wsg_active, id) : NULL;
}

int wsg_rule_hit(struct wsg_hit *h, const char *id, size_t off)
{
	const struct wsg_rule *r = wsg_rule_find(id);

	if (!r || !r->on)
		return 0;
	h->rule = r;
	h->off = off;
	return 1;
}

void wsg_rules_anchors(const char *const **anchors, const unsigned char **need, size_t *n)
{
	*anchors = wsg_rules(NULL) ? wsg_active->lit : NULL;
	if (need)
		*need = *anchors ? wsg_active->lit_need : NULL;
	*n = *anchors ? wsg_active->nlit : 0;
}

static int wsg_gate_match(unsigned id, unsigned long long from, unsigned long long to,
			  unsigned flags, void *ctx)
{
	struct wsg_gate *g = ctx;
	int sig = wsg_active->lit_sig[id];

	if (!wsg_pf_brk_met(wsg_active->lit_need[id], g->brk))
		return 0;
	g->mask |= wsg_active->lit_mask[id];
	if (sig >= 0) {
		g->sigs[sig / 64] |= 1ull << (sig % 64);
		g->any_sig = 1;
	}
	return 0;
}

void wsg_rules_gate(const char *s, size_t len, int quoted, struct wsg_gate *g)
{
	const char *data[3] = { "\"", s, "\"" };
	unsigned lens[3] = { 1, (unsigned)len, 1 };

	memset(g, 0, sizeof(*g));
	if (!wsg_rules(NULL))
		return;
	g->brk = (memchr(s, '\r', len) ? WSG_PF_BRK_CR : 0) | (memchr(s, '\n', len) ? WSG_PF_BRK_LF : 0);
	if (quoted == WSG_UNQUOTED)
		hs_scan_vector(wsg_active->gate, data + 1, lens + 1, 1, 0, wsg_scratch,
			       wsg_gate_match, g);
	else
		hs_scan_vector(wsg_active->gate, data, lens, quoted == WSG_QUOTED ? 3 : 2, 0,
			       wsg_scratch, wsg_gate_match, g);
}

struct wsg_sig_ctx {
	const struct wsg_gate *g;
	struct wsg_hit *h;
};

static int wsg_sig_match(unsigned id, unsigned long long from, unsigned long long to,
			 unsigned flags, void *ctx)
{
	struct wsg_sig_ctx *c = ctx;

	if (!(c->g->sigs[id / 64] & (1ull << (id % 64))))
		return 0;
	c->h->rule = wsg_active->sig[id];
	c->h->off = to ? (size_t)to - 1 : 0;
	return 1;
}

int wsg_rules_sig(const struct wsg_gate *g, const struct wsg_text *t, struct wsg_hit *h)
{
	struct wsg_sig_ctx c = { g, h };

	if (!g->any_sig || !wsg_active || !wsg_active->sigdb)
		return 0;
	h->rule = NULL;
	hs_scan(wsg_active->sigdb, t->s, (unsigned)t->len, 0, wsg_scratch, wsg_sig_match, &c);
	return h->rule != NULL;
}

void wsg_rules_free(void)
{
	wsg_ruleset_free(wsg_active);
	wsg_active = NULL;
	hs_free_scratch(wsg_scratch);
	wsg_scratch = NULL;
}
