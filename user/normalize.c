// SPDX-License-Identifier: GPL-2.0-only
/*
 * String normalisation for the detectors: URL, JavaScript and HTML entity decoding, repeated
 * to undo double encoding, then ASCII lowercase. Every step shrinks or keeps the length, so
 * callers size one output buffer from the input. See normalize.h for the soundness contract.
 */
#include <string.h>
#include "normalize.h"

static int wsg_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* n hex digits at p (caller checked the bounds); -1 if any is not hex. */
static long wsg_hexn(const char *p, int n)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		int h = wsg_hexval((unsigned char)p[i]);

		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

size_t wsg_utf8_put(unsigned int cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp < 0xe000)
		cp = 0xfffd;
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp > 0x10ffff)
		return wsg_utf8_put(0xfffd, out);
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * Emit a decoded code point; NUL is dropped (NUL removal applies only to decoded NULs, never
 * to literal input bytes). Fullwidth ASCII from %u escapes maps to ASCII, as IIS does.
 */
static size_t wsg_emit(unsigned int cp, char *out, int fullwidth)
{
	if (cp == 0)
		return 0;
	if (fullwidth && cp >= 0xff01 && cp <= 0xff5e)
		cp -= 0xfee0;
	return wsg_utf8_put(cp, out);
}

/*
 * %XX, possibly the lead of a %-encoded (overlong) UTF-8 sequence such as %c0%ae; overlong
 * forms of ASCII decode to ASCII, as lenient servers do. Returns input bytes consumed, 0 if
 * p is not an escape.
 */
static size_t wsg_pct(const char *p, size_t left, char *out, size_t *olen)
{
	long b = left >= 3 ? wsg_hexn(p + 1, 2) : -1;
	unsigned int cp;
	int more, i;

	if (left >= 6 && (p[1] | 0x20) == 'u') {
		long u = wsg_hexn(p + 2, 4);

		if (u >= 0) {
			*olen = wsg_emit((unsigned int)u, out, 1);
			return 6;
		}
	}
	if (b < 0)
		return 0;
	if (b < 0xc0 || b > 0xfd) {
		*olen = b ? (out[0] = (char)b, 1) : 0;
		return 3;
	}
	more = b >= 0xfc ? 5 : b >= 0xf8 ? 4 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
	cp = (unsigned int)b & (0x3f >> more);
	for (i = 1; i <= more; i++) {
		long c = (size_t)(i * 3 + 3) <= left && p[i * 3] == '%' ?
				 wsg_hexn(p + i * 3 + 1, 2) : -1;

		if (c < 0x80 || c > 0xbf)
			break;
		cp = cp << 6 | (unsigned int)(c & 0x3f);
	}
	if (i <= more || cp >= 0x80) {
		/* Not an overlong ASCII: decode this one byte only. */
		out[0] = (char)b;
		*olen = 1;
		return 3;
	}
	*olen = wsg_emit(cp, out, 0);
	return (size_t)(more + 1) * 3;
}

/* \uXXXX (with surrogate pairs) and \xXX as JavaScript and many decoders read them. */
static size_t wsg_bslash(const char *p, size_t left, char *out, size_t *olen)
{
	long u, lo;

	if (left >= 6 && p[1] == 'u' && (u = wsg_hexn(p + 2, 4)) >= 0) {
		if (u >= 0xd800 && u < 0xdc00 && left >= 12 && p[6] == '\\' && p[7] == 'u' &&
		    (lo = wsg_hexn(p + 8, 4)) >= 0xdc00 && lo < 0xe000) {
			*olen = wsg_emit(0x10000 + ((unsigned int)(u - 0xd800) << 10) +
						 (unsigned int)(lo - 0xdc00), out, 0);
			return 12;
		}
		*olen = wsg_emit((unsigned int)u, out, 0);
		return 6;
	}
	if (left >= 4 && (p[1] | 0x20) == 'x' && (u = wsg_hexn(p + 2, 2)) >= 0) {
		*olen = u ? (out[0] = (char)u, 1) : 0;
		return 4;
	}
	return 0;
}

struct wsg_entity {
	const char *name;
	const char *text;
};

/* Named entities an attacker uses to spell markup and code; all are ASCII or shrink. */
static const struct wsg_entity wsg_entities[] = {
	{ "lt", "<" },	    { "gt", ">" },	  { "amp", "&" },     { "quot", "\"" },
	{ "apos", "'" },    { "nbsp", " " },	  { "tab", "\t" },    { "newline", "\n" },
	{ "colon", ":" },   { "lpar", "(" },	  { "rpar", ")" },    { "sol", "/" },
	{ "bsol", "\\" },   { "semi", ";" },	  { "comma", "," },   { "period", "." },
	{ "excl", "!" },    { "num", "#" },	  { "equals", "=" },  { "plus", "+" },
	{ "lsqb", "[" },    { "rsqb", "]" },	  { "lbrack", "[" },  { "rbrack", "]" },
	{ "lcub", "{" },    { "rcub", "}" },	  { "lbrace", "{" },  { "rbrace", "}" },
	{ "lowbar", "_" },  { "grave", "`" },	  { "hat", "^" },     { "dollar", "$" },
	{ "percnt", "%" },  { "ast", "*" },	  { "quest", "?" },   { "commat", "@" },
	{ "vert", "|" },    { "verbar", "|" },	  { "midast", "*" },  { "dot", "." },
};

static size_t wsg_named(const char *p, size_t left, char *out, size_t *olen)
{
	char name[8];
	size_t n = 0;

	while (n + 1 < left && n < sizeof(name) &&
	       (((p[n + 1] | 0x20) >= 'a' && (p[n + 1] | 0x20) <= 'z')))
		name[n] = (char)(p[n + 1] | 0x20), n++;
	if (!n || n >= sizeof(name))
		return 0;
	for (size_t i = 0; i < sizeof(wsg_entities) / sizeof(wsg_entities[0]); i++) {
		const struct wsg_entity *e = &wsg_entities[i];
		int semi = n + 1 < left && p[n + 1] == ';';
		int legacy = n <= 4 && (!strcmp(e->name, "lt") || !strcmp(e->name, "gt") ||
					!strcmp(e->name, "amp") || !strcmp(e->name, "quot"));

		if (strlen(e->name) != n || memcmp(e->name, name, n))
			continue;
		if (!semi && !legacy)
			return 0;
		*olen = strlen(e->text);
		memcpy(out, e->text, *olen);
		return n + 1 + (size_t)semi;
	}
	return 0;
}

/* &#DDD; &#xHH; (the ';' optional, as browsers accept) and named entities. */
static size_t wsg_amp(const char *p, size_t left, char *out, size_t *olen)
{
	size_t i = 2, start;
	unsigned long cp = 0;
	int hex;

	if (left < 3 || p[1] != '#')
		return wsg_named(p, left, out, olen);
	hex = (p[2] | 0x20) == 'x';
	i += (size_t)hex;
	start = i;
	while (i < left && i - start < 16) {
		int v = wsg_hexval((unsigned char)p[i]);

		if (v < 0 || (!hex && v > 9))
			break;
		cp = cp * (hex ? 16 : 10) + (unsigned long)v;
		if (cp > 0x10ffff)
			cp = 0x110000;
		i++;
	}
	if (i == start || i - start >= 16)
		return 0;
	if (i < left && p[i] == ';')
		i++;
	*olen = wsg_emit((unsigned int)cp, out, 0);
	return i;
}

size_t wsg_norm_round(const char *in, size_t len, char *out)
{
	size_t i = 0, o = 0;

	while (i < len) {
		const char *nx = NULL;
		size_t used = 0, olen = 0;

		/* Copy the literal run up to the next escape byte at once. */
		for (size_t j = i; j < len; j++) {
			char c = in[j];

			if (c == '%' || c == '\\' || c == '&') {
				nx = in + j;
				break;
			}
		}
		if (!nx) {
			memmove(out + o, in + i, len - i);
			o += len - i;
			break;
		}
		memmove(out + o, in + i, (size_t)(nx - (in + i)));
		o += (size_t)(nx - (in + i));
		i = (size_t)(nx - in);
		if (*nx == '%')
			used = wsg_pct(nx, len - i, out + o, &olen);
		else if (*nx == '\\')
			used = wsg_bslash(nx, len - i, out + o, &olen);
		else
			used = wsg_amp(nx, len - i, out + o, &olen);
		if (!used) {
			out[o++] = *nx;
			i++;
			continue;
		}
		o += olen;
		i += used;
	}
	return o;
}

int wsg_norm_has_escape(const char *in, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (in[i] == '%' || in[i] == '\\' || in[i] == '&')
			return 1;
	return 0;
}

size_t wsg_norm_lower(const char *in, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		out[i] = (char)(c | (((unsigned char)(c - 'A') < 26) << 5));
	}
	out[len] = 0;
	return len;
}

size_t wsg_normalize(const char *in, size_t len, char *out)
{
	size_t n = len;

	/*
	 * Decode in place in out: a round writes at or before where it reads (every escape is
	 * at least as long as what it decodes to), and memmove handles the literal runs.
	 */
	memmove(out, in, len);
	for (int r = 0; r < WSG_NORM_ROUNDS && wsg_norm_has_escape(out, n); r++) {
		size_t m = wsg_norm_round(out, n, out);

		if (m == n)
			break; /* every decoding shrinks: nothing was decoded */
		n = m;
	}
	return wsg_norm_lower(out, n, out);
}
