// SPDX-License-Identifier: GPL-2.0-only
/*
 * SSRF and RFI detector: URLs that point a server at itself, its network or its cloud
 * metadata service (loopback, private and link-local addresses, internal host names, IP
 * literals spelled in decimal, octal, hex or as IPv4-mapped IPv6), URL schemes that talk raw
 * protocols (gopher://, dict://, ldap://, jar:, phar://, expect://, ...), and authority
 * confusion ("user@host" after a decoy, backslashes in the host).
 *
 * Chat pastes URLs all the time, also to localhost ("the dev server runs on
 * http://localhost:3000"): a plain internal URL inside prose passes; it is an attack when it
 * is the whole value, nested in another URL's parameter, or dressed up (an obfuscated IP, a
 * confusing authority, a metadata address, a raw-protocol scheme).
 */
#include <string.h>
#include "detect.h"

/*
 * A URL with an IP-literal host shows "://" and a digit or '['; "http:" directly followed by
 * a host shows "tp:" and a digit; the rest are names and schemes, each spelled so that the
 * 4-gram the kernel prefilter picks from it is rare in chat ("//localhost", not "localhost",
 * which prose uses: "ssh localhost"). "://" alone is in every URL in chat, so it is never an
 * anchor by itself.
 */
const char *const wsg_ssrf_anchors[] = {
	WSG_DIGITS("://", ""), "://[", "://\\", WSG_DIGITS("tp:", ""), WSG_DIGITS("tp:/", ""),
	WSG_DIGITS("@", ""), "//localhost", "-localhost", "@localhost", "localhost/",
	"6-loopback", "r.internal", "s.internal", "//metadata", "lvh.me", "nip.io", "xip.io",
	"sslip.io", "localtest.me", "gopher:", "dict:", "ldap:", "ldaps:", "tftp:", "jar:",
	"netdoc:", "phar://", "expect://", "file:/", NULL,
};

/* Rule ids by index; class, level and description: rules/wsguard.rules.json. */
const char *const wsg_ssrf_rules[] = {
	"ssrf-001",
	"ssrf-002",
	"ssrf-003",
	"ssrf-004",
	"ssrf-005",
	"rfi-001",
	"ssrf-006",
	NULL
};

enum {
	WSG_SSRF_META = 0,
	WSG_SSRF_INTERNAL,
	WSG_SSRF_OBFUSCATED,
	WSG_SSRF_SCHEME,
	WSG_SSRF_CONFUSION,
	WSG_RFI_FILE,
	WSG_SSRF_BARE,
};

/* What a host is, as far as a server-side fetch is concerned. */
enum wsg_host_kind {
	WSG_HOST_PUBLIC = 0,
	WSG_HOST_INTERNAL,	/* loopback, private, link-local, internal names */
	WSG_HOST_META,		/* a cloud metadata service */
};

struct wsg_host {
	enum wsg_host_kind kind;
	int ip;			/* an IP literal (v4 in any notation, or v6) */
	int obfuscated;		/* an IP not in canonical dotted-quad form */
};

static int wsg_ssrf_hit(struct wsg_hit *h, int rule, size_t off)
{
	return wsg_rule_hit(h, wsg_ssrf_rules[rule], off);
}

/* Bytes that end a host: path, query, fragment, port, and whatever ends a URL in text. */
static int wsg_host_end(unsigned char c)
{
	return c == '/' || c == '?' || c == '#' || c == ':' || c == '"' || c == '\'' ||
	       c == '<' || c == '>' || c == '`' || c == ')' || c == ',' || c == ';' ||
	       wsg_is_space(c);
}

static int wsg_hexdig(unsigned char c)
{
	return wsg_is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

static enum wsg_host_kind wsg_ipv4_kind(unsigned long v)
{
	unsigned a = (unsigned)(v >> 24), b = (unsigned)(v >> 16) & 0xff;

	if (v == 0xa9fea9feul || v == 0x646464c8ul || v == 0xa9feaa02ul)
		return WSG_HOST_META; /* 169.254.169.254, 100.100.100.200, 169.254.170.2 */
	if (a == 127 || a == 0 || a == 10 || (a == 172 && (b & 0xf0) == 16) ||
	    (a == 192 && b == 168) || (a == 169 && b == 254) || (a == 100 && (b & 0xc0) == 64))
		return WSG_HOST_INTERNAL;
	return WSG_HOST_PUBLIC;
}

/*
 * An IPv4 literal as inet_aton() and lenient URL parsers read it: 1 to 4 parts, each decimal,
 * octal (leading 0) or hex (0x); the last part fills the remaining bytes. Values too large
 * for their place wrap, as some parsers do. Returns 1 and fills *o if s[0..n) is one.
 */
static int wsg_ipv4(const char *s, size_t n, struct wsg_host *o)
{
	unsigned long part[4], v = 0;
	int parts = 0, odd = 0;
	size_t i = 0;

	if (!n || !wsg_is_digit((unsigned char)s[0]))
		return 0;
	while (i < n) {
		unsigned long x = 0;
		size_t start = i, digits = 0;
		int base = 10;

		if (parts == 4)
			return 0;
		if (s[i] == '0' && i + 1 < n && s[i + 1] == 'x') {
			base = 16;
			i += 2;
		} else if (s[i] == '0' && i + 1 < n && wsg_is_digit((unsigned char)s[i + 1])) {
			base = 8;
		}
		for (; i < n && s[i] != '.'; i++, digits++) {
			int d = wsg_hexdig((unsigned char)s[i]);

			if (d < 0 || d >= base || digits > 24)
				return 0;
			x = x * (unsigned long)base + (unsigned long)d;
		}
		if (!digits && base != 16)
			return 0;
		if (base != 10 || (i - start > 3 && parts < 3))
			odd = 1;
		part[parts++] = x;
		if (i < n)
			i++; /* the '.' */
		if (i == n && s[n - 1] == '.')
			return 0;
	}
	for (int k = 0; k < parts - 1; k++) {
		if (part[k] > 255)
			odd = 1;
		v |= (part[k] & 0xff) << (24 - 8 * k);
	}
	if (part[parts - 1] >> (8 * (4 - parts + 1)))
		odd = 1;
	v |= part[parts - 1] & (0xfffffffful >> (8 * (parts - 1)));
	o->ip = 1;
	o->obfuscated = odd || parts != 4;
	o->kind = wsg_ipv4_kind(v & 0xfffffffful);
	return 1;
}

/* Groups of an IPv6 address s[0..n) into g[8] ("::" expanded); 0 if it is not one. */
static int wsg_ipv6_groups(const char *s, size_t n, unsigned g[8])
{
	unsigned head[8], tail[8];
	size_t nh = 0, nt = 0, i = 0;
	int gap = 0;

	while (i < n) {
		unsigned v = 0;
		size_t d = 0;

		if (s[i] == ':') {
			if (i + 1 < n && s[i + 1] == ':') {
				if (gap)
					return 0;
				gap = 1;
				i += 2;
				continue;
			}
			if (i == 0)
				return 0;
			i++;
			continue;
		}
		for (; i < n && s[i] != ':'; i++, d++) {
			int x = wsg_hexdig((unsigned char)s[i]);

			if (x < 0 || d >= 4)
				return 0;
			v = v << 4 | (unsigned)x;
		}
		if (gap ? nt >= 8 : nh >= 8)
			return 0;
		if (gap)
			tail[nt++] = v;
		else
			head[nh++] = v;
	}
	if (nh + nt > 8 || (!gap && nh != 8))
		return 0;
	for (i = 0; i < 8; i++)
		g[i] = i < nh ? head[i] : i >= 8 - nt ? tail[i - (8 - nt)] : 0;
	return 1;
}

/*
 * An IPv6 literal between brackets, s[0..n) without them (a "%zone" suffix allowed).
 * Internal: unspecified, loopback, link-local, unique-local, and IPv4-mapped or -compatible
 * addresses of internal IPv4 hosts. A loopback not written "::1", or any IPv4 embedded in
 * IPv6, counts as obfuscated.
 */
static int wsg_ipv6(const char *s, size_t n, struct wsg_host *o)
{
	const char *pct = memchr(s, '%', n);
	unsigned g[8];
	unsigned long v4;
	size_t b = n;

	if (pct)
		n = (size_t)(pct - s);
	if (n < 2 || !memchr(s, ':', n))
		return 0;
	if (memchr(s, '.', n)) {
		/* trailing dotted IPv4: ::ffff:a.b.c.d or ::a.b.c.d */
		struct wsg_host in = {};

		while (b > 0 && s[b - 1] != ':')
			b--;
		if (!wsg_ipv4(s + b, n - b, &in))
			return 0;
		o->ip = 1;
		o->kind = in.kind;
		o->obfuscated = 1;
		return 1;
	}
	if (!wsg_ipv6_groups(s, n, g))
		return 0;
	o->ip = 1;
	if (!(g[0] | g[1] | g[2] | g[3] | g[4]) && (g[5] == 0xffff || g[5] == 0) &&
	    (g[6] | g[7]) > 1) {
		v4 = (unsigned long)g[6] << 16 | g[7];
		o->kind = wsg_ipv4_kind(v4);
		o->obfuscated = 1;
		return 1;
	}
	if (!(g[0] | g[1] | g[2] | g[3] | g[4] | g[5] | g[6]) && g[7] <= 1) {
		o->kind = WSG_HOST_INTERNAL;
		o->obfuscated = !((n == 3 && !memcmp(s, "::1", 3)) || (n == 2 && s[0] == ':'));
		return 1;
	}
	if ((g[0] & 0xffc0) == 0xfe80 || (g[0] & 0xfe00) == 0xfc00)
		o->kind = WSG_HOST_INTERNAL;
	if (g[0] == 0xfd00 && g[1] == 0xec2 && g[7] == 0x254)
		o->kind = WSG_HOST_META;
	return 1;
}

static int wsg_suffix(const char *s, size_t n, const char *suf)
{
	size_t m = strlen(suf);

	return n >= m && !memcmp(s + n - m, suf, m) && (n == m || s[n - m - 1] == '.');
}

/* Host names that resolve inside the server's own network. */
static enum wsg_host_kind wsg_name_kind(const char *s, size_t n)
{
	static const char *const internal[] = {
		"localhost", "localhost.localdomain", "ip6-localhost", "ipv6-localhost",
		"ip6-loopback", "ipv6-loopback", "internal", "lvh.me", "localtest.me", "nip.io",
		"xip.io", "sslip.io", "local", "instance-data", NULL,
	};

	while (n && s[n - 1] == '.')
		n--;
	if (n == 8 && !memcmp(s, "metadata", 8))
		return WSG_HOST_META;
	if (wsg_suffix(s, n, "metadata.google.internal") ||
	    wsg_suffix(s, n, "metadata.azure.com"))
		return WSG_HOST_META;
	for (int k = 0; internal[k]; k++)
		if (wsg_suffix(s, n, internal[k]))
			return WSG_HOST_INTERNAL;
	return WSG_HOST_PUBLIC;
}

/*
 * Classify the host at s[i..]: bracketed IPv6, an IPv4 literal in any notation, or a name.
 * Backslashes inside it are dropped first, as lenient parsers do. *end is set past it.
 */
static void wsg_host_at(const char *s, size_t len, size_t i, struct wsg_host *o, size_t *end)
{
	char buf[256];
	size_t n = 0, j = i;

	memset(o, 0, sizeof(*o));
	if (i < len && s[i] == '[') {
		const char *close = memchr(s + i, ']', len - i);

		*end = close ? (size_t)(close - s) + 1 : len;
		if (close)
			wsg_ipv6(s + i + 1, (size_t)(close - s) - i - 1, o);
		return;
	}
	for (; j < len && !wsg_host_end((unsigned char)s[j]) && s[j] != '@'; j++)
		if (s[j] != '\\' && n < sizeof(buf))
			buf[n++] = s[j];
	*end = j;
	if (!n || n == sizeof(buf))
		return;
	if (!wsg_ipv4(buf, n, o))
		o->kind = wsg_name_kind(buf, n);
}

/* 1 if the string holds no whitespace: the URL or name is the whole value. */
static int wsg_ssrf_whole(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (wsg_is_space((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The scheme ending at the ':' at s[c]; its start in *start, its length returned. */
static size_t wsg_scheme_before(const char *s, size_t c, size_t *start)
{
	size_t i = c;

	while (i > 0 && (wsg_is_alpha((unsigned char)s[i - 1]) ||
			 wsg_is_digit((unsigned char)s[i - 1]) || s[i - 1] == '+' ||
			 s[i - 1] == '-' || s[i - 1] == '.'))
		i--;
	while (i < c && !wsg_is_alpha((unsigned char)s[i]))
		i++;
	*start = i;
	return c - i;
}

static int wsg_scheme_is(const char *s, size_t start, size_t n, const char *name)
{
	return strlen(name) == n && !memcmp(s + start, name, n);
}

/* Schemes a server-side fetcher may speak that smuggle raw bytes or reach odd handlers. */
static int wsg_raw_scheme(const char *s, size_t start, size_t n)
{
	static const char *const raw[] = {
		"gopher", "dict", "ldap", "ldaps", "tftp", "jar", "netdoc", "phar", "expect", NULL,
	};

	for (int k = 0; raw[k]; k++)
		if (wsg_scheme_is(s, start, n, raw[k]))
			return 1;
	return 0;
}

/* The URL is nested: it follows '=' (a parameter value) or a "url:" / "jar:" prefix. */
static int wsg_nested(const char *s, size_t start)
{
	if (start == 0)
		return 0;
	if (s[start - 1] == '=')
		return 1;
	return start >= 4 && (!memcmp(s + start - 4, "url:", 4) || !memcmp(s + start - 4, "jar:", 4));
}

/*
 * One URL whose scheme ends at the ':' at s[c]. Handles "scheme://authority" and the
 * slash-less "http:host" / "http:/host" that lenient parsers accept.
 */
static int wsg_ssrf_url(const char *s, size_t len, size_t c, int whole, struct wsg_hit *h)
{
	size_t start, n = wsg_scheme_before(s, c, &start), a = c + 1, end, at = 0, j;
	int slashes = 0, web, confusion = 0;
	struct wsg_host host;

	if (!n)
		return 0;
	while (a < len && (s[a] == '/' || s[a] == '\\') && slashes < 8) {
		confusion |= s[a] == '\\';
		a++;
		slashes++;
	}
	web = wsg_scheme_is(s, start, n, "http") || wsg_scheme_is(s, start, n, "https");
	if (slashes >= 2 && wsg_raw_scheme(s, start, n))
		return wsg_ssrf_hit(h, WSG_SSRF_SCHEME, start);
	if (n == 3 && !memcmp(s + start, "jar", 3) && wsg_is_alpha((unsigned char)s[a]))
		return wsg_ssrf_hit(h, WSG_SSRF_SCHEME, start);
	if (wsg_scheme_is(s, start, n, "file") && slashes >= 2 && (whole || wsg_nested(s, start)))
		return wsg_ssrf_hit(h, WSG_RFI_FILE, start);
	if (slashes < 2 && !(web && a < len && wsg_is_digit((unsigned char)s[a])))
		return 0;
	/* authority: the last '@' before the path starts the host */
	for (j = a; j < len && s[j] != '/' && s[j] != '?' && s[j] != '#' &&
		    !wsg_is_space((unsigned char)s[j]); j++) {
		if (s[j] == '@')
			at = j + 1;
		confusion |= s[j] == '\\';
	}
	wsg_host_at(s, len, at ? at : a, &host, &end);
	if (host.kind == WSG_HOST_META)
		return wsg_ssrf_hit(h, WSG_SSRF_META, start);
	if (host.ip && host.obfuscated)
		return wsg_ssrf_hit(h, WSG_SSRF_OBFUSCATED, start);
	if (host.kind == WSG_HOST_INTERNAL && (confusion || at))
		return wsg_ssrf_hit(h, WSG_SSRF_CONFUSION, start);
	if (slashes < 2 && host.ip)
		return wsg_ssrf_hit(h, WSG_SSRF_OBFUSCATED, start); /* "http:127.0.0.1" */
	if ((host.kind == WSG_HOST_INTERNAL || (host.ip && s[a] == '[')) &&
	    (whole || wsg_nested(s, start)))
		return wsg_ssrf_hit(h, WSG_SSRF_INTERNAL, start);
	return 0;
}

/* "decoy@host" anywhere after a URL starts: the host a lenient parser really contacts. */
static int wsg_ssrf_at(const char *s, size_t len, size_t from, struct wsg_hit *h)
{
	for (const char *p = memchr(s + from, '@', len - from); p;
	     p = memchr(p + 1, '@', len - (size_t)(p + 1 - s))) {
		struct wsg_host host;
		size_t end;

		wsg_host_at(s, len, (size_t)(p - s) + 1, &host, &end);
		if (host.kind != WSG_HOST_PUBLIC || (host.ip && host.obfuscated))
			return wsg_ssrf_hit(h, WSG_SSRF_CONFUSION, (size_t)(p - s));
		if (p + 1 >= s + len)
			break;
	}
	return 0;
}

/* A whole value that is an internal host name with a path or port: "lvh.me/", "ip6-loopback/". */
static int wsg_ssrf_bare(const char *s, size_t len, struct wsg_hit *h)
{
	struct wsg_host host;
	size_t end;

	if (!len || !wsg_is_alpha((unsigned char)s[0]))
		return 0;
	wsg_host_at(s, len, 0, &host, &end);
	if (host.kind != WSG_HOST_PUBLIC && end < len && (s[end] == '/' || s[end] == ':'))
		return wsg_ssrf_hit(h, host.kind == WSG_HOST_META ? WSG_SSRF_META : WSG_SSRF_BARE,
				    0);
	return 0;
}

int wsg_detect_ssrf(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;
	size_t len = t->len, first = len;
	int whole = wsg_ssrf_whole(s, len);

	for (const char *p = memchr(s, ':', len); p;
	     p = memchr(p + 1, ':', len - (size_t)(p + 1 - s))) {
		size_t c = (size_t)(p - s);

		if (wsg_ssrf_url(s, len, c, whole, h))
			return 1;
		if (first == len && c + 2 < len && p[1] == '/' && p[2] == '/')
			first = c;
		if (p + 1 >= s + len)
			break;
	}
	if (first < len && wsg_ssrf_at(s, len, first, h))
		return 1;
	return whole && wsg_ssrf_bare(s, len, h);
}
