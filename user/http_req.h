/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HTTP/1.x requests on one upstream connection in HTTP mode, as nginx sends them: a resumable
 * parser that delimits each request exactly (request line, header block, body framed by
 * Content-Length or chunked coding with trailers), so every request can be judged and
 * released alone and the next one starts at a known byte. Framing that two parsers could
 * read differently (request smuggling) is an error, never a guess. Also the query-string
 * and path decoding the daemon's routing and rules use.
 */
#ifndef WSG_HTTP_REQ_H
#define WSG_HTTP_REQ_H

#include <stddef.h>

#define WSG_HTTP_HDR_MAX (64 * 1024)	/* header block (or trailer section) bound */
#define WSG_HTTP_BODY_MAX (1u << 20)	/* body bound, after de-chunking */
#define WSG_HTTP_CHUNK_LINE_MAX 1024	/* one chunk-size line with its extensions */
/* Framing bytes of one chunked body: size lines, CRLFs and trailers (data not counted). */
#define WSG_HTTP_FRAMING_MAX WSG_HTTP_BODY_MAX

/* X(name, "text"): every way a request is refused; append, never reorder. */
#define WSG_HTTP_ERRS(X)                                                                 \
	X(NONE, "none")                                                                  \
	X(SYNTAX, "bad_syntax")		/* request line or field not per RFC 9112 */     \
	X(HDR_TOO_BIG, "header_too_big")	/* header block or trailers > HDR_MAX */ \
	X(URI_TOO_LONG, "uri_too_long")	/* request-target does not fit req.target */     \
	X(BODY_TOO_BIG, "body_too_big")	/* Content-Length, chunk sum, framing bound */ \
	X(CHUNK, "bad_chunk")		/* chunk size line, data CRLF, last chunk */     \
	X(LENGTH, "bad_content_length")	/* not a plain decimal number */                 \
	X(AMBIGUOUS, "ambiguous_framing")	/* read differently by other parsers */  \
	X(VERSION, "bad_version")	/* HTTP/d.d other than 1.0 and 1.1 */            \
	X(NOMEM, "out_of_memory")	/* the body buffer could not grow */

#define WSG_HTTP_ERR_ENUM(name, text) WSG_HE_##name,
enum wsg_http_err { WSG_HTTP_ERRS(WSG_HTTP_ERR_ENUM) WSG_HE__COUNT };
#undef WSG_HTTP_ERR_ENUM

const char *wsg_http_err_name(enum wsg_http_err e);

/* wsg_http_req.trunc: which copied field values were cut to fit their buffer */
enum {
	WSG_HF_HOST = 1 << 0,
	WSG_HF_ORIGIN = 1 << 1,
	WSG_HF_CONTENT_TYPE = 1 << 2,
	WSG_HF_PROTOCOL = 1 << 3,
	WSG_HF_EXTENSIONS = 1 << 4,
};

/*
 * One parsed request. Strings are NUL-terminated; field values are trimmed of SP/HTAB and,
 * for the list fields (protocol, extensions), repeated lines are joined with ", ". These
 * copies may be cut (see trunc): they are for logging and rules. The framing decisions and
 * `upgrade` are made on the full values while parsing.
 */
struct wsg_http_req {
	char method[16];		/* uppercase token */
	char target[8192];		/* as sent: origin-form "/path?query", or "*" */
	size_t target_len;
	int minor;			/* HTTP/1.minor: 0 or 1 */
	int upgrade;			/* an Upgrade element names websocket (any case) */
	int chunked;			/* Transfer-Encoding: chunked */
	int has_body;			/* chunked, or Content-Length > 0 */
	unsigned trunc;			/* WSG_HF_* */
	char host[256];
	char origin[256];
	char content_type[128];
	char protocol[128];		/* Sec-WebSocket-Protocol */
	char extensions[256];		/* Sec-WebSocket-Extensions */
	unsigned char *body;		/* de-chunked; owned by the parser, see wsg_http_feed() */
	size_t body_len;
	size_t wire_len;		/* on the wire: empty lines before, head, framed body */
};

/* Parser state: one per connection, zeroed by init; the fields are private. */
struct wsg_http_parser {
	int state;
	enum wsg_http_err err;
	int trailer;			/* the field states read the trailer section */
	unsigned seen;			/* fields met: WSG_HF_* singletons, framing bits */
	size_t hdr_bytes;		/* of the header block or the trailer section */
	size_t framing;			/* chunk framing bytes so far */
	size_t line;			/* bytes of the chunk-size line */
	size_t left;			/* body or chunk-data bytes still to come */
	size_t content_length;
	/* the token or field line being read */
	char name[32];			/* field name, lowercased, when it fits */
	size_t len;			/* bytes of the method, version or field name */
	int field;			/* index of a known field name, 0 for others */
	size_t vpos, keep;		/* value bytes stored; up to the last non-OWS one */
	size_t num;			/* Content-Length, saturated past the bound */
	int tok, bad, tail;		/* token matching inside a value */
	struct wsg_http_req req;	/* being filled; body is the parser's buffer */
	size_t body_cap;
};

void wsg_http_parser_init(struct wsg_http_parser *p);
void wsg_http_parser_free(struct wsg_http_parser *p);
/* Forget the request just parsed (or the error): the next byte starts a new request. */
void wsg_http_parser_reset(struct wsg_http_parser *p);

enum { WSG_HTTP_NEED_MORE, WSG_HTTP_DONE, WSG_HTTP_ERROR };

/*
 * Feed the next n bytes of the connection, split anywhere; every byte is looked at once.
 * Returns the bytes consumed and sets *st:
 *   WSG_HTTP_NEED_MORE  all n consumed, the request is not complete;
 *   WSG_HTTP_DONE       the request ended at the last consumed byte; *req is filled. The
 *                       rest of data is the next request: feed it after a reset. req->body
 *                       stays valid until the next feed, reset or free;
 *   WSG_HTTP_ERROR      *err says why; the byte that showed it is the last one consumed.
 * After DONE or ERROR, further feeds consume nothing and repeat the result until a reset.
 * Line ends are CRLF only: a bare LF or CR is an error (nginx never sends one).
 */
size_t wsg_http_feed(struct wsg_http_parser *p, const unsigned char *data, size_t n, int *st,
		     struct wsg_http_req *req, enum wsg_http_err *err);

/*
 * The query of a request-target (after the first '?', up to a '#') as Node's querystring
 * reads it: parameters split on '&' only, name and value at the first '=' (a parameter
 * without '=' has an empty value, an empty parameter is skipped), both decoded: '+' is a
 * space, %XX a byte, an invalid %-escape stays literal. fn gets each decoded name and value
 * (NUL-terminated, in scratch) in order, duplicates included; nonzero from fn stops the walk
 * and is returned. scratch must hold the query's length (after '?') + 2 bytes, which len + 2
 * always is; -1 without calling fn if it does not. No '?': 0.
 */
int wsg_query_each(const char *target, size_t len, char *scratch, size_t scratch_len,
		   int (*fn)(void *ctx, const char *name, size_t nlen, const char *val,
			     size_t vlen),
		   void *ctx);

/*
 * The decoded value of the first parameter whose decoded name is name, into out
 * (NUL-terminated): 1 found, 0 not, -1 found but out is too small.
 */
int wsg_query_get(const char *target, size_t len, const char *name, char *out, size_t out_len);

/*
 * The path of a request-target (before '?' and '#') with %XX decoded ('+' stays): its length,
 * or -1 if it does not fit out with its NUL (len + 1 bytes always do).
 */
long wsg_http_path(const char *target, size_t len, char *out, size_t out_len);

#endif /* WSG_HTTP_REQ_H */
