// SPDX-License-Identifier: GPL-2.0-only
/*
 * wsguard against the product's reference WAF in one run: real ModSecurity 3 (libmodsecurity)
 * with OWASP CRS 3.3.4 at paranoia level 1, blocking anomaly mode (inbound threshold 5), and
 * wsg_inspect() judge the same corpus lines (shared/eval), and the block rates and throughput
 * are printed side by side and compared. CRS gets each payload as an HTTP POST to /chat, once
 * as a JSON body {"text":"<payload>"} (JSON body processor) and once as a form body
 * text=<urlencoded>; a line counts as blocked by CRS when either request gets a disruptive
 * intervention (the reference's "form or JSON field"); both are also printed on their own.
 * wsguard gets the payload as the Socket.IO event 42["chat message","<payload>"].
 * Without the corpus or the CRS files the tests SKIP. WSG_CRS_STRIDE=k judges every k-th
 * line only (both engines, same lines); WSG_CRS_VERBOSE=1 lists lines the two disagree on.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>
#include <modsecurity/intervention.h>
#include "wsg_test.h"
#include "wsg_eval.h"
#include "decode.h"
#include "inspect.h"

WSG_TEST_MAIN

#define WSG_CRS_SETUP "/etc/modsecurity/crs/crs-setup.conf"
#define WSG_CRS_RULES "/usr/share/modsecurity-crs/rules/REQUEST-*.conf"

/*
 * What modsecurity.conf-recommended sets for request bodies (engine on, bodies read, JSON
 * body processor, malformed bodies denied) and PCRE limits, no audit log; after
 * crs-setup.conf, PL1 and the default inbound threshold made explicit (it leaves both
 * commented out).
 */
static const char wsg_crs_pre[] =
	"SecRuleEngine On\n"
	"SecRequestBodyAccess On\n"
	"SecRule REQUEST_HEADERS:Content-Type \"^application/json\" "
	"\"id:'200001',phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON\"\n"
	"SecRequestBodyLimit 13107200\n"
	"SecRequestBodyNoFilesLimit 131072\n"
	"SecRequestBodyLimitAction Reject\n"
	"SecRule REQBODY_ERROR \"!@eq 0\" \"id:'200002',phase:2,t:none,log,deny,status:400,"
	"msg:'Failed to parse request body.'\"\n"
	"SecPcreMatchLimit 1000\n"
	"SecPcreMatchLimitRecursion 1000\n"
	"SecAuditEngine Off\n";

static const char wsg_crs_level[] =
	"SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=1\"\n"
	"SecAction \"id:900110,phase:1,nolog,pass,t:none,"
	"setvar:tx.inbound_anomaly_score_threshold=5,"
	"setvar:tx.outbound_anomaly_score_threshold=4\"\n";

static ModSecurity *wsg_msc;
static RulesSet *wsg_rules;
static int wsg_crs_state;	/* 0 not tried, 1 loaded, -1 files missing, -2 load failed */
static char wsg_crs_err[512];

static void wsg_crs_log(void *data, const void *msg)
{
}

static int wsg_crs_add(const char *file, const char *text)
{
	const char *err = NULL;
	int n = file ? msc_rules_add_file(wsg_rules, file, &err) :
		       msc_rules_add(wsg_rules, text, &err);

	if (n < 0)
		snprintf(wsg_crs_err, sizeof(wsg_crs_err), "%s: %s", file ? file : "inline rules",
			 err ? err : "?");
	free((void *)err);
	return n < 0 ? -1 : n;
}

/* Loads the engine once: 1 ready, 0 the CRS files are not installed, -1 they did not load. */
static int wsg_crs_init(void)
{
	glob_t g = {};
	int n = 0;

	if (wsg_crs_state)
		return wsg_crs_state > 0 ? 1 : wsg_crs_state == -1 ? 0 : -1;
	wsg_crs_state = -1;
	if (access(WSG_CRS_SETUP, R_OK) || glob(WSG_CRS_RULES, 0, NULL, &g) || g.gl_pathc < 10) {
		globfree(&g);
		return 0;
	}
	wsg_crs_state = -2;
	wsg_msc = msc_init();
	msc_set_connector_info(wsg_msc, "wsguard test_vs_crs");
	msc_set_log_cb(wsg_msc, wsg_crs_log);
	wsg_rules = msc_create_rules_set();
	if (wsg_crs_add(NULL, wsg_crs_pre) < 0 || wsg_crs_add(WSG_CRS_SETUP, NULL) < 0 ||
	    wsg_crs_add(NULL, wsg_crs_level) < 0)
		goto out;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		int k = wsg_crs_add(g.gl_pathv[i], NULL);

		if (k < 0)
			goto out;
		n += k;
	}
	printf("# %s, %zu CRS rule files, %d rules\n", msc_who_am_i(wsg_msc), g.gl_pathc, n);
	wsg_crs_state = 1;
out:
	globfree(&g);
	return wsg_crs_state > 0 ? 1 : -1;
}

/* p as an application/x-www-form-urlencoded value (what a browser form sends). */
static size_t wsg_form_str(char *w, const char *p, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
		    c == '-' || c == '.' || c == '_' || c == '*')
			w[o++] = (char)c;
		else if (c == ' ')
			w[o++] = '+';
		else
			o += (size_t)sprintf(w + o, "%%%02X", c);
	}
	return o;
}

enum wsg_crs_enc { WSG_ENC_JSON, WSG_ENC_FORM, WSG_ENC_COUNT };

/* The rule id of a disruptive intervention's log line ("... [id \"949110\"] ..."). */
static int wsg_crs_rule(const char *log)
{
	const char *id = log ? strstr(log, "[id \"") : NULL;

	return id ? atoi(id + 5) : 0;
}

/* One HTTP request to /chat carrying p in encoding e: the blocking rule id, or 0 to pass. */
static int wsg_crs_judge(enum wsg_crs_enc e, const char *p, size_t n)
{
	static const char *const ctype[] = { "application/json",
					     "application/x-www-form-urlencoded" };
	ModSecurityIntervention it = { .status = 200 };
	Transaction *t = msc_new_transaction(wsg_msc, wsg_rules, NULL);
	char *body = malloc(n * 6 + 32), clen[32];
	size_t len;
	int rule = 0;

	if (e == WSG_ENC_JSON) {
		len = (size_t)sprintf(body, "{\"text\":\"");
		len += wsg_eval_json_str(body + len, p, n, 0);
		len += (size_t)sprintf(body + len, "\"}");
	} else {
		len = (size_t)sprintf(body, "text=");
		len += wsg_form_str(body + len, p, n);
	}
	snprintf(clen, sizeof(clen), "%zu", len);
	msc_process_connection(t, "192.0.2.10", 41234, "192.0.2.1", 80);
	msc_process_uri(t, "/chat", "POST", "1.1");
	msc_add_request_header(t, (const unsigned char *)"Host",
			       (const unsigned char *)"chat.example.com");
	msc_add_request_header(t, (const unsigned char *)"User-Agent",
			       (const unsigned char *)"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) "
						      "Gecko/20100101 Firefox/128.0");
	msc_add_request_header(t, (const unsigned char *)"Accept", (const unsigned char *)"*/*");
	msc_add_request_header(t, (const unsigned char *)"Content-Type",
			       (const unsigned char *)ctype[e]);
	msc_add_request_header(t, (const unsigned char *)"Content-Length",
			       (const unsigned char *)clen);
	msc_process_request_headers(t);
	if (!msc_intervention(t, &it)) {
		msc_append_request_body(t, (const unsigned char *)body, len);
		msc_process_request_body(t);
		msc_intervention(t, &it);
	}
	if (it.disruptive)
		rule = wsg_crs_rule(it.log) ?: -1;
	free(it.log);
	free(it.url);
	msc_transaction_cleanup(t);
	free(body);
	return rule;
}

/* The Socket.IO chat event wsguard sees for p: 1 to block. */
static int wsg_wsg_judge(const char *p, size_t n, struct wsg_finding *f)
{
	char *w = malloc(n * 6 + 32);
	size_t len = (size_t)sprintf(w, "42[\"chat message\",\"");
	int block;

	len += wsg_eval_json_str(w + len, p, n, 0);
	len += (size_t)sprintf(w + len, "\"]");
	block = wsg_inspect(WSG_FW_AUTO, 1, w, len, f);
	free(w);
	return block;
}

enum wsg_kind { WSG_K_ATTACK, WSG_K_HARD, WSG_K_IRC, WSG_K_TRICKY, WSG_K_COUNT };

static const char *const wsg_kind_names[] = {
	"attacks (expect_block)", "hard negatives", "IRC chat", "tricky benign",
};

struct wsg_line {
	char *id, *s;
	size_t len;
	enum wsg_kind kind;
	int crs[WSG_ENC_COUNT];	/* blocking rule id, -1 unknown, 0 pass */
	int wsg;
	const char *wsg_rule;
};

static struct wsg_line *wsg_lines;
static size_t wsg_nlines, wsg_cap;
static unsigned wsg_bad;

static void wsg_load_line(void *ctx, const struct wsg_eval_line *e)
{
	struct wsg_line l = { .id = strdup(e->id), .s = malloc(e->len + 1), .len = e->len };

	if (*(int *)ctx)
		l.kind = cJSON_IsTrue(cJSON_GetObjectItem(e->doc, "expect_block")) ? WSG_K_ATTACK :
										    WSG_K_HARD;
	else
		l.kind = e->irc ? WSG_K_IRC : WSG_K_TRICKY;
	memcpy(l.s, e->s, e->len + 1);
	if (wsg_nlines == wsg_cap) {
		wsg_cap = wsg_cap ? wsg_cap * 2 : 4096;
		wsg_lines = realloc(wsg_lines, wsg_cap * sizeof(*wsg_lines));
	}
	wsg_lines[wsg_nlines++] = l;
}

static void wsg_load(const char *file, int attacks)
{
	unsigned lines = 0;

	wsg_bad += wsg_eval_each(file, wsg_load_line, &attacks, &lines);
}

struct wsg_clock {
	double cpu, wall;
};

static double wsg_now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void wsg_clock_start(struct wsg_clock *c)
{
	c->cpu = -wsg_now(CLOCK_PROCESS_CPUTIME_ID);
	c->wall = -wsg_now(CLOCK_MONOTONIC);
}

static void wsg_clock_stop(struct wsg_clock *c)
{
	c->cpu += wsg_now(CLOCK_PROCESS_CPUTIME_ID);
	c->wall += wsg_now(CLOCK_MONOTONIC);
}

/* Engines compared: CRS per encoding, CRS either encoding, wsguard. */
enum wsg_eng { WSG_E_JSON, WSG_E_FORM, WSG_E_CRS, WSG_E_WSG, WSG_E_COUNT };

static const char *const wsg_eng_names[] = {
	"CRS PL1 JSON", "CRS PL1 form", "CRS PL1", "wsguard",
};

static unsigned wsg_total[WSG_K_COUNT], wsg_blocked[WSG_E_COUNT][WSG_K_COUNT];
static unsigned wsg_stride = 1, wsg_judged, wsg_reqbody_err;
static struct wsg_clock wsg_time[WSG_E_COUNT];	/* CRS: both encodings */
static int wsg_ran;

static double wsg_rate(enum wsg_eng e, enum wsg_kind k)
{
	return wsg_total[k] ? 100.0 * wsg_blocked[e][k] / wsg_total[k] : 0;
}

static void wsg_print(void)
{
	printf("# corpus %s: %zu lines, %u malformed; stride %u, %u lines judged, the same "
	       "lines by every engine\n", wsg_eval_dir, wsg_nlines, wsg_bad, wsg_stride,
	       wsg_judged);
	printf("# %-22s %6s", "blocked", "lines");
	for (int e = 0; e < WSG_E_COUNT; e++)
		printf(" %13s", wsg_eng_names[e]);
	printf(" %8s\n", "ratio");
	for (int k = 0; k < WSG_K_COUNT; k++) {
		printf("# %-22s %6u", wsg_kind_names[k], wsg_total[k]);
		for (int e = 0; e < WSG_E_COUNT; e++)
			printf(" %12.2f%%", wsg_rate(e, k));
		if (wsg_blocked[WSG_E_CRS][k])
			printf(" %8.3f\n", wsg_rate(WSG_E_WSG, k) / wsg_rate(WSG_E_CRS, k));
		else
			printf(" %8s\n", "-");
	}
	printf("# %-22s %6s", "payloads/s, CPU", "");
	for (int e = 0; e < WSG_E_COUNT; e++)
		printf(" %13.0f", wsg_judged / wsg_time[e].cpu);
	printf(" %7.0fx\n", wsg_time[WSG_E_JSON].cpu / wsg_time[WSG_E_WSG].cpu);
	printf("# %-22s %6s", "CPU time", "");
	for (int e = 0; e < WSG_E_COUNT; e++)
		printf(" %12.2fs", wsg_time[e].cpu);
	printf("\n# %-22s %6s", "wall time", "");
	for (int e = 0; e < WSG_E_COUNT; e++)
		printf(" %12.2fs", wsg_time[e].wall);
	printf("\n# CRS PL1: blocked as JSON or as form (two requests a payload); ratio: wsguard "
	       "/ CRS PL1,\n# speed wsguard / CRS JSON (one request a payload); JSON bodies CRS "
	       "could not parse (200002): %u\n", wsg_reqbody_err);
}

/* One line the engines disagree on, control bytes shown as '.' to keep TAP intact. */
static void wsg_show(const struct wsg_line *l)
{
	char p[121];
	size_t n = l->len < 120 ? l->len : 120;

	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)l->s[i] < 0x20 || l->s[i] == 0x7f ? '.' : l->s[i];
	p[n] = 0;
	printf("#   %-14s %-22s crs %6d/%6d wsguard %-9s %s\n", wsg_kind_names[l->kind], l->id,
	       l->crs[0], l->crs[1], l->wsg_rule ?: "-", p);
}

/*
 * Loads the corpus, runs both engines over the same lines and prints the table: 1 done,
 * 0 the corpus or CRS is not installed, -1 an engine did not start (wsg_crs_err says why).
 */
static int wsg_run(void)
{
	const char *env = getenv("WSG_CRS_STRIDE");
	struct wsg_clock c;
	int r;

	if (wsg_ran)
		return wsg_ran;
	wsg_ran = 0;
	if (env && atoi(env) > 0)
		wsg_stride = (unsigned)atoi(env);
	if (!wsg_find_eval())
		return 0;
	r = wsg_crs_init();
	if (r <= 0)
		return wsg_ran = r;
	wsg_ran = -1;
	if (wsg_inspect_init()) {
		snprintf(wsg_crs_err, sizeof(wsg_crs_err), "wsg_inspect_init failed");
		return -1;
	}
	wsg_load("attacks-dev.jsonl", 1);
	wsg_load("benign-dev.jsonl", 0);
	wsg_clock_start(&c);
	for (size_t i = 0; i < wsg_nlines; i += wsg_stride) {
		struct wsg_finding f = {};
		struct wsg_line *l = &wsg_lines[i];

		l->wsg = wsg_wsg_judge(l->s, l->len, &f);
		l->wsg_rule = l->wsg ? f.rule : NULL;
	}
	wsg_clock_stop(&c);
	wsg_time[WSG_E_WSG] = c;
	for (int e = 0; e < WSG_ENC_COUNT; e++) {
		wsg_clock_start(&c);
		for (size_t i = 0; i < wsg_nlines; i += wsg_stride)
			wsg_lines[i].crs[e] = wsg_crs_judge(e, wsg_lines[i].s, wsg_lines[i].len);
		wsg_clock_stop(&c);
		wsg_time[e] = c;
	}
	wsg_time[WSG_E_CRS].cpu = wsg_time[WSG_E_JSON].cpu + wsg_time[WSG_E_FORM].cpu;
	wsg_time[WSG_E_CRS].wall = wsg_time[WSG_E_JSON].wall + wsg_time[WSG_E_FORM].wall;
	for (size_t i = 0; i < wsg_nlines; i += wsg_stride) {
		const struct wsg_line *l = &wsg_lines[i];
		int b[WSG_E_COUNT] = { !!l->crs[0], !!l->crs[1], l->crs[0] || l->crs[1], l->wsg };

		wsg_judged++;
		wsg_total[l->kind]++;
		wsg_reqbody_err += l->crs[WSG_ENC_JSON] == 200002;
		for (int e = 0; e < WSG_E_COUNT; e++)
			wsg_blocked[e][l->kind] += b[e];
		if (getenv("WSG_CRS_VERBOSE") && b[WSG_E_CRS] != b[WSG_E_WSG])
			wsg_show(l);
	}
	wsg_print();
	wsg_ran = 1;
	return 1;
}

WSG_TEST(crs_sanity)
{
	static const char *const bad[] = { "<script>alert(1)</script>", "1' OR '1'='1" };
	int r = wsg_crs_init();

	if (!r)
		SKIP("CRS 3.3.4 not installed (" WSG_CRS_SETUP ", " WSG_CRS_RULES ")");
	REQUIRE(r > 0, "ModSecurity did not load CRS: %s", wsg_crs_err);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (int e = 0; e < WSG_ENC_COUNT; e++) {
			int rule = wsg_crs_judge(e, bad[i], strlen(bad[i]));

			CHECK(rule == 949110, "CRS %s %s: rule %d, want the anomaly block 949110",
			      e ? "form" : "JSON", bad[i], rule);
		}
	for (int e = 0; e < WSG_ENC_COUNT; e++)
		CHECK(!wsg_crs_judge(e, "hello world", 11), "CRS blocks hello world as %s",
		      e ? "form" : "JSON");
}

/*
 * SKIP without the corpus or CRS, or on a sample too sparse to compare (WSG_CRS_STRIDE);
 * an engine that does not start, or a CRS that loads but blocks nothing, is a failure.
 */
#define WSG_RUN_OR_SKIP()                                                                  \
	do {                                                                               \
		int r_ = wsg_run();                                                        \
                                                                                           \
		if (!r_)                                                                   \
			SKIP("eval corpus or CRS 3.3.4 not found (set WSG_EVAL_DIR)");    \
		REQUIRE(r_ > 0, "%s", wsg_crs_err);                                        \
		REQUIRE(wsg_bad == 0, "%u malformed corpus lines", wsg_bad);               \
		if (wsg_total[WSG_K_ATTACK] < 1000 || wsg_total[WSG_K_IRC] < 100 ||       \
		    wsg_total[WSG_K_TRICKY] < 10)                                          \
			SKIP("sample too sparse to compare (WSG_CRS_STRIDE=%u)", wsg_stride); \
		REQUIRE(wsg_rate(WSG_E_CRS, WSG_K_ATTACK) >= 50,                           \
			"CRS blocked only %.2f%% of attacks: it did not really run",       \
			wsg_rate(WSG_E_CRS, WSG_K_ATTACK));                                \
	} while (0)

WSG_TEST(vs_crs_attacks)
{
	WSG_RUN_OR_SKIP();
	CHECK(wsg_rate(WSG_E_WSG, WSG_K_ATTACK) > wsg_rate(WSG_E_CRS, WSG_K_ATTACK),
	      "attacks blocked: wsguard %.2f%%, CRS PL1 %.2f%%", wsg_rate(WSG_E_WSG, WSG_K_ATTACK),
	      wsg_rate(WSG_E_CRS, WSG_K_ATTACK));
}

/* Benign lines against the kinder of the two CRS encodings. */
WSG_TEST(vs_crs_benign)
{
	WSG_RUN_OR_SKIP();
	for (int k = WSG_K_IRC; k <= WSG_K_TRICKY; k++) {
		double crs = wsg_rate(WSG_E_JSON, k) < wsg_rate(WSG_E_FORM, k) ?
				     wsg_rate(WSG_E_JSON, k) : wsg_rate(WSG_E_FORM, k);

		CHECK(wsg_rate(WSG_E_WSG, k) < crs, "%s blocked: wsguard %.2f%%, CRS PL1 %.2f%%",
		      wsg_kind_names[k], wsg_rate(WSG_E_WSG, k), crs);
	}
}
