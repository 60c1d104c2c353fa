// SPDX-License-Identifier: GPL-2.0-only
/*
 * Detector: LDAP filter injection, XML attacks (XXE, DTDs, CDATA smuggling, XSLT, XML data
 * islands, XPath), server-side and edge-side includes, CRLF / header injection, HTTP request
 * smuggling, session fixation and a few generic injections (Perl @{[ ]} interpolation, data:
 * URIs, Django ORM lookup names).
 *
 * Each rule looks for a structure chat does not produce: an LDAP filter closed early and
 * reopened ("admin)(|(uid=*"), an XML declaration or entity definition, "<!--#exec", a line
 * break followed by a response header or a request line. Control characters (CR, LF, TAB)
 * never appear in an anchor (a JSON message spells them "\r", "\n"): rules that need a line
 * break are anchored by the header or protocol name that follows it, as a line anchor
 * (detect.h), which the kernel prefilter pairs with a break it sees in either view.
 */
#include <string.h>
#include "detect.h"

/*
 * Django field lookups ("name__startswith"); each is anchored as "__lookup", except those
 * whose rarest 4-gram snake_case JSON keys share ("d_by" of "created_by", "_key" of
 * "api_key"): "__contained" and "__has_" anchor them.
 */
#define WSG_DJANGO_LOOKUPS(pre)                                                           \
	WSG_DJANGO_ANCHORED(pre), pre "contained_by", pre "has_key", pre "has_keys",          \
	pre "has_any_keys"
#define WSG_DJANGO_ANCHORED(pre)                                                          \
	pre "exact", pre "iexact", pre "contains", pre "icontains", pre "in", pre "gt",        \
	pre "gte", pre "lt", pre "lte", pre "startswith", pre "istartswith", pre "endswith",   \
	pre "iendswith", pre "range", pre "isnull", pre "regex", pre "iregex", pre "search",   \
	pre "overlap", pre "year", pre "month", pre "day", pre "date", pre "week_day",         \
	pre "iso_year", pre "iso_week_day", pre "week", pre "quarter", pre "time", pre "hour", \
	pre "minute", pre "second", pre "trigram_similar", pre "unaccent"

/*
 * LDAP: the close-and-reopen pairs, and a lone filter metacharacter as a JSON string (with a
 * quote it is an anchor, on the side chat rarely puts it: "\")", "|\""; not '(', which chat
 * opens with and ":(" closes with); XML: the markup openers; SSI/ESI: their tag openers;
 * CRLF and smuggling: see wsg_misc_eol_anchors; session
 * fixation: the session cookie names; generic: "@{", data: URIs with a type, Django
 * lookups. '%' (parameter entities) is an escape byte the prefilter already watches.
 */
const char *const wsg_misc_anchors[] = {
	")(", ")!(", ")|(", ")&(", "*(", "*))", "\")", "|\"", "\"&\"",
	"<!doctype", "<!entity", "<!element", "<!attlist", "<?xml", "<![cdata[", "<xml",
	"<xsl:", "<?import", "<xi:include", "/xinclude", "%", "child::", "descendant::", "ancestor::", "::node(",
	"::text(",
	"<!--#", "<esi:", "<!--esi",
	"http-equiv",
	"jsessionid", "phpsessid", "aspsessionid", "asp.net_sessionid", "cftoken",
	"next-auth.session-token", "connect.sid", "laravel_session", "ci_session",
	".cookie=",
	"@{", "data:text/", "data:image/", "data:application/", "data:audio/", "data:video/",
	"data:,", "data:;",
	WSG_DJANGO_ANCHORED("__"), "__contained", "__has_", NULL,
};

/*
 * CRLF and smuggling (crlf-001, proto-001): after a line break, a header name that carries
 * '-' (plain "location:" or "host:" end nick-addressed chat lines) or an HTTP version. They
 * gate only a string that holds a line break, so a STOMP header or a JSON key named
 * "content-type" gates nothing.
 */
const char *const wsg_misc_eol_anchors[] = {
	"set-cookie", "content-length", "content-type", "transfer-encoding", "x-xss-protection",
	"access-control-allow", "content-security-policy", "x-forwarded-", "content-disposition",
	"x-frame-options", "http/1.", "http/0.9", "http/2", NULL,
};

/* Rule ids by index; class, level and description: rules/wsguard.rules.json. */
const char *const wsg_misc_rules[] = {
	"ldap-001",
	"ldap-002",
	"ldap-003",
	"ldap-004",
	"xxe-001",
	"xxe-002",
	"xxe-003",
	"xxe-004",
	"xxe-005",
	"xxe-006",
	"xxe-007",
	"xpath-001",
	"xxe-008",
	"ssi-001",
	"ssi-002",
	"crlf-001",
	"proto-001",
	"proto-002",
	"sfix-001",
	"sfix-002",
	"sfix-003",
	"gen-001",
	"gen-002",
	"gen-003",
	NULL
};

enum {
	WSG_LDAP_REOPEN = 0,
	WSG_LDAP_WILDCARD,
	WSG_LDAP_CLOSE,
	WSG_LDAP_PROBE,
	WSG_XXE_DECL,
	WSG_XXE_DOCTYPE,
	WSG_XXE_PROLOG,
	WSG_XXE_CDATA,
	WSG_XXE_ISLAND,
	WSG_XXE_XSLT,
	WSG_XXE_PENT,
	WSG_XPATH_AXIS,
	WSG_XXE_XINCLUDE,
	WSG_SSI_DIRECTIVE,
	WSG_SSI_ESI,
	WSG_CRLF_HEADER,
	WSG_PROTO_LINE,
	WSG_PROTO_REFRESH,
	WSG_SFIX_PARAM,
	WSG_SFIX_COOKIE,
	WSG_SFIX_META,
	WSG_GEN_PERL,
	WSG_GEN_DATA,
	WSG_GEN_DJANGO,
};

static int wsg_misc_hit(struct wsg_hit *h, int rule, size_t off)
{
	return wsg_rule_hit(h, wsg_misc_rules[rule], off);
}

/* Next occurrence of the literal w in t at or after from; the text length if none. */
static size_t wsg_find(const struct wsg_text *t, size_t from, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	if (from >= t->len)
		return t->len;
	p = memmem(t->s + from, t->len - from, w, n);
	return p ? (size_t)(p - t->s) : t->len;
}

static int wsg_starts(const struct wsg_text *t, size_t i, const char *w)
{
	size_t n = strlen(w);

	return i + n <= t->len && !memcmp(t->s + i, w, n);
}

/* End of the run of word bytes (and those in extra) from i. */
static size_t wsg_word_end(const struct wsg_text *t, size_t i, const char *extra)
{
	while (i < t->len && (wsg_is_word((unsigned char)t->s[i]) ||
			      (t->s[i] && strchr(extra, t->s[i]))))
		i++;
	return i;
}

/*
 * What may open an LDAP filter item: a nested filter, an operator, an empty "(&)" / "(|)",
 * or an attribute with its comparison (=, >=, <=, ~=, := of extensible matches).
 */
static int wsg_ldap_item(const struct wsg_text *t, size_t i)
{
	const char *s = t->s;
	size_t e;

	i = wsg_skip_space(s, t->len, i);
	if (i >= t->len)
		return 0;
	if (strchr("(|&!)", s[i]) && s[i])
		return 1;
	e = wsg_word_end(t, i, "-.;");
	if (e == i || !wsg_is_alpha((unsigned char)s[i]))
		return 0;
	e = wsg_skip_space(s, t->len, e);
	if (e < t->len && s[e] == '=')
		return 1;
	return e + 1 < t->len && strchr("<>~:", s[e]) && s[e] && s[e + 1] == '=';
}

/*
 * ldap-001: a ')' that closes more than the text opened (the value's own filter), directly
 * followed by '(' or by one of '!|&' and '(', and a filter item. A complete filter
 * "(&(a=b)(c=d))" never closes below its start; ":)(" in chat is not followed by an item.
 */
static int wsg_ldap_reopen(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;
	long depth = 0;

	for (size_t i = 0; i < t->len; i++) {
		size_t j = i + 1;

		if (s[i] == '(') {
			depth++;
			continue;
		}
		if (s[i] != ')')
			continue;
		if (depth-- > 0)
			continue;
		if (i > 0 && s[i - 1] == '*' && j < t->len && s[j] == ')')
			return wsg_misc_hit(h, WSG_LDAP_CLOSE, i - 1);
		if (j < t->len && (s[j] == '!' || s[j] == '|' || s[j] == '&'))
			j++;
		if (j < t->len && s[j] == '(' && wsg_ldap_item(t, j + 1))
			return wsg_misc_hit(h, WSG_LDAP_REOPEN, i);
	}
	return 0;
}

/* ldap-002: "*(|(mail=*))", "*(&(", "*()|&": a wildcard value opening a filter operator. */
static int wsg_ldap_wildcard(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;

	for (size_t i = wsg_find(t, 0, "*("); i < t->len; i = wsg_find(t, i + 1, "*(")) {
		size_t j = i + 2;

		if (j + 1 < t->len && strchr("|&!", s[j]) && s[j] && s[j + 1] == '(')
			return wsg_misc_hit(h, WSG_LDAP_WILDCARD, i);
		if (j + 1 < t->len && s[j] == ')' && strchr("|&!", s[j + 1]) && s[j + 1])
			return wsg_misc_hit(h, WSG_LDAP_WILDCARD, i);
	}
	return 0;
}

/*
 * ldap-004: the whole JSON string is one of ) | & ("%29" decoded): the probe that checks
 * whether a filter breaks. "!" and "*" alone are chat ("*" marks a typo fix), and '(' has
 * no anchor chat lacks.
 */
static int wsg_ldap_probe(const struct wsg_text *t, struct wsg_hit *h)
{
	return t->quoted && t->len == 1 && strchr(")|&", t->s[0]) && t->s[0] &&
	       wsg_misc_hit(h, WSG_LDAP_PROBE, 0);
}

static int wsg_ldap(const struct wsg_text *t, struct wsg_hit *h)
{
	return wsg_ldap_reopen(t, h) || wsg_ldap_wildcard(t, h) || wsg_ldap_probe(t, h);
}

/*
 * After PUBLIC: the public id and the system literal; a DTD from anywhere but w3.org (the
 * HTML and XHTML doctypes people paste) is one the parser would fetch for an attacker.
 */
static int wsg_public_dtd(const struct wsg_text *t, size_t i)
{
	const char *s = t->s;
	size_t lit[2];

	for (int k = 0; k < 2; k++) {
		char q;

		i = wsg_skip_space(s, t->len, i);
		if (i >= t->len || (s[i] != '"' && s[i] != '\''))
			return 0;
		q = s[i];
		lit[k] = ++i;
		while (i < t->len && s[i] != q && s[i] != '>')
			i++;
		if (i >= t->len || s[i] != q)
			return 0;
		i++;
	}
	i = lit[1];
	while (i < t->len && s[i] != '"' && s[i] != '\'' && !wsg_starts(t, i, "w3.org/"))
		i++;
	return !wsg_starts(t, i, "w3.org/");
}

/* "<!doctype name [" or "<!doctype name system": a DTD the parser would load or expand. */
static int wsg_xxe_doctype(const struct wsg_text *t, size_t i)
{
	const char *s = t->s;
	size_t j = wsg_skip_space(s, t->len, i + 9), e;

	e = wsg_word_end(t, j, "-.:");
	j = wsg_skip_space(s, t->len, e);
	if (j < t->len && s[j] == '[')
		return 1;
	if (wsg_word_at(s, t->len, j, "system"))
		return 1;
	return wsg_word_at(s, t->len, j, "public") && wsg_public_dtd(t, j + 6);
}

/* The whole value is parameter entity references: "%foo;", "%dtd;%trick;". */
static int wsg_xxe_pentity(const struct wsg_text *t)
{
	const char *s = t->s;
	size_t i = wsg_skip_space(s, t->len, 0), refs = 0;

	while (i < t->len && s[i] == '%') {
		size_t e = wsg_word_end(t, i + 1, "-.");

		if (e - i < 3 || !wsg_is_alpha((unsigned char)s[i + 1]) || e >= t->len ||
		    s[e] != ';')
			return 0;
		refs++;
		i = wsg_skip_space(s, t->len, e + 1);
	}
	return refs && i == t->len;
}

/* A document starts at i: the value opens with it, or it follows another tag's '>'. */
static int wsg_xml_starts(const struct wsg_text *t, size_t i)
{
	while (i > 0 && (wsg_is_space((unsigned char)t->s[i - 1]) || t->s[i - 1] == '"' ||
			 t->s[i - 1] == '\''))
		i--;
	return i == 0 || t->s[i - 1] == '>';
}

static int wsg_xxe_markup(const struct wsg_text *t, size_t i, struct wsg_hit *h)
{
	const char *s = t->s;

	if (wsg_starts(t, i, "<!entity") || wsg_starts(t, i, "<!element") ||
	    wsg_starts(t, i, "<!attlist"))
		return wsg_misc_hit(h, WSG_XXE_DECL, i);
	if (wsg_starts(t, i, "<!doctype") && wsg_xxe_doctype(t, i))
		return wsg_misc_hit(h, WSG_XXE_DOCTYPE, i);
	if (wsg_starts(t, i, "<?xml") && i + 5 < t->len && wsg_is_space(s[i + 5]) &&
	    wsg_xml_starts(t, i))
		return wsg_misc_hit(h, WSG_XXE_PROLOG, i);
	if (wsg_starts(t, i, "<![cdata["))
		return wsg_misc_hit(h, WSG_XXE_CDATA, i);
	if (wsg_starts(t, i, "<xml") && i + 4 < t->len && wsg_is_space(s[i + 4])) {
		size_t j = wsg_skip_space(s, t->len, i + 4), e = wsg_word_end(t, j, "-");

		if (e > j && e < t->len && s[e] == '=')
			return wsg_misc_hit(h, WSG_XXE_ISLAND, i);
	}
	if (wsg_starts(t, i, "<xi:include") && i + 11 < t->len &&
	    (wsg_is_space(s[i + 11]) || s[i + 11] == '/' || s[i + 11] == '>'))
		return wsg_misc_hit(h, WSG_XXE_XINCLUDE, i);
	if ((wsg_starts(t, i, "<xsl:") && i + 5 < t->len && wsg_is_alpha(s[i + 5])) ||
	    (wsg_starts(t, i, "<?import") && wsg_word_at(s, t->len, i + 2, "import")))
		return wsg_misc_hit(h, WSG_XXE_XSLT, i);
	return 0;
}

/* After an XPath axis: a node test that selects anything ("node()", "text()", "*"). */
static int wsg_xpath_any(const struct wsg_text *t, size_t i)
{
	return wsg_starts(t, i, "node(") || wsg_starts(t, i, "text(") ||
	       (i < t->len && t->s[i] == '*');
}

/*
 * XPath axis steps an injected query uses to walk the whole document: "/child::node()",
 * "descendant::*", "self::node()" and the like. C++ scopes ("std::vector") name no axis.
 */
static int wsg_xpath(const struct wsg_text *t, struct wsg_hit *h)
{
	static const char *const axes[] = { "child::", "descendant::", "ancestor::", NULL };
	const char *s = t->s;

	for (size_t k = 0; axes[k]; k++) {
		size_t n = strlen(axes[k]);

		for (size_t i = wsg_find(t, 0, axes[k]); i < t->len;
		     i = wsg_find(t, i + 1, axes[k])) {
			if (i > 0 && wsg_is_word((unsigned char)s[i - 1]))
				continue;
			if ((i > 0 && s[i - 1] == '/') || wsg_xpath_any(t, i + n))
				return wsg_misc_hit(h, WSG_XPATH_AXIS, i);
		}
	}
	for (size_t i = wsg_find(t, 0, "::"); i < t->len; i = wsg_find(t, i + 1, "::"))
		if (i > 0 && wsg_is_alpha((unsigned char)s[i - 1]) &&
		    (wsg_starts(t, i, "::node(") || wsg_starts(t, i, "::text(")))
			return wsg_misc_hit(h, WSG_XPATH_AXIS, i);
	return 0;
}

/* xmlns:xi="http://www.w3.org/2001/xinclude": a document that pulls in other files. */
static int wsg_xinclude_ns(const struct wsg_text *t, struct wsg_hit *h)
{
	size_t i = wsg_find(t, 0, "/xinclude");

	if (i < t->len && wsg_find(t, 0, "xmlns") < i)
		return wsg_misc_hit(h, WSG_XXE_XINCLUDE, i);
	return 0;
}

/* Apache / nginx SSI directives. */
static const char *const wsg_ssi_directives[] = {
	"exec", "include", "echo", "printenv", "config", "fsize", "flastmod", "set", "if",
	"elif", "else", "endif", "block", NULL,
};

/* "<!--#exec", "<!--# include" and "<esi:include", "<esi:vars", "<esi:debug/>". */
static int wsg_ssi(const struct wsg_text *t, size_t i, struct wsg_hit *h)
{
	const char *s = t->s;
	size_t j, e;

	if (wsg_starts(t, i, "<!--#")) {
		j = wsg_skip_space(s, t->len, i + 5);
		e = wsg_word_end(t, j, "");
		if (wsg_in_list(wsg_ssi_directives, s + j, e - j) >= 0)
			return wsg_misc_hit(h, WSG_SSI_DIRECTIVE, i);
	}
	if (wsg_starts(t, i, "<esi:") && i + 5 < t->len && wsg_is_alpha(s[i + 5]))
		return wsg_misc_hit(h, WSG_SSI_ESI, i);
	/* "<!--esi $add_header(...) -->": ESI code hidden from non-ESI caches */
	if (wsg_starts(t, i, "<!--esi") && i + 7 < t->len && wsg_is_space(s[i + 7]))
		return wsg_misc_hit(h, WSG_SSI_ESI, i);
	return 0;
}

static int wsg_markup(const struct wsg_text *t, struct wsg_hit *h)
{
	for (size_t i = wsg_find(t, 0, "<"); i < t->len; i = wsg_find(t, i + 1, "<"))
		if (wsg_xxe_markup(t, i, h) || wsg_ssi(t, i, h))
			return 1;
	return 0;
}

/* Response and request headers a split or smuggled message sets. */
static const char *const wsg_headers[] = {
	"set-cookie", "content-length", "content-type", "transfer-encoding",
	"x-xss-protection", "access-control-allow-origin", "access-control-allow-credentials",
	"content-security-policy", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
	"content-disposition", "x-frame-options", NULL,
};

/* A line break just before i, with blanks between. */
static int wsg_after_break(const struct wsg_text *t, size_t i)
{
	while (i > 0 && (t->s[i - 1] == ' ' || t->s[i - 1] == '\t'))
		i--;
	return i > 0 && (t->s[i - 1] == '\n' || t->s[i - 1] == '\r');
}

static const char *const wsg_stomp_commands[] = {
	"send", "subscribe", "unsubscribe", "begin", "commit", "abort", "ack", "nack",
	"disconnect", "connect", "stomp", "connected", "message", "receipt", "error", NULL,
};

/*
 * The text is a protocol message in its own right, not a value with lines smuggled into it:
 * its first line is an HTTP start line, a header ("name: value") or a STOMP command. A
 * pasted "curl -v" transcript or a STOMP frame inspected as text has header lines too.
 */
static int wsg_protocol_text(const struct wsg_text *t)
{
	const char *s = t->s;
	size_t b = wsg_skip_space(s, t->len, 0), e = b, w;

	while (e < t->len && s[e] != '\r' && s[e] != '\n')
		e++;
	if (e == t->len)
		return 0;
	if (memmem(s + b, e - b, "http/", 5))
		return 1;
	w = wsg_word_end(t, b, "-");
	if (w > b && w < e && s[w] == ':')
		return 1;
	return w > b && wsg_skip_space(s, e, w) == e &&
	       wsg_in_list(wsg_stomp_commands, s + b, w - b) >= 0;
}

/* crlf-001: a line break, then "Header-Name:" of a known response or request header. */
static int wsg_crlf(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;

	if (wsg_protocol_text(t))
		return 0;

	for (size_t k = 0; wsg_headers[k]; k++) {
		size_t n = strlen(wsg_headers[k]);

		for (size_t i = wsg_find(t, 0, wsg_headers[k]); i < t->len;
		     i = wsg_find(t, i + 1, wsg_headers[k])) {
			size_t j = wsg_skip_space(s, t->len, i + n);

			if (j < t->len && s[j] == ':' && wsg_after_break(t, i))
				return wsg_misc_hit(h, WSG_CRLF_HEADER, i);
		}
	}
	return 0;
}

static const char *const wsg_methods[] = {
	"get", "post", "head", "put", "delete", "options", "trace", "connect", "patch", NULL,
};

/*
 * proto-001: after a line break, "METHOD target HTTP/x" (a smuggled request) or
 * "HTTP/x.y nnn" (a split response). "get it\n" or "\r\nget /foo" lack the version.
 */
static int wsg_proto(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;

	if (wsg_protocol_text(t))
		return 0;

	for (size_t v = wsg_find(t, 0, "http/"); v < t->len; v = wsg_find(t, v + 1, "http/")) {
		size_t i, m;

		if (!wsg_starts(t, v, "http/1.") && !wsg_starts(t, v, "http/2") &&
		    !wsg_starts(t, v, "http/0.9"))
			continue;
		if (wsg_after_break(t, v)) {
			m = wsg_skip_space(s, t->len, wsg_word_end(t, v + 5, "."));
			if (m + 3 <= t->len && wsg_is_digit(s[m]) && wsg_is_digit(s[m + 1]) &&
			    wsg_is_digit(s[m + 2]))
				return wsg_misc_hit(h, WSG_PROTO_LINE, v);
		}
		/* back over " target " to the method at a line start */
		if (v == 0 || s[v - 1] != ' ')
			continue;
		i = v - 1;
		while (i > 0 && s[i - 1] == ' ')
			i--;
		while (i > 0 && !wsg_is_space((unsigned char)s[i - 1]))
			i--;
		if (i == 0 || s[i - 1] != ' ')
			continue;
		m = i - 1;
		while (m > 0 && s[m - 1] == ' ')
			m--;
		i = m;
		while (i > 0 && wsg_is_alpha((unsigned char)s[i - 1]))
			i--;
		if (wsg_in_list(wsg_methods, s + i, m - i) >= 0 && wsg_after_break(t, i))
			return wsg_misc_hit(h, WSG_PROTO_LINE, i);
	}
	return 0;
}

/* Session cookies of the common server stacks. */
static const char *const wsg_session_names[] = {
	"jsessionid", "phpsessid", "aspsessionid", "asp.net_sessionid", "cftoken",
	"next-auth.session-token", "connect.sid", "laravel_session", "ci_session", NULL,
};

/*
 * The whole value is one cookie-name token that ends with the name at [i, e):
 * "jsessionid", "__secure-next-auth.session-token".
 */
static int wsg_cookie_token(const struct wsg_text *t, size_t i, size_t e)
{
	size_t b = wsg_skip_space(t->s, t->len, 0);

	if (wsg_skip_space(t->s, t->len, e) != t->len)
		return 0;
	while (b < i && (wsg_is_word((unsigned char)t->s[b]) || t->s[b] == '.' || t->s[b] == '-'))
		b++;
	return b == i;
}

/*
 * sfix-001: a session cookie name that is the whole value (the parameter's name) or is
 * given a value ("jsessionid=...", ";jsessionid=" in a URL path); in prose ("my PHPSESSID
 * cookie expires") it passes.
 */
static int wsg_session_param(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;

	for (size_t k = 0; wsg_session_names[k]; k++) {
		const char *name = wsg_session_names[k];
		size_t n = strlen(name);

		for (size_t i = wsg_find(t, 0, name); i < t->len; i = wsg_find(t, i + 1, name)) {
			size_t e = i + n;

			if (i > 0 && wsg_is_alpha((unsigned char)s[i - 1]))
				continue;
			/* "aspsessionidqsbqdqtc": IIS appends a per-process suffix */
			if (!strcmp(name, "aspsessionid"))
				e = wsg_word_end(t, e, "");
			if (wsg_cookie_token(t, i, e))
				return wsg_misc_hit(h, WSG_SFIX_PARAM, i);
			e = wsg_skip_space(s, t->len, e);
			if (e < t->len && s[e] == '=' && (e + 1 == t->len || s[e + 1] != '='))
				return wsg_misc_hit(h, WSG_SFIX_PARAM, i);
		}
	}
	return 0;
}

/* Cookie attributes that scope a planted cookie to the victim's site. */
static const char *const wsg_cookie_attrs[] = { "domain", "expires", "path", "max-age", NULL };

/*
 * sfix-002: "document.cookie='phpsessid=...'", "x.cookie='sid=1;domain=.example.com'": a
 * script that plants a session cookie, or any cookie scoped to a domain or lifetime.
 */
static int wsg_session_cookie(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;

	for (size_t c = wsg_find(t, 0, ".cookie="); c < t->len; c = wsg_find(t, c + 1, ".cookie=")) {
		size_t j = c + 8;

		if (j < t->len && s[j] == '=')
			continue;
		for (size_t k = 0; wsg_session_names[k]; k++)
			if (wsg_find(t, j, wsg_session_names[k]) < t->len)
				return wsg_misc_hit(h, WSG_SFIX_COOKIE, c);
		for (size_t i = wsg_find(t, j, ";"); i < t->len; i = wsg_find(t, i + 1, ";")) {
			size_t a = wsg_skip_space(s, t->len, i + 1), e = wsg_word_end(t, a, "-");

			if (wsg_in_list(wsg_cookie_attrs, s + a, e - a) >= 0 &&
			    wsg_skip_space(s, t->len, e) < t->len &&
			    s[wsg_skip_space(s, t->len, e)] == '=')
				return wsg_misc_hit(h, WSG_SFIX_COOKIE, c);
		}
	}
	return 0;
}

/*
 * <meta http-equiv="set-cookie" ...> plants a cookie (sfix-003); http-equiv="refresh"
 * redirects (proto-002).
 */
static int wsg_http_equiv(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;

	for (size_t i = wsg_find(t, 0, "http-equiv"); i < t->len;
	     i = wsg_find(t, i + 1, "http-equiv")) {
		size_t j = wsg_skip_space(s, t->len, i + 10);

		if (j >= t->len || s[j] != '=')
			continue;
		j = wsg_skip_space(s, t->len, j + 1);
		if (j < t->len && (s[j] == '"' || s[j] == '\''))
			j++;
		if (wsg_word_at(s, t->len, j, "set-cookie"))
			return wsg_misc_hit(h, WSG_SFIX_META, i);
		if (wsg_word_at(s, t->len, j, "refresh"))
			return wsg_misc_hit(h, WSG_PROTO_REFRESH, i);
	}
	return 0;
}

/* gen-001: "@{[ ... ]}" evaluates Perl code inside an interpolated string. */
static int wsg_perl_interp(const struct wsg_text *t, struct wsg_hit *h)
{
	for (size_t i = wsg_find(t, 0, "@{"); i < t->len; i = wsg_find(t, i + 1, "@{")) {
		size_t j = wsg_skip_space(t->s, t->len, i + 2);

		if (j < t->len && t->s[j] == '[')
			return wsg_misc_hit(h, WSG_GEN_PERL, i);
	}
	return 0;
}

static const char *const wsg_media_types[] = {
	"text", "image", "application", "audio", "video", NULL,
};

/* gen-002: "data:type/subtype[;...]," or "data:,": content smuggled as a URI. */
static int wsg_data_uri(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;

	for (size_t i = wsg_find(t, 0, "data:"); i < t->len; i = wsg_find(t, i + 1, "data:")) {
		size_t j = i + 5, e;

		if (i > 0 && (wsg_is_word((unsigned char)s[i - 1]) || s[i - 1] == '-'))
			continue;
		if (j < t->len && (s[j] == ',' || s[j] == ';'))
			return wsg_misc_hit(h, WSG_GEN_DATA, i);
		e = wsg_word_end(t, j, "");
		if (e >= t->len || s[e] != '/' || wsg_in_list(wsg_media_types, s + j, e - j) < 0)
			continue;
		j = e + 1;
		e = wsg_word_end(t, j, ".+-");
		if (e > j)
			return wsg_misc_hit(h, WSG_GEN_DATA, i);
	}
	return 0;
}

static const char *const wsg_django_lookups[] = { WSG_DJANGO_LOOKUPS(""), NULL };

/*
 * gen-003: the whole value is a Django lookup path, "password__isnull",
 * "user__profile__name__istartswith": a filter argument name supplied by the client. Prose
 * that mentions one ("filter by name__startswith") passes.
 */
static int wsg_django(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;
	size_t b = wsg_skip_space(s, t->len, 0), e = wsg_word_end(t, b, ""), last = 0;

	if (e == b || !wsg_is_alpha((unsigned char)s[b]) || wsg_skip_space(s, t->len, e) != t->len)
		return 0;
	for (size_t i = b + 1; i + 2 < e; i++)
		if (s[i] == '_' && s[i + 1] == '_' && s[i + 2] != '_' && s[i - 1] != '_')
			last = i + 2;
	if (last && wsg_in_list(wsg_django_lookups, s + last, e - last) >= 0)
		return wsg_misc_hit(h, WSG_GEN_DJANGO, b);
	return 0;
}

int wsg_detect_misc(const struct wsg_text *t, struct wsg_hit *h)
{
	if (wsg_xxe_pentity(t))
		return wsg_misc_hit(h, WSG_XXE_PENT, 0);
	return wsg_markup(t, h) || wsg_ldap(t, h) || wsg_xpath(t, h) ||
	       wsg_xinclude_ns(t, h) || wsg_crlf(t, h) || wsg_proto(t, h) || wsg_http_equiv(t, h) || wsg_session_param(t, h) || wsg_session_cookie(t, h) || wsg_perl_interp(t, h) || wsg_data_uri(t, h) ||
	       wsg_django(t, h);
}
