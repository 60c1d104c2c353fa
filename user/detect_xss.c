// SPDX-License-Identifier: GPL-2.0-only
/*
 * XSS detector: markup that runs script (dangerous tags, event-handler and other active
 * attributes inside a tag, script URLs, CSS expressions and injected style), script sinks and
 * DOM access from an injection context, and the same markup behind confusable brackets.
 * Prose with '<' (maths, "<3", "<b>" and other harmless tags) passes.
 */
#include <stdlib.h>
#include <string.h>
#include "detect.h"

/*
 * Event handlers a browser runs, each with the tail of "name=" that anchors it: outside a tag
 * a handler counts only when it is one of these followed right by '=', and a tail ending in
 * the rare '=' keeps the prefilter off chat text.
 */
#define WSG_XSS_HANDLERS(X)                                                               \
	X("onload", "oad=") X("onerror", "ror=") X("onmouseover", "ver=")                        \
	X("onmouseout", "out=") X("onmousemove", "ove=") X("onmousedown", "own=")                \
	X("onmouseup", "eup=") X("onmouseenter", "ter=") X("onmouseleave", "ave=")               \
	X("onmousewheel", "eel=") X("onclick", "ick=") X("ondblclick", "ick=")                   \
	X("onauxclick", "ick=") X("oncontextmenu", "enu=") X("onfocus", "cus=")                  \
	X("onfocusin", "sin=") X("onfocusout", "out=") X("onblur", "lur=")                       \
	X("onpointerover", "ver=") X("onpointerenter", "ter=") X("onpointerdown", "own=")        \
	X("onpointerup", "rup=") X("onpointermove", "ove=") X("onpointerout", "out=")            \
	X("onpointerleave", "ave=") X("onpointerrawupdate", "ate=")                              \
	X("onanimationstart", "art=") X("onanimationend", "end=")                                \
	X("onanimationiteration", "ion=") X("ontransitionend", "end=")                           \
	X("ontransitionstart", "art=") X("ontransitionrun", "run=")                              \
	X("ontransitioncancel", "cel=") X("ontoggle", "gle=") X("onbegin", "gin=")               \
	X("onend", "end=") X("onrepeat", "eat=") X("onreadystatechange", "nge=")                 \
	X("onpropertychange", "nge=") X("onfilterchange", "nge=") X("onscroll", "oll=")          \
	X("onscrollend", "end=") X("onresize", "ize=") X("onbeforeunload", "oad=")               \
	X("onbeforeprint", "int=") X("onafterprint", "int=") X("onbeforescriptexecute", "ute=")  \
	X("onafterscriptexecute", "ute=") X("onbeforeactivate", "ate=") X("onactivate", "ate=")  \
	X("ondeactivate", "ate=") X("onbeforecopy", "opy=") X("onbeforecut", "cut=")             \
	X("onbeforepaste", "ste=") X("onbeforeinput", "put=") X("onunload", "oad=")              \
	X("onpageshow", "how=") X("onpagehide", "ide=") X("onpopstate", "ate=")                  \
	X("onhashchange", "nge=") X("oninput", "put=") X("onchange", "nge=")                     \
	X("onkeyup", "yup=") X("onkeydown", "own=") X("onkeypress", "ess=") X("ondrag", "rag=")  \
	X("ondragstart", "art=") X("ondragend", "end=") X("ondragenter", "ter=")                 \
	X("ondragleave", "ave=") X("ondragover", "ver=") X("ondrop", "rop=")                     \
	X("onpaste", "ste=") X("oncopy", "opy=") X("oncut", "cut=") X("ontouchstart", "art=")    \
	X("ontouchend", "end=") X("ontouchmove", "ove=") X("ontouchcancel", "cel=")              \
	X("onwheel", "eel=") X("onselect", "ect=") X("onselectstart", "art=")                    \
	X("onselectionchange", "nge=") X("onsubmit", "mit=") X("onreset", "set=")                \
	X("onmessage", "age=") X("onformchange", "nge=") X("onforminput", "put=")                \
	X("onfinish", "ish=") X("onstart", "art=") X("onplay", "lay=") X("onplaying", "ing=")    \
	X("onpause", "use=") X("onended", "ded=") X("oncanplay", "lay=")                         \
	X("oncanplaythrough", "ugh=") X("onloadstart", "art=") X("onloadeddata", "ata=")         \
	X("onloadedmetadata", "ata=") X("onloadend", "end=") X("onprogress", "ess=")             \
	X("ontimeupdate", "ate=") X("onvolumechange", "nge=") X("onseeking", "ing=")             \
	X("onseeked", "ked=") X("onwaiting", "ing=") X("onsearch", "rch=")                       \
	X("oninvalid", "lid=") X("onshow", "how=") X("onhelp", "elp=") X("onmove", "ove=")       \
	X("onlosecapture", "ure=") X("onstorage", "age=") X("onoffline", "ine=")                 \
	X("ononline", "ine=") X("onorientationchange", "nge=") X("onfullscreenchange", "nge=")   \
	X("onsuspend", "end=") X("onemptied", "ied=") X("onstalled", "led=")                     \
	X("onratechange", "nge=") X("ondurationchange", "nge=") X("oncuechange", "nge=")         \
	X("onabort", "ort=") X("onclose", "ose=") X("oncancel", "cel=")                          \
	X("onwebkitanimationstart", "art=") X("onwebkitanimationend", "end=")                    \
	X("onwebkitanimationiteration", "ion=") X("onwebkittransitionend", "end=")               \
	X("onwebkitplaybacktargetavailabilitychanged", "ged=")
#define WSG_XSS_NAME(n, tail) n,
#define WSG_XSS_TAIL(n, tail) tail,

/*
 * Markup ("<x", "</", "<!", "<?xml-stylesheet"), script URLs ("script:", also when a tab or
 * newline URL parsers drop splits the scheme before it; data: types), calls ("alert("),
 * template literals, a value that is a lone '<' ("\"<\"", the probe that checks whether
 * markup is reflected), "alert" for calls that hide their parentheses ("top['alert'](1)",
 * "(alert)(1)"), handler tails, DOM and global-object access, JSFuck and XML namespaces.
 * Anchors are printable ASCII: markup behind fullwidth brackets counts when it holds a call.
 */
const char *const wsg_xss_anchors[] = {
	WSG_LETTERS("<", ""), "</", "<!", "<?xml-stylesheet", "\"javascript", "vbscript",
	"script:", "mocha:", "data:text/", "data:image/svg", "data:application/",
	WSG_LETTERS("", "("), "`", "\"<\"", "alert", WSG_XSS_HANDLERS(WSG_XSS_TAIL)
	"document.", "document[", "document)", "document/*", "top[", "self[", "window[",
	"parent[", "frames[", "globalthis[", "![]+", "![])", "![]]", "![][",
	"![] ", "xmlns", NULL,
};

static const char *const wsg_xss_handlers[] = { WSG_XSS_HANDLERS(WSG_XSS_NAME) NULL };

enum {
	WSG_XSS_SCRIPT,
	WSG_XSS_TAG,
	WSG_XSS_HANDLER,
	WSG_XSS_URL,
	WSG_XSS_SINK,
	WSG_XSS_BREAK,
	WSG_XSS_CSS,
	WSG_XSS_PROBE,
	WSG_XSS_WRAPPED,
	WSG_XSS_DOM,
	WSG_XSS_JSFUCK,
	WSG_XSS_ATTR,
	WSG_XSS_CONFUSABLE,
	WSG_XSS_COMMENT,
};

/* Rule ids by index; class, level and description: rules/wsguard.rules.json. */
const char *const wsg_xss_rules[] = {
	[WSG_XSS_SCRIPT] = "xss-001",
	[WSG_XSS_TAG] = "xss-002",
	[WSG_XSS_HANDLER] = "xss-003",
	[WSG_XSS_URL] = "xss-004",
	[WSG_XSS_SINK] = "xss-005",
	[WSG_XSS_BREAK] = "xss-006",
	[WSG_XSS_CSS] = "xss-007",
	[WSG_XSS_PROBE] = "xss-008",
	[WSG_XSS_WRAPPED] = "xss-009",
	[WSG_XSS_DOM] = "xss-010",
	[WSG_XSS_JSFUCK] = "xss-011",
	[WSG_XSS_ATTR] = "xss-012",
	[WSG_XSS_CONFUSABLE] = "xss-013",
	[WSG_XSS_COMMENT] = "xss-014",
	NULL
};

static const char *const wsg_xss_tags[] = {
	"script", "iframe", "frame", "frameset", "object", "embed", "applet", "meta", "base",
	"svg", "math", "xml", "import", "isindex", "bgsound", "layer", "ilayer", "vmlframe",
	"portal", "xss", "xmp", "noscript", "template", "animate", "set", "handler", "listener",
	"style", "link", "form", "body", "html", "head", "input", "button", "textarea", "image",
	"feimage", "marquee", "dialog", "title", "keygen", "stylesheet", "foreignobject",
	"animatemotion", "animatetransform", NULL,
};

/* Attributes that load or run content whatever their value. */
static const char *const wsg_xss_active_attrs[] = {
	"datasrc", "dataformatas", "datafld", "srcdoc", "formaction", "allowscriptaccess",
	"ev:handler", "ev:event", "xlink:href", NULL,
};

static const char *const wsg_xss_sinks[] = {
	"alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "execscript",
	"fromcharcode", "atob", "btoa", "constructor", "write", "writeln", "fetch", "function",
	"import", "top", "self", "parent", "open", "unescape", "decodeuri",
	"decodeuricomponent", "showmodaldialog", "location", NULL,
};

/* What "document." may be followed by to read as DOM access rather than a file name. */
static const char *const wsg_xss_dom[] = {
	"cookie", "domain", "write", "writeln", "location", "body", "head", "title", "url",
	"referrer", "documenturi", "baseuri", "documentelement", "createelement",
	"queryselector", "queryselectorall", "getelementbyid", "getelementsbytagname",
	"getelementsbyclassname", "getelementsbyname", "forms", "images", "scripts", "links",
	"all", "execcommand", "defaultview", "open", "implementation", NULL,
};

/* Globals whose computed member is called: "top[...](1)". */
static const char *const wsg_xss_globals[] = {
	"top", "self", "window", "parent", "frames", "globalthis", NULL,
};

int wsg_in_list(const char *const *list, const char *w, size_t n)
{
	if (!n)
		return -1;
	/* the first byte rules out almost every entry without a strlen of each */
	for (int i = 0; list[i]; i++)
		if (list[i][0] == w[0] && strnlen(list[i], n + 1) == n && !memcmp(list[i], w, n))
			return i;
	return -1;
}

static int wsg_xss_hit(struct wsg_hit *h, int rule, size_t off)
{
	return wsg_rule_hit(h, wsg_xss_rules[rule], off);
}

/* s[i..] starts with w. */
static int wsg_xss_at(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = strlen(w);

	return i + n <= len && !memcmp(s + i, w, n);
}

/* Bytes a browser ignores or treats as space inside a tag. */
static int wsg_xss_blank(unsigned char c)
{
	return c <= 0x20;
}

/* Bytes URL parsers drop anywhere in a URL, so they may split a scheme. */
static int wsg_xss_url_blank(unsigned char c)
{
	return c == '\t' || c == '\n' || c == '\r';
}

static int wsg_xss_quote(unsigned char c)
{
	return c == '"' || c == '\'' || c == '`';
}

/* An on* attribute at s[i] ("onerror =", "onload=")? Its name ends at *end. */
static int wsg_xss_handler(const char *s, size_t len, size_t i, size_t *end)
{
	size_t j = i + 2;

	if (i + 2 >= len || s[i] != 'o' || s[i + 1] != 'n')
		return 0;
	while (j < len && wsg_is_alpha((unsigned char)s[j]))
		j++;
	if (j - i < 5)
		return 0;
	if (end)
		*end = j;
	while (j < len && wsg_xss_blank((unsigned char)s[j]))
		j++;
	return j < len && s[j] == '=';
}

/* A known handler at s[i] right before its '=' ("onload="): the anchor. */
static int wsg_xss_known_handler(const char *s, size_t len, size_t i)
{
	size_t j = i;

	while (j < len && wsg_is_alpha((unsigned char)s[j]))
		j++;
	return j < len && s[j] == '=' && wsg_in_list(wsg_xss_handlers, s + i, j - i) >= 0;
}

/* The attribute value after the name ending at i: [*v, *e), quotes excluded; 0 if none. */
static int wsg_xss_value(const char *s, size_t len, size_t i, size_t *v, size_t *e)
{
	i = wsg_skip_space(s, len, i);
	if (i >= len || s[i] != '=')
		return 0;
	i = wsg_skip_space(s, len, i + 1);
	if (i < len && (s[i] == '"' || s[i] == '\'')) {
		const char *q = memchr(s + i + 1, s[i], len - i - 1);

		*v = i + 1;
		*e = q ? (size_t)(q - s) : len;
		return 1;
	}
	*v = i;
	while (i < len && !wsg_xss_blank((unsigned char)s[i]) && s[i] != '>')
		i++;
	*e = i;
	return 1;
}

/*
 * A style value that does more than set plain properties: url() loads, expression() and
 * bindings run, and escapes, control bytes, braces and comments are parser tricks.
 */
static int wsg_xss_css_value(const char *s, size_t n)
{
	static const char *const pats[] = {
		"url(", "expression", "behavior", "behaviour", "binding", "/*", NULL,
	};

	for (size_t i = 0; i < n; i++)
		if (s[i] == '\\' || s[i] == '{' || s[i] == '}' || (unsigned char)s[i] < 0x20)
			return 1;
	for (int k = 0; pats[k]; k++)
		if (memmem(s, n, pats[k], strlen(pats[k])))
			return 1;
	return 0;
}

/*
 * One attribute at s[i] of a tag: a handler (a known one when strict), an active
 * attribute or a style that injects CSS. Returns the rule or -1.
 */
static int wsg_xss_attr(const char *s, size_t len, size_t i, int strict)
{
	size_t j = i, v, e;

	if (strict ? wsg_xss_known_handler(s, len, i) : wsg_xss_handler(s, len, i, NULL))
		return WSG_XSS_HANDLER;
	if (strict)
		return -1;
	while (j < len && (wsg_is_alpha((unsigned char)s[j]) || s[j] == ':' || s[j] == '-'))
		j++;
	if (j == i || (j < len && !wsg_xss_blank((unsigned char)s[j]) && s[j] != '=' &&
		       s[j] != '>' && s[j] != '/'))
		return -1;
	if (wsg_in_list(wsg_xss_active_attrs, s + i, j - i) >= 0)
		return WSG_XSS_ATTR;
	if (j - i == 5 && !memcmp(s + i, "style", 5) && wsg_xss_value(s, len, j, &v, &e) &&
	    wsg_xss_css_value(s + v, e - v))
		return WSG_XSS_CSS;
	return -1;
}

/* Scan the attributes of the tag whose name ends at i; returns the rule or -1. */
static int wsg_xss_attrs(const char *s, size_t len, size_t i, int strict, size_t *at)
{
	for (; i < len && s[i] != '>' && s[i] != '<'; i++) {
		unsigned char p = (unsigned char)s[i - 1];
		int r;

		if (!wsg_xss_blank(p) && p != '/' && !wsg_xss_quote(p))
			continue;
		r = wsg_xss_attr(s, len, i, strict);
		if (r >= 0) {
			*at = i;
			return r;
		}
	}
	return -1;
}

/*
 * A tag name spelt as single letters between blanks ("<f o r m"), collapsed into w.
 * Returns the number of letters.
 */
static size_t wsg_xss_spaced_name(const char *s, size_t len, size_t j, char *w, size_t cap)
{
	size_t n = 0;

	while (j < len && wsg_is_alpha((unsigned char)s[j]) && n < cap) {
		w[n++] = s[j];
		if (j + 1 == len || s[j + 1] == '>' || s[j + 1] == '/')
			break;
		if (j + 2 >= len || !wsg_xss_blank((unsigned char)s[j + 1]) ||
		    !wsg_is_alpha((unsigned char)s[j + 2]))
			return j + 1 < len && wsg_xss_blank((unsigned char)s[j + 1]) ? n : 0;
		j += 2;
	}
	return n;
}

/* "<!" at s[i]: a conditional comment, or a comment or doctype that opens the markup. */
static int wsg_xss_bang(const char *s, size_t len, size_t i, struct wsg_hit *h)
{
	size_t b = i;

	if (wsg_xss_at(s, len, i, "<!--[if") || wsg_xss_at(s, len, i, "<![if") ||
	    wsg_xss_at(s, len, i, "<![endif"))
		return wsg_xss_hit(h, WSG_XSS_COMMENT, i);
	while (b > 0 && wsg_is_space((unsigned char)s[b - 1]))
		b--;
	if (wsg_xss_at(s, len, i, "<!--") && (b == 0 || s[b - 1] == '>'))
		return wsg_xss_hit(h, WSG_XSS_COMMENT, i);
	if (wsg_xss_at(s, len, i, "<!doctype") && b > 0 && s[b - 1] == '>')
		return wsg_xss_hit(h, WSG_XSS_COMMENT, i);
	return 0;
}

/*
 * An <?xml-stylesheet?> at s[i] that styles the page with itself (href="#...") or follows
 * injected markup; a plain stylesheet reference opening an XML document is not XSS.
 */
static int wsg_xss_stylesheet_pi(const char *s, size_t len, size_t i)
{
	const char *e = memmem(s + i, len - i, "?>", 2), *href;
	size_t end = e ? (size_t)(e - s) : len, v, ve;

	if (i > 0 && s[i - 1] == '>')
		return 1;
	href = memmem(s + i, end - i, "href", 4);
	return href && wsg_xss_value(s, end, (size_t)(href - s) + 4, &v, &ve) && v < ve &&
	       s[v] == '#';
}

/*
 * '<' followed by quotes or slashes instead of a name ("<\"onx=", "</onx=", "<// style="):
 * its attributes still count; after anything but "</" only known handlers do.
 */
static int wsg_xss_nameless(const char *s, size_t len, size_t i, struct wsg_hit *h)
{
	size_t j = i + 1, at;
	int r;

	while (j < len && (s[j] == '/' || wsg_xss_quote((unsigned char)s[j])))
		j++;
	if (j == i + 1 || j >= len)
		return 0;
	if (!wsg_xss_handler(s, len, j, NULL) && !wsg_xss_blank((unsigned char)s[j]))
		return 0;
	r = wsg_xss_attrs(s, len, j, s[i + 1] != '/', &at);
	return r >= 0 ? wsg_xss_hit(h, r, at) : 0;
}

/* A tag opening at s[i] == '<'. */
static int wsg_xss_tag(const char *s, size_t len, size_t i, struct wsg_hit *h)
{
	size_t j = i + 1, name, at;
	char w[16];
	int r;

	if (j < len && s[j] == '!')
		return wsg_xss_bang(s, len, i, h);
	if (wsg_xss_at(s, len, j, "?xml-stylesheet") && wsg_xss_stylesheet_pi(s, len, i))
		return wsg_xss_hit(h, WSG_XSS_TAG, i);
	if (wsg_xss_nameless(s, len, i, h))
		return 1;
	if (j < len && s[j] == '/')
		j++;
	if (j >= len || !wsg_is_alpha((unsigned char)s[j]))
		return 0;
	name = j;
	r = (int)wsg_xss_spaced_name(s, len, j, w, sizeof(w));
	if (r >= 3 && wsg_in_list(wsg_xss_tags, w, (size_t)r) >= 0)
		return wsg_xss_hit(h, WSG_XSS_TAG, i);
	while (j < len && (wsg_is_word((unsigned char)s[j]) || s[j] == '-' || s[j] == ':')) {
		/* A namespace prefix: "<v:vmlframe", "<xsl:template". */
		if (s[j] == ':')
			name = j + 1;
		j++;
	}
	/* A tag name ends at a blank, '/', '>' or the end of the text. */
	if (j < len && !wsg_xss_blank((unsigned char)s[j]) && s[j] != '/' && s[j] != '>')
		return 0;
	if (wsg_in_list(wsg_xss_tags, s + name, j - name) >= 0)
		return wsg_xss_hit(h, wsg_word_at(s, len, name, "script") ? WSG_XSS_SCRIPT :
					 WSG_XSS_TAG, i);
	r = wsg_xss_attrs(s, len, j, 0, &at);
	if (r >= 0)
		return wsg_xss_hit(h, r, at);
	return 0;
}

/*
 * A script URL scheme ending at the ':' at s[c]; its letters may be split by the bytes URL
 * parsers drop. Returns 0, 1 for a whole scheme, 2 for a split one.
 */
static int wsg_xss_scheme(const char *s, size_t c)
{
	static const char *const schemes[] = { "javascript", "vbscript", "livescript", NULL };
	char w[16];
	size_t n = 0, i = c;
	int split = 0;

	while (i > 0 && n < sizeof(w)) {
		unsigned char ch = (unsigned char)s[i - 1];

		if (wsg_is_alpha(ch))
			w[n++] = (char)ch;
		else if (wsg_xss_url_blank(ch) && n)
			split = 1;
		else
			break;
		i--;
	}
	for (int k = 0; schemes[k]; k++) {
		size_t m = strlen(schemes[k]);

		if (n < m)
			continue;
		for (size_t q = 0; q < m; q++)
			if (w[q] != schemes[k][m - 1 - q])
				goto next;
		/* A split counts before "script:" only: that is the anchor. */
		if ((n == m || !wsg_is_alpha((unsigned char)w[m])) &&
		    (!split || memcmp(s + c - 6, "script", 6) == 0))
			return 1 + split;
next:;
	}
	return 0;
}

/* data: media types a browser renders as a document or runs as script. */
static int wsg_xss_data_type(const char *s, size_t len, size_t i)
{
	static const char *const types[] = {
		"text/html", "image/svg", "text/javascript", "application/javascript",
		"application/x-javascript", "application/ecmascript", "text/ecmascript",
		"application/xhtml", "text/xml", "application/xml", "text/vbscript", NULL,
	};

	for (int k = 0; types[k]; k++)
		if (wsg_xss_at(s, len, i, types[k]))
			return 1;
	return 0;
}

/*
 * The text after "javascript:" reads as a URL body, not prose: no blank, or blanks and
 * then an escape ("javascript: \\t", "javascript: %0a").
 */
static int wsg_xss_url_body(const char *s, size_t len, size_t c)
{
	size_t k = wsg_skip_space(s, len, c + 1);

	if (k >= len)
		return 0;
	return k == c + 1 || s[k] == '\\' || s[k] == '%';
}

static int wsg_xss_url(const char *s, size_t len, struct wsg_hit *h)
{
	for (const char *p = memchr(s, ':', len); p;
	     p = memchr(p + 1, ':', len - (size_t)(p + 1 - s))) {
		size_t c = (size_t)(p - s);
		int sch = wsg_xss_scheme(s, c);

		if (sch == 2 || (sch == 1 && wsg_xss_url_body(s, len, c)))
			return wsg_xss_hit(h, WSG_XSS_URL, c);
		if (c >= 4 && !memcmp(s + c - 4, "data", 4) && wsg_xss_data_type(s, len, c + 1))
			return wsg_xss_hit(h, WSG_XSS_URL, c - 4);
		/* "mocha:" only as an attribute value: elsewhere it is the test runner. */
		if (c >= 6 && !memcmp(s + c - 5, "mocha", 5) && c + 1 < len && s[c + 1] != ' ' &&
		    (s[c - 6] == '=' || s[c - 6] == '"' || s[c - 6] == '\''))
			return wsg_xss_hit(h, WSG_XSS_URL, c - 5);
		if (p + 1 >= s + len)
			break;
	}
	return 0;
}

/* What precedes a sink call at s[i]: 1 if it reads as code, not prose. */
static int wsg_xss_code_before(const char *s, size_t i)
{
	while (i > 0 && wsg_is_space((unsigned char)s[i - 1]))
		i--;
	if (i == 0)
		return 1;
	return strchr(";'\">(=:{}+-|&,`.[!?*", s[i - 1]) != NULL;
}

/* A "." (blanks around it allowed) right before s[i]. */
static int wsg_xss_member(const char *s, size_t i)
{
	while (i > 0 && wsg_is_space((unsigned char)s[i - 1]))
		i--;
	return i > 0 && s[i - 1] == '.';
}

/*
 * The name s[i..j) called at s[k]: by a template '`', or by a '(' right after it (that pair
 * is the anchor) or after blanks when the name is "alert" (its own anchor).
 */
static int wsg_xss_called(const char *s, size_t len, size_t i, size_t j, size_t k)
{
	if (k >= len)
		return 0;
	if (s[k] == '`')
		return 1;
	return s[k] == '(' && (k == j || (j - i == 5 && !memcmp(s + i, "alert", 5)));
}

static int wsg_xss_sink(const char *s, size_t len, struct wsg_hit *h)
{
	for (size_t i = 0; i < len; i++) {
		size_t j = i, k;

		if (!wsg_is_alpha((unsigned char)s[i]) ||
		    (i && wsg_is_word((unsigned char)s[i - 1])))
			continue;
		while (j < len && wsg_is_word((unsigned char)s[j]))
			j++;
		k = wsg_skip_space(s, len, j);
		if (wsg_xss_called(s, len, i, j, k) &&
		    wsg_in_list(wsg_xss_sinks, s + i, j - i) >= 0 &&
		    wsg_xss_code_before(s, i) && (i == 0 || s[i - 1] != '.' || j - i > 4))
			return wsg_xss_hit(h, WSG_XSS_SINK, i);
		/* A tagged template through call/apply: "[].sort.call`${alert}1`". */
		if (k < len && s[k] == '`' && wsg_xss_member(s, i) &&
		    ((j - i == 4 && !memcmp(s + i, "call", 4)) ||
		     (j - i == 5 && !memcmp(s + i, "apply", 5))))
			return wsg_xss_hit(h, WSG_XSS_SINK, i);
		i = j;
	}
	return 0;
}

/*
 * A value that is code rather than a word: quoted, or holding a call, a template or an
 * assignment before its first blank ("onfocus=alert(1)", "onload='x'").
 */
static int wsg_xss_code_value(const char *s, size_t len, size_t end)
{
	size_t v, e;

	if (!wsg_xss_value(s, len, end, &v, &e))
		return 0;
	if (v > 0 && (s[v - 1] == '"' || s[v - 1] == '\''))
		return 1;
	for (size_t i = v; i < e; i++)
		if (s[i] == '(' || s[i] == '`' || s[i] == '=')
			return 1;
	return 0;
}

/*
 * Attribute injection: a quote, optional blanks or '/', then a known on* handler; or a
 * known handler opening the value with code as its value.
 */
static int wsg_xss_attr_break(const char *s, size_t len, struct wsg_hit *h)
{
	size_t j = wsg_skip_space(s, len, 0), end;

	if (wsg_xss_known_handler(s, len, j) && wsg_xss_handler(s, len, j, &end) &&
	    wsg_xss_code_value(s, len, end))
		return wsg_xss_hit(h, WSG_XSS_BREAK, j);
	for (size_t i = 0; i < len; i++) {
		if (!wsg_xss_quote((unsigned char)s[i]))
			continue;
		j = i + 1;
		while (j < len && (wsg_xss_blank((unsigned char)s[j]) || s[j] == '/'))
			j++;
		if (wsg_xss_known_handler(s, len, j))
			return wsg_xss_hit(h, WSG_XSS_BREAK, i);
	}
	return 0;
}

/* Past blanks and CSS/JS comments from s[i]. */
static size_t wsg_xss_skip_comments(const char *s, size_t len, size_t i)
{
	const char *e;

	for (;;) {
		i = wsg_skip_space(s, len, i);
		if (!wsg_xss_at(s, len, i, "/*"))
			return i;
		e = memmem(s + i + 2, len - i - 2, "*/", 2);
		if (!e)
			return len;
		i = (size_t)(e - s) + 2;
	}
}

/*
 * CSS expression(, -moz-binding, behavior: url(). Escaped or commented spellings are left
 * to the style attribute check, which has a tag to anchor it.
 */
static int wsg_xss_css(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const pats[] = {
		"expression(", "-moz-binding", "behavior", "behaviour", "binding", NULL,
	};

	for (int k = 0; pats[k]; k++) {
		size_t n = strlen(pats[k]);

		for (const char *p = memmem(s, len, pats[k], n); p;
		     p = memmem(p + 1, len - (size_t)(p + 1 - s), pats[k], n)) {
			size_t i = (size_t)(p - s), j = wsg_skip_space(s, len, i + n);

			if (i > 0 && !strchr(":=(\"' ;{-", p[-1]))
				continue;
			if (k < 2)
				return wsg_xss_hit(h, WSG_XSS_CSS, i);
			if (j < len && s[j] == ':' &&
			    wsg_xss_at(s, len, wsg_skip_space(s, len, j + 1), "url("))
				return wsg_xss_hit(h, WSG_XSS_CSS, i);
		}
	}
	return 0;
}

/* A letter right before a '(': the anchor of a plain call. */
static int wsg_xss_has_call(const char *s, size_t len)
{
	for (const char *p = memchr(s, '(', len); p;
	     p = memchr(p + 1, '(', len - (size_t)(p + 1 - s))) {
		if (p > s && wsg_is_alpha((unsigned char)p[-1]))
			return 1;
		if (p + 1 >= s + len)
			break;
	}
	return 0;
}

/*
 * A sink name that is not called directly but wrapped: a string key ("top['alert'](1)",
 * self["alert"]), parentheses ("(alert)(1)") or a template hole ("${alert}", "${ alert }"),
 * followed by the call or closing the hole.
 */
static int wsg_xss_wrapped(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const sinks[] = { "alert", "eval", "prompt", "confirm", NULL };
	/* Only "alert" is an anchor: the others need a call or a template beside them. */
	int others = memchr(s, '`', len) || wsg_xss_has_call(s, len);

	for (int k = 0; sinks[k] && (!k || others); k++) {
		size_t n = strlen(sinks[k]);

		for (const char *p = memmem(s, len, sinks[k], n); p;
		     p = memmem(p + 1, len - (size_t)(p + 1 - s), sinks[k], n)) {
			size_t i = (size_t)(p - s), j = i + n, b = i;

			while (b > 0 && wsg_is_space((unsigned char)s[b - 1]))
				b--;
			if (b >= 2 && s[b - 1] == '{' && s[b - 2] == '$' &&
			    wsg_skip_space(s, len, j) < len && s[wsg_skip_space(s, len, j)] == '}')
				return wsg_xss_hit(h, WSG_XSS_WRAPPED, i);
			if (i && strchr("'\"`([", s[i - 1]) && s[i - 1]) {
				if (j < len && (s[j] == '\'' || s[j] == '"' || s[j] == '`'))
					j++;
				if (j < len && (s[j] == ']' || s[j] == ')'))
					j++;
				if (j < len && j > i + n && (s[j] == '(' || s[j] == '`'))
					return wsg_xss_hit(h, WSG_XSS_WRAPPED, i);
			}
			if (p + 1 >= s + len)
				break;
		}
	}
	return 0;
}

/* A DOM member name at s[i] (after optional quote), from the list. */
static int wsg_xss_dom_member(const char *s, size_t len, size_t i)
{
	size_t j;

	if (i < len && (s[i] == '"' || s[i] == '\''))
		i++;
	j = i;
	while (j < len && wsg_is_alpha((unsigned char)s[j]))
		j++;
	return wsg_in_list(wsg_xss_dom, s + i, j - i) >= 0;
}

/*
 * "document" then '.', '[', ')' or a comment, reaching a DOM member: "document.cookie",
 * "(document)[\"cookie\"]", "document.body.appendChild(...)". Not "document.pdf".
 */
static int wsg_xss_document(const char *s, size_t len, struct wsg_hit *h)
{
	for (const char *p = memmem(s, len, "document", 8); p;
	     p = memmem(p + 1, len - (size_t)(p + 1 - s), "document", 8)) {
		size_t i = (size_t)(p - s), j = i + 8;

		if (i > 0 && (wsg_is_word((unsigned char)s[i - 1]) || s[i - 1] == '.'))
			continue;
		if (j >= len || !strchr(".[)/", s[j]))
			continue;
		j = wsg_xss_skip_comments(s, len, j);
		if (j < len && s[j] == ')')
			j = wsg_xss_skip_comments(s, len, j + 1);
		if (j < len && (s[j] == '.' || s[j] == '[') &&
		    wsg_xss_dom_member(s, len, wsg_xss_skip_comments(s, len, j + 1)))
			return wsg_xss_hit(h, WSG_XSS_DOM, i);
		if (p + 1 >= s + len)
			break;
	}
	return 0;
}

/* A global's computed member called right away: "top[/al/.source+/ert/.source](1)". */
static int wsg_xss_global_call(const char *s, size_t len, struct wsg_hit *h)
{
	for (const char *p = memchr(s, '[', len); p;
	     p = memchr(p + 1, '[', len - (size_t)(p + 1 - s))) {
		size_t b = (size_t)(p - s), i = b, j;
		int depth = 0;

		while (i > 0 && wsg_is_alpha((unsigned char)s[i - 1]))
			i--;
		if (i == b || (i > 0 && (wsg_is_word((unsigned char)s[i - 1]) ||
					  s[i - 1] == '.')) ||
		    wsg_in_list(wsg_xss_globals, s + i, b - i) < 0)
			continue;
		for (j = b; j < len; j++) {
			if (s[j] == '[')
				depth++;
			else if (s[j] == ']' && !--depth)
				break;
		}
		if (j + 1 < len && j > b + 1 && (s[j + 1] == '(' || s[j + 1] == '`'))
			return wsg_xss_hit(h, WSG_XSS_DOM, i);
		if (p + 1 >= s + len)
			break;
	}
	return 0;
}

/*
 * JSFuck: "![]" used as a value ("(![]+[])[+[]]"), with more empty arrays around it. A
 * markdown image "![](url)" or "![][ref]" is not.
 */
static int wsg_xss_jsfuck(const char *s, size_t len, struct wsg_hit *h)
{
	const char *p = memmem(s, len, "![]", 3);
	size_t arrays = 0;

	if (!p)
		return 0;
	for (const char *q = memmem(s, len, "[]", 2); q;
	     q = memmem(q + 2, len - (size_t)(q + 2 - s), "[]", 2))
		arrays++;
	for (; p && arrays >= 3; p = memmem(p + 1, len - (size_t)(p + 1 - s), "![]", 3)) {
		size_t i = (size_t)(p - s), j = wsg_skip_space(s, len, i + 3);

		/* "![]+", "![])", "![]]", "![][", "![] " are the anchors: not "[]" (empty arrays) */
		if (j < len && strchr("+)][", s[j]) && (j == i + 3 || s[i + 3] == ' '))
			return wsg_xss_hit(h, WSG_XSS_JSFUCK, i);
		if (p + 3 >= s + len)
			break;
	}
	return 0;
}

/* An XML namespace that makes the markup XHTML, SVG, XSL, XML Events or XLink. */
static int wsg_xss_xmlns(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const ns[] = {
		"xhtml", "/svg", "xsl", "xml-events", "xlink", NULL,
	};

	for (const char *p = memmem(s, len, "xmlns", 5); p;
	     p = memmem(p + 1, len - (size_t)(p + 1 - s), "xmlns", 5)) {
		size_t i = (size_t)(p - s), j = i + 5, v, e;

		if (j < len && s[j] == ':')
			while (++j < len && (wsg_is_word((unsigned char)s[j]) || s[j] == '-'))
				;
		if (!wsg_xss_value(s, len, j, &v, &e))
			continue;
		for (int k = 0; ns[k]; k++)
			if (memmem(s + v, e - v, ns[k], strlen(ns[k])))
				return wsg_xss_hit(h, WSG_XSS_ATTR, i);
		if (p + 1 >= s + len)
			break;
	}
	return 0;
}

/* Markup: every '<' that opens a tag, a comment or a processing instruction. */
static int wsg_xss_markup(const char *s, size_t len, struct wsg_hit *h)
{
	for (const char *p = memchr(s, '<', len); p;
	     p = memchr(p + 1, '<', len - (size_t)(p + 1 - s))) {
		if (wsg_xss_tag(s, len, (size_t)(p - s), h))
			return 1;
		if (p + 1 >= s + len)
			break;
	}
	return 0;
}

/*
 * Fold confusables into out (len bytes at most): fullwidth ASCII to (lowercased) ASCII and
 * small-form '<' '>' to '<' '>'. Returns the folded length.
 */
static size_t wsg_xss_fold(const char *s, size_t len, char *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i], c1, c2;

		if (c == 0xef && i + 2 < len) {
			c1 = (unsigned char)s[i + 1];
			c2 = (unsigned char)s[i + 2];
			if (c1 == 0xbc && c2 >= 0x81 && c2 <= 0xbf)
				c = (unsigned char)(c2 - 0x60);		/* U+FF01..U+FF3F */
			else if (c1 == 0xbd && c2 >= 0x80 && c2 <= 0x9e)
				c = (unsigned char)(c2 - 0x20);		/* U+FF40..U+FF5E */
			else if (c1 == 0xb9 && (c2 == 0xa4 || c2 == 0xa5))
				c = c2 == 0xa4 ? '<' : '>';		/* U+FE64, U+FE65 */
			if (c != 0xef) {
				out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
				i += 2;
				continue;
			}
		}
		out[n++] = (char)c;
	}
	out[n] = 0;
	return n;
}

/*
 * Markup behind fullwidth or small-form brackets ("\uff1cscript\uff1e", which best-fit
 * mappings turn into "<script>"), checked on the folded text. It counts only with a call or
 * template beside it ("alert(1)"): those are the anchors, the brackets are not ASCII.
 */
static int wsg_xss_confusable(const char *s, size_t len, struct wsg_hit *h)
{
	char *f;
	size_t n;
	int r;

	if (!memchr(s, 0xef, len) || (!memmem(s, len, "\xef\xbc", 2) &&
				       !memmem(s, len, "\xef\xbd", 2) &&
				       !memmem(s, len, "\xef\xb9", 2)))
		return 0;
	if (!memchr(s, '`', len) && !wsg_xss_has_call(s, len) && !memmem(s, len, "alert", 5))
		return 0;
	f = malloc(len + 1);
	if (!f)
		return 0;
	n = wsg_xss_fold(s, len, f);
	r = wsg_xss_markup(f, n, h) || wsg_xss_url(f, n, h);
	free(f);
	if (r)
		r = wsg_rule_hit(h, wsg_xss_rules[WSG_XSS_CONFUSABLE], h->off);
	return r;
}

int wsg_detect_xss(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;
	size_t len = t->len;

	if (t->quoted && len == 1 && s[0] == '<')
		return wsg_xss_hit(h, WSG_XSS_PROBE, 0);
	return wsg_xss_markup(s, len, h) || wsg_xss_url(s, len, h) || wsg_xss_sink(s, len, h) ||
	       wsg_xss_attr_break(s, len, h) || wsg_xss_css(s, len, h) ||
	       wsg_xss_wrapped(s, len, h) || wsg_xss_document(s, len, h) ||
	       wsg_xss_global_call(s, len, h) || wsg_xss_jsfuck(s, len, h) ||
	       wsg_xss_xmlns(s, len, h) || wsg_xss_confusable(s, len, h);
}
