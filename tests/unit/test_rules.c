// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rules file: the built-in one is valid and complete; every kind of mistake is reported
 * with the file, the rule id and the key; a failed load keeps the active set; paranoia and
 * "enabled" turn rules off (and their anchors out of the prefilter's input); a signature
 * fires only when one of its anchors gates it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "wsg_test.h"
#include "inspect.h"
#include "rules.h"

WSG_TEST_MAIN

static char wsg_tmp[64];

/* Write text to a fresh temporary file; its path is wsg_tmp. */
static const char *wsg_file(const char *text)
{
	int fd;

	snprintf(wsg_tmp, sizeof(wsg_tmp), "/tmp/wsg-rules-XXXXXX");
	fd = mkstemp(wsg_tmp);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	close(fd);
	return wsg_tmp;
}

/* Check a file; the errors written, in a buffer the caller frees. */
static char *wsg_check_text(const char *text, int *nerr)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	FILE *out = fopen("/dev/null", "w");
	const char *path = wsg_file(text);

	*nerr = path && err && out ? wsg_rules_check(path, out, err) : -1;
	if (err)
		fclose(err);
	if (out)
		fclose(out);
	if (path)
		unlink(path);
	return buf;
}

/* The built-in file with one rule's member changed (or a rule appended), as text. */
static char *wsg_builtin_with(const char *id, const char *key, cJSON *val, cJSON *extra)
{
	cJSON *root = cJSON_Parse(wsg_rules_builtin), *r;
	char *out;

	if (!root)
		return NULL;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(root, "rules")) {
		cJSON *v = cJSON_GetObjectItem(r, "id");

		if (id && v && !strcmp(v->valuestring, id)) {
			cJSON_DeleteItemFromObject(r, key);
			cJSON_AddItemToObject(r, key, val);
			val = NULL;
		}
	}
	if (extra)
		cJSON_AddItemToArray(cJSON_GetObjectItem(root, "rules"), extra);
	cJSON_Delete(val);
	out = cJSON_Print(root);
	cJSON_Delete(root);
	return out;
}

static cJSON *wsg_sig(const char *id, const char *pattern, const char *anchor, int paranoia)
{
	cJSON *r = cJSON_CreateObject();
	const char *anchors[] = { anchor };

	cJSON_AddStringToObject(r, "id", id);
	cJSON_AddStringToObject(r, "class", "generic");
	cJSON_AddNumberToObject(r, "paranoia", paranoia);
	cJSON_AddStringToObject(r, "description", "test signature");
	cJSON_AddStringToObject(r, "pattern", pattern);
	cJSON_AddItemToObject(r, "anchors", cJSON_CreateStringArray(anchors, 1));
	return r;
}

/* Load text as the active set; 0 on success. */
static int wsg_load_text(const char *text, unsigned paranoia)
{
	const char *path = text ? wsg_file(text) : NULL;
	FILE *null = fopen("/dev/null", "w");
	int ret;

	if (text && !path)
		return -1;
	ret = wsg_rules_load(path, paranoia, null);
	if (null)
		fclose(null);
	if (path)
		unlink(path);
	return ret;
}

/* The rule a Socket.IO chat message carrying p is blocked by, or NULL. */
static const char *wsg_verdict(const char *p)
{
	static struct wsg_finding f;
	char msg[512];

	snprintf(msg, sizeof(msg), "42[\"chat message\",\"%s\"]", p);
	return wsg_inspect(WSG_FW_SOCKETIO, 1, msg, strlen(msg), &f) ? f.rule : NULL;
}

static int wsg_has_anchor(const char *a)
{
	const char *const *list;
	size_t n;

	wsg_rules_anchors(&list, NULL, &n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], a))
			return 1;
	return 0;
}

WSG_TEST(builtin_valid_and_complete)
{
	size_t n, sigs = 0;
	const struct wsg_rule *r;

	REQUIRE(wsg_load_text(NULL, 1) == 0, "built-in rules do not load");
	r = wsg_rules(&n);
	REQUIRE(r && n > 50, "only %zu rules", n);
	for (size_t i = 0; i < n; i++) {
		CHECK(r[i].cls && r[i].desc && r[i].paranoia >= 1, "%s incomplete", r[i].id);
		sigs += r[i].pattern != NULL;
	}
	CHECK(sigs >= 1, "no signature rule in the built-in file");
	CHECK(wsg_rule_find("sqli-001") && !wsg_rule_find("nope-001"), "lookup by id");
}

WSG_TEST(errors_name_file_rule_and_key)
{
	static const struct {
		const char *key, *val, *want;
	} cases[] = {
		{ "class", "\"xsss\"", "rule \"xss-001\": class: unknown class \"xsss\"" },
		{ "paranoia", "7", "rule \"xss-001\": paranoia: must be an integer from 1 to 4" },
		{ "paranoia", "1.5", "rule \"xss-001\": paranoia: must be an integer" },
		{ "enabled", "\"yes\"", "rule \"xss-001\": enabled: must be true or false" },
		{ "detector", "\"sqli\"", "rule \"xss-001\": detector: detector \"sqli\" implements no" },
		{ "detector", "\"nope\"", "rule \"xss-001\": detector: no detector \"nope\"" },
		{ "colour", "1", "rule \"xss-001\": colour: unknown key" },
		{ "description", "\"\"", "rule \"xss-001\": description: must be a non-empty" },
		{ "pattern", "\"abc\"", "rule \"xss-001\": give exactly one of" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = wsg_builtin_with("xss-001", cases[i].key, cJSON_Parse(cases[i].val),
					      NULL);
		int nerr;
		char *err = text ? wsg_check_text(text, &nerr) : NULL;

		CHECK(err && nerr >= 1 && strstr(err, cases[i].want) && strstr(err, "/tmp/wsg-rules-"),
		      "%s=%s: got \"%s\"", cases[i].key, cases[i].val, err ? err : "(nothing)");
		free(text);
		free(err);
	}
}

WSG_TEST(errors_in_signatures_and_structure)
{
	static const struct {
		const char *pattern, *anchor, *want;
	} sigs[] = {
		{ "(abc", "abc", "rule \"my-1\": pattern: " },
		{ "a{0,3}", "a", "rule \"my-1\": pattern: " },	/* matches the empty string */
		{ "abc", "", "rule \"my-1\": anchors: " },
		{ "abc", "tab\there", "rule \"my-1\": anchors: " },
	};
	int nerr;
	char *err, *text;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		text = wsg_builtin_with(NULL, NULL, NULL,
					wsg_sig("my-1", sigs[i].pattern, sigs[i].anchor, 1));
		err = text ? wsg_check_text(text, &nerr) : NULL;
		CHECK(err && nerr >= 1 && strstr(err, sigs[i].want), "%s/%s: got \"%s\"",
		      sigs[i].pattern, sigs[i].anchor, err ? err : "(nothing)");
		free(text);
		free(err);
	}
	text = wsg_builtin_with(NULL, NULL, NULL, wsg_sig("sqli-001", "abc", "abc", 1));
	err = text ? wsg_check_text(text, &nerr) : NULL;
	CHECK(err && strstr(err, "rule \"sqli-001\": id: used by rules["), "duplicate id: %s",
	      err ? err : "(nothing)");
	free(text);
	free(err);
	err = wsg_check_text("{\"wsguard_rules\": 1,\n \"rules\": [ {\"id\": 1,, ] }", &nerr);
	CHECK(err && strstr(err, ": line 2, column "), "syntax error position: %s", err);
	free(err);
	err = wsg_check_text("{\"wsguard_rules\": 2, \"rules\": []}", &nerr);
	CHECK(err && strstr(err, "wsguard_rules: must be 1"), "version: %s", err);
	free(err);
	err = wsg_check_text("{\"wsguard_rules\": 1, \"rules\": [{\"id\": \"xss-001\", \"class\": "
			     "\"xss\", \"paranoia\": 1, \"detector\": \"xss\", \"description\": "
			     "\"x\"}]}", &nerr);
	CHECK(err && strstr(err, "detector \"xss\" implements rules missing from the file") &&
	      strstr(err, "xss-002") && strstr(err, "sqli-001"), "completeness: %s", err);
	free(err);
}

WSG_TEST(failed_load_keeps_active_set)
{
	char *text = wsg_builtin_with(NULL, NULL, NULL, wsg_sig("my-1", "evil[0-9]+", "evil1", 1));

	REQUIRE(text && wsg_load_text(text, 1) == 0, "custom file does not load");
	CHECK(wsg_load_text("{ not json", 1) != 0, "bad file loaded");
	CHECK(wsg_rule_find("my-1") != NULL, "active set replaced by a failed load");
	CHECK(wsg_load_text(NULL, 5) != 0, "paranoia 5 accepted");
	free(text);
}

WSG_TEST(signature_fires_only_when_gated)
{
	char *text = wsg_builtin_with(NULL, NULL, NULL, wsg_sig("my-1", "evil[0-9]+", "evil1", 1));
	cJSON *root = text ? cJSON_Parse(text) : NULL;
	const char *r;

	REQUIRE(root, "custom file");
	cJSON_AddItemToArray(cJSON_GetObjectItem(root, "rules"), wsg_sig("my-2", "bad", "bad", 1));
	free(text);
	text = cJSON_Print(root);
	cJSON_Delete(root);
	REQUIRE(text && wsg_load_text(text, 1) == 0, "custom file does not load");
	r = wsg_verdict("this is EVIL1 stuff");
	CHECK(r && !strcmp(r, "my-1"), "anchored signature: %s", r ? r : "allowed");
	r = wsg_verdict("this is evil2 stuff");
	CHECK(!r, "signature fired without its anchor: %s", r);
	/* my-2 gates the signature scan; my-1's expression matches but must not fire */
	r = wsg_verdict("evil2 is bad");
	CHECK(r && !strcmp(r, "my-2"), "ungated signature reported: %s", r ? r : "allowed");
	CHECK(wsg_has_anchor("evil1"), "signature anchor not in the prefilter's input");
	free(text);
}

WSG_TEST(paranoia_and_enabled_turn_rules_off)
{
	char *text;
	const char *r;

	REQUIRE(wsg_load_text(NULL, 1) == 0, "built-in rules do not load");
	CHECK(!wsg_verdict("<b class=x>hi</b>"), "paranoia 2 rule fired at level 1");
	CHECK(!wsg_has_anchor("<"), "anchor of an off rule in the prefilter's input");
	REQUIRE(wsg_load_text(NULL, 2) == 0, "built-in rules do not load at 2");
	r = wsg_verdict("<b class=x>hi</b>");
	CHECK(r && !strcmp(r, "sig-003"), "paranoia 2: %s", r ? r : "allowed");
	CHECK(wsg_has_anchor("<"), "anchor of an on rule missing");

	text = wsg_builtin_with("xss-001", "enabled", cJSON_CreateFalse(), NULL);
	REQUIRE(text && wsg_load_text(text, 1) == 0, "file with a rule off does not load");
	r = wsg_verdict("<script>alert(1)</script>");
	CHECK(!r || strcmp(r, "xss-001"), "disabled rule fired");
	free(text);
	REQUIRE(wsg_load_text(NULL, 1) == 0, "built-in rules do not load");
	r = wsg_verdict("<script>alert(1)</script>");
	CHECK(r && !strcmp(r, "xss-001"), "enabled: %s", r ? r : "allowed");
}

WSG_TEST(gate_sees_json_quotes)
{
	char *text = wsg_builtin_with(NULL, NULL, NULL, wsg_sig("my-1", "evil", "\"evil", 1));
	struct wsg_gate g;

	REQUIRE(text && wsg_load_text(text, 1) == 0, "custom file does not load");
	wsg_rules_gate("evil", 4, 1, &g);
	CHECK(g.any_sig, "quoted string: the quote before it is part of the text");
	wsg_rules_gate("evil", 4, 0, &g);
	CHECK(!g.any_sig, "unquoted string gated by a quote anchor");
	wsg_rules_gate("", 0, 0, &g);
	CHECK(!g.any_sig && !g.mask, "empty string");
	free(text);
	wsg_rules_free();
}
