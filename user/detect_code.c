// SPDX-License-Identifier: GPL-2.0-only
/*
 * Code injection detector for PHP, Java and Node.js: PHP open tags and pseudo tags,
 * superglobals, calls of high-risk functions (also through variables, strings or
 * parenthesised names), stream wrappers, serialized objects, upload names and session files;
 * Java class names, gadget chains, serialization magic, Log4Shell lookups; Node.js process
 * and module access, Function constructors, busy loops; and the base64 forms of the gadget
 * and module names. Code mentioned in prose ("try console.log(x)") passes.
 */
#include <string.h>
#include "detect.h"

/*
 * Base64 cores: the characters of base64(word) that do not depend on the bytes around the
 * word, for each of the three alignments, lowercased (the text is lowercase).
 */
#define WSG_B64_CORES                                                                      \
	"cnvudgltz", "j1bnrpbw", "ydw50aw1l",			/* runtime */               \
	"chjvy2vzc2j1awxkzx", "byb2nlc3nidwlszgvy", "wcm9jzxnzynvpbgrlc", /* processbuilder */ \
	"y2xvbmv0cmfuc2zvcm1lc", "nsb25ldhjhbnnmb3jtzx", "jbg9uzxryyw5zzm9ybwvy",            \
	"zm9yy2xvc3vyz", "zvcmnsb3n1cm", "mb3jjbg9zdxjl",		/* forclosure */            \
	"aw5zdgfudglhdgvmywn0b3j5", "luc3rhbnrpyxrlzmfjdg9ye", "pbnn0yw50awf0zwzhy3rvcn",    \
	"aw5zdgfudglhdgv0cmfuc2zvcm1lc", "luc3rhbnrpyxrldhjhbnnmb3jtzx",                    \
	"pbnn0yw50awf0zxryyw5zzm9ybwvy",                                                    \
	"aw52b2tlcnryyw5zzm9ybwvy", "ludm9rzxj0cmfuc2zvcm1lc", "pbnzva2vydhjhbnnmb3jtzx",   \
	"chjvdg90exbly2xvbmvmywn0b3j5", "byb3rvdhlwzwnsb25lzmfjdg9ye",                      \
	"wcm90b3r5cgvjbg9uzwzhy3rvcn",                                                      \
	"chjvdg90exblc2vyawfsaxphdglvbmzhy3rvcn", "byb3rvdhlwzxnlcmlhbgl6yxrpb25mywn0b3j5", \
	"wcm90b3r5cgvzzxjpywxpemf0aw9uzmfjdg9ye",                                           \
	"d2hpbgvjbg9zdxjl", "doawxly2xvc3vyz", "3aglszwnsb3n1cm",	/* whileclosure */          \
	"xyqktkrfrlvoqyqkx", "8kje5ex0zvtkmkjf", "fjcrorf9gvu5djcrf", /* _$$ND_FUNC$$_ */       \
	"y2hpbgrfchjvy2vzc", "noawxkx3byb2nlc3", "jaglszf9wcm9jzxnz", /* child_process */       \
	"cmvxdwlyzs", "jlcxvpcmuo", "yzxf1axjlk"			/* require( */

static const char *const wsg_b64_cores[] = { WSG_B64_CORES, NULL };

/*
 * php.ini directives an attacker sets to run or expose code, and the upload header names
 * PHP frameworks read (their anchors: see wsg_code_anchors).
 */
#define WSG_PHP_INI_NAMES                                                                  \
	"allow_url_fopen", "allow_url_include", "auto_prepend_file", "auto_append_file",    \
	"disable_functions", "disable_classes", "open_basedir", "display_errors",           \
	"error_reporting", "log_errors", "error_log", "memory_limit", "max_execution_time",  \
	"safe_mode", "register_globals", "magic_quotes_gpc", "file_uploads", "upload_tmp_dir", \
	"sendmail_path", "sendmail_from", "smtp_port", "serialize_precision",               \
	"unserialize_max_depth", "unserialize_callback_func", "include_path",               \
	"extension_dir", "zend_extension", "session.save_path", "session.save_handler",     \
	"session.serialize_handler", "assert.active", "assert.callback", "short_open_tag",  \
	"output_handler", "enable_dl", "expose_php", "variables_order", "post_max_size",    \
	"upload_max_filesize", "user_ini.filename", "html_errors",            \
	"docref_root", "precision", "smtp=", "smtp =", WSG_PHP_UPLOAD_NAMES
#define WSG_PHP_UPLOAD_NAMES "x_filename", "x-filename", "x.filename", "x-file-name"

/* Java names that are an attack wherever they occur: gadgets, serialization magic. */
static const char *const wsg_java_words[] = {
	"processbuilder", "getruntime", "scriptenginemanager", "invokertransformer",
	"instantiatetransformer", "clonetransformer", "chainedtransformer",
	"constanttransformer", "instantiatefactory", "prototypeclonefactory",
	"prototypeserializationfactory", "whileclosure", "forclosure", "com.opensymphony",
	"ro0ab", "aced0005", "kztaa", "cs7qa", NULL,
};

/* Java packages: an attack where a token starts with them. */
static const char *const wsg_java_pkgs[] = {
	"com.sun.", "org.apache.", "org.omg.", "org.springframework.", "org.codehaus.",
	"java.lang.", "java.io.", "java.util.", "java.net.", "java.nio.", "java.beans.",
	"java.rmi.", "javax.", NULL,
};

/* Node.js process and module access. */
static const char *const wsg_node_words[] = {
	"child_process", "process.mainmodule", "process.binding", "process.dlopen",
	"mainmodule.require", "require.main", "constructor.constructor", "_$$nd_func$$_",
	"global.process", "globalthis.process", "module.constructor", "process[", "require[",
	NULL,
};

/*
 * Four-byte anchors are picked by hand: the prefilter watches one 4-gram of a long anchor and
 * these are the ones rare in chat ("ssbu" of processbuilder, "ngfr" of springframework).
 */
const char *const wsg_code_anchors[] = {
	WSG_B64_CORES, ". ph",
	/*
	 * WSG_PHP_INI_NAMES by their end and the '=' (or " =") that follows: an ini value is
	 * "name=value". Not a 4-gram inside the names: snake_case JSON keys share those
	 * ("user_id", "error_code", "display_name", "connection_init", "max_tokens"). Where
	 * the end is chat ("errors =)", "root=", "packagename="), a 4-gram keys lack.
	 */
	"_dl=", "ack=", "ads=", "als=", "ath=", "der=", "dir=", "gpc=", "ile=", "ime=", "ing=",
	"ion=", "ive=", "ize=", "ler=", "log=", "mit=", "ode=", "ons=", "ors=", "ort=", "pen=",
	"php=", "pth=", "rom=", "ses=", "tag=", "ude=", "unc=", "mtp=", "ag =", "ck =", "de =",
	"dl =", "ds =", "en =", "er =", "hp =", "ir =", "le =", "ls =", "me =", "nc =", "ng =",
	"ns =", "og =", "om =", "on =", "ot =", "pc =", "rt =", "th =", "ve =", "ze =", "tp =",
	"y_er", "l_er", "g_er", "e_cl", "ry_l", "i.fi", "ef_r", "x-fi", "x_fi", "x.fi",
	". js", "ssbu", "etru", "pten", "rtra", "etra", "edtr", "nttr", "tefa", "efac",
	"nfac", "eclo", "rclo", "mphon", "ro0a", "ed00", "kzta", "cs7q", "d_pr", "nmod",
	"ss.b", "ss.e", "ss.k", "ss.d", "s[", "e[", "e.ma", "=req", "ucto", "_func", "l.pr",
	"w fu", "com.sun", "org.apa", "org.omg", "ngfr", "deha", "ava.", "avax", "ess_", "jndi",
	"<?", "php]", "php}",
	/*
	 * PHP variables by the forms an attack needs: superglobals and variable-variables,
	 * "$f(" by its "f(" below, "$f[0](" by "](". Not '$' with any letter: "$t" is in every
	 * GraphQL query with variables. Serialized values by ":{" and a member's type; not
	 * ":{" alone, which opens every nested JSON object.
	 */
	"$_", "${", "{$", "$$", "@$", "$globals", "$http_raw", ":{s:", ":{i:", ":{b:", ":{d:",
	":{o:", ":{a:", "](", "php:", "phar", "zip:", "zlib", "ip2:", "ssh2", "ct:/",
	"glob:/", "rar:", "ogg:", "php.", "phps", WSG_DIGITS("php", ""), ".pht", ".jsp", ")(", "'(", WSG_LETTERS("", "("),
	"le.l", "le.i", "le.e", "le.w", "le.d", "le.t", "e(", "xec ", "xec#", "fope", "('", "{'", "{@", "ize#", "t_op", "_exe", "_dec", "_proto", "otot", "/*",
	/* PHP extension prefixes (wsg_php_prefixes) for calls with a blank before '(' */
	"array_", "sodium_", "mysql_", "posix_", "curl_", "pcntl_", "ini_", "preg_", "openssl_",
	"stream_", "socket_", "iconv_", "xmlrpc_", "imap_", "ftp_", "ldap_", "odbc_", "zlib_",
	NULL,
};

/* Rule ids by index; class, level and description: rules/wsguard.rules.json. */
const char *const wsg_code_rules[] = {
	"php-001",
	"php-002",
	"php-003",
	"php-004",
	"php-005",
	"php-006",
	"php-007",
	"java-001",
	"java-002",
	"java-003",
	"node-001",
	"node-002",
	"node-003",
	"java-004",
	"php-008",
	NULL
};

enum {
	WSG_PHP_TAG, WSG_PHP_VAR, WSG_PHP_CALL, WSG_PHP_INDIRECT, WSG_PHP_WRAPPER, WSG_PHP_SER,
	WSG_PHP_FILE, WSG_JAVA_NAME, WSG_JAVA_JNDI, WSG_JAVA_B64, WSG_NODE_PROC, WSG_NODE_VALUE,
	WSG_NODE_FLIGHT, WSG_JAVA_FILE, WSG_PHP_INI,
};

static const char *const wsg_php_ini[] = { WSG_PHP_INI_NAMES, NULL };
static const char *const wsg_php_upload[] = { WSG_PHP_UPLOAD_NAMES, NULL };

/* PHP functions whose call in a message is an attack, whatever the arguments. */
static const char *const wsg_php_fns[] = {
	"system", "exec", "shell_exec", "passthru", "popen", "proc_open", "pcntl_exec", "eval",
	"assert", "assert_options", "create_function", "call_user_func",
	"call_user_func_array", "base64_decode", "gzinflate", "gzuncompress", "gzdecode",
	"str_rot13", "bzdecompress", "zlib_decode", "convert_uudecode", "hex2bin", "phpinfo",
	"phpversion", "php_uname", "file_get_contents", "file_put_contents", "fopen", "fwrite",
	"fputs", "readfile", "include", "include_once", "require_once", "unserialize",
	"serialize", "preg_replace", "ini_set", "ini_get_all", "ini_restore", "putenv", "getenv",
	"get_defined_functions", "get_defined_vars", "get_defined_constants", "getcwd",
	"move_uploaded_file", "show_source", "highlight_file", "chr", "strrev", "print_r",
	"var_dump", "var_export", "unpack", "crypt", "checkdate", "strip_tags", "gethostbyname",
	"scandir", "glob", "dl", "mail", "symlink", "chmod", "unlink", "rmdir", "mkdir",
	"copy", "rename", "posix_getpwuid", "posix_kill", "posix_setuid", "proc_nice",
	"array_map", "array_filter", "array_walk", "array_reduce", "usort", "uasort", "uksort",
	"register_shutdown_function", "register_tick_function", "set_error_handler",
	"ob_start", "fsockopen", "pfsockopen", "stream_socket_client", "curl_exec", "dechex",
	"hexdec", "md5", "sha1", "str_replace", "implode", "extract", "parse_str", "header",
	"file", "filter_var", NULL,
};

/* PHP extension prefixes: a snake_case call with one of them is PHP. */
static const char *const wsg_php_prefixes[] = {
	"array_", "ldap_", "odbc_", "pg_", "mysql_", "mysqli_", "sodium_", "posix_", "zlib_",
	"curl_", "proc_", "pcntl_", "ini_", "preg_", "openssl_", "stream_", "socket_", "func_",
	"call_user_", "gz", "bz", "mb_", "iconv_", "xmlrpc_", "imap_", "ftp_", "ssh2_", NULL,
};

static int wsg_code_hit(struct wsg_hit *h, int rule, size_t off)
{
	return wsg_rule_hit(h, wsg_code_rules[rule], off);
}

static const char *wsg_find(const char *s, size_t len, const char *w)
{
	return memmem(s, len, w, strlen(w));
}

static int wsg_has_prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && !memcmp(s, p, n);
}

/* Skip blanks and C, C++ and shell comments from s[i]. */
static size_t wsg_code_skip(const char *s, size_t len, size_t i)
{
	for (;;) {
		i = wsg_skip_space(s, len, i);
		if (i + 1 < len && s[i] == '/' && s[i + 1] == '*') {
			const char *e = memmem(s + i + 2, len - i - 2, "*/", 2);

			i = e ? (size_t)(e - s) + 2 : len;
		} else if (i < len && (s[i] == '#' || (i + 1 < len && s[i] == '/' && s[i + 1] == '/'))) {
			const char *e = memchr(s + i, '\n', len - i);

			if (!e)
				return len;
			i = (size_t)(e - s) + 1;
		} else {
			return i;
		}
	}
}

/* php-001: <?php, <?=, "<? code", <?xml:..., [php], {php}. */
static int wsg_php_tag(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const pseudo[] = { "[php]", "[/php]", "[\\php]", "{php}", "{/php}",
					      NULL };

	for (const char *p = memchr(s, '<', len); p; p = memchr(p + 1, '<', len - (p + 1 - s))) {
		size_t i = (size_t)(p - s) + 1, j;

		if (i >= len || s[i] != '?')
			continue;
		j = wsg_skip_space(s, len, i + 1);
		if (wsg_has_prefix(s + j, len - j, "php") || (j < len && s[j] == '=') ||
		    (j > i + 1 && j < len))
			return wsg_code_hit(h, WSG_PHP_TAG, i - 1);
		if (wsg_has_prefix(s + j, len - j, "xml")) {
			j = wsg_skip_space(s, len, j + 3);
			if (j < len && s[j] == ':')
				return wsg_code_hit(h, WSG_PHP_TAG, i - 1);
		}
		if (p + 1 >= s + len)
			break;
	}
	for (int k = 0; pseudo[k]; k++) {
		const char *p = wsg_find(s, len, pseudo[k]);

		if (p)
			return wsg_code_hit(h, WSG_PHP_TAG, (size_t)(p - s));
	}
	return 0;
}

static int wsg_php_fn_name(const char *w, size_t n)
{
	if (wsg_in_list(wsg_php_fns, w, n) >= 0)
		return 1;
	for (int k = 0; wsg_php_prefixes[k]; k++) {
		size_t m = strlen(wsg_php_prefixes[k]);

		/* "gz"/"bz" need a long name; the others need a snake_case tail */
		if (n > m + 3 && !memcmp(w, wsg_php_prefixes[k], m) &&
		    (m > 2 || n >= 8))
			return 1;
	}
	return 0;
}

/* A decoder name glued to the end of a word ("FOOgzinflate") starts where the name does. */
static size_t wsg_php_decoder_tail(const char *s, size_t b, size_t e)
{
	static const char *const dec[] = { "gzdecode", "gzinflate", "gzuncompress",
		"base64_decode", "str_rot13", "bzdecompress", "convert_uudecode", NULL };

	for (int k = 0; dec[k]; k++) {
		size_t n = strlen(dec[k]);

		if (e - b > n && !memcmp(s + e - n, dec[k], n))
			return e - n;
	}
	return b;
}

/*
 * php-003: name(...) for a high-risk PHP function; comments may sit between name and '('.
 * The name is a whole word, not a method (".name(") nor a path part ("/name(").
 */
static int wsg_php_call(const char *s, size_t len, struct wsg_hit *h)
{
	for (size_t i = 0; i < len; i++) {
		size_t b = i, j, k, w;

		if (!wsg_is_word((unsigned char)s[i]) || (i && (wsg_is_word((unsigned char)s[i - 1]) ||
								 s[i - 1] == '.' || s[i - 1] == '-' ||
								 s[i - 1] == '$')))
			continue;
		while (i < len && wsg_is_word((unsigned char)s[i]))
			i++;
		w = b;
		b = wsg_php_decoder_tail(s, b, i);
		j = wsg_code_skip(s, len, i);
		if (j < len && s[j] == '=')	/* Shell_exec=(...) */
			j = wsg_skip_space(s, len, j + 1);
		if (j >= len || s[j] != '(' || !wsg_php_fn_name(s + b, i - b))
			continue;
		/* "via gethostbyname()" names a function in prose; a bare name() is a call */
		k = wsg_skip_space(s, len, j + 1);
		if (k < len && s[k] == ')' && w != wsg_skip_space(s, len, 0) &&
		    j == wsg_skip_space(s, len, i))
			continue;
		/* a closed call, or an unusual long name */
		if (memchr(s + j, ')', len - j) || i - b >= 10)
			return wsg_code_hit(h, WSG_PHP_CALL, b);
		i--;
	}
	return 0;
}

/* The letters and '_' of s[b..e) (quotes, dots, brackets, blanks dropped) name a PHP fn. */
static int wsg_php_hidden_fn(const char *s, size_t b, size_t e)
{
	char name[40];
	size_t n = 0;

	for (size_t i = b; i < e; i++) {
		if (wsg_is_alpha((unsigned char)s[i]) || s[i] == '_') {
			if (n + 1 >= sizeof(name))
				return 0;
			name[n++] = s[i];
		} else if (!strchr("'\".()[] \t\r\n0123456789", s[i])) {
			return 0;
		}
	}
	return n && wsg_in_list(wsg_php_fns, name, n) >= 0;
}

/* The end of a PHP variable reference at s[i] ('$'), or 0 if none: $a, $$a, ${..}, [..]. */
static size_t wsg_php_var_end(const char *s, size_t len, size_t i)
{
	size_t j = i;

	while (j < len && s[j] == '$')
		j++;
	j = wsg_skip_space(s, len, j);
	if (j < len && s[j] == '{') {
		const char *c = memchr(s + j, '}', len - j);

		if (!c || (size_t)(c - s) == wsg_skip_space(s, len, j + 1))
			return 0;
		j = (size_t)(c - s) + 1;
	} else if (j < len && (wsg_is_alpha((unsigned char)s[j]) || s[j] == '_')) {
		while (j < len && wsg_is_word((unsigned char)s[j]))
			j++;
	} else {
		return 0;
	}
	for (;;) {
		size_t k = wsg_code_skip(s, len, j);
		const char *c;
		int depth = 0;

		if (k >= len || (s[k] != '[' && s[k] != '{'))
			return j;
		for (c = s + k; c < s + len; c++) {
			depth += *c == '[' || *c == '{';
			depth -= *c == ']' || *c == '}';
			if (!depth)
				break;
		}
		if (c == s + len)
			return j;
		j = (size_t)(c - s) + 1;
	}
}

/*
 * php-004: $f(...), ${'a'}(...), $__[_](...): a variable called as a function. A space
 * before '(' counts only with a newline or comment in it or an obfuscated name ("$PATH (x)"
 * is prose); "system"(...), ('system')(...), (sy.(st).em)(...).
 */
/*
 * The quoted fragments joined by '.' from s[i] ("'sys' . 'tem'") spell a high-risk PHP
 * function; returns 1 then.
 */
static int wsg_php_concat_at(const char *s, size_t len, size_t i)
{
	char name[32];
	size_t n = 0;
	int frags = 0;

	for (;;) {
		const char *close;
		size_t m;

		if (i >= len || (s[i] != '\'' && s[i] != '"'))
			return 0;
		close = memchr(s + i + 1, s[i], len - i - 1);
		if (!close)
			return 0;
		m = (size_t)(close - s) - i - 1;
		if (n + m >= sizeof(name))
			return 0;
		memcpy(name + n, s + i + 1, m);
		n += m;
		frags++;
		i = wsg_skip_space(s, len, (size_t)(close - s) + 1);
		if (i >= len || s[i] != '.')
			break;
		i = wsg_skip_space(s, len, i + 1);
	}
	return frags > 1 && n >= 4 && wsg_in_list(wsg_php_fns, name, n) >= 0;
}

/*
 * php-004: a function name assembled from string pieces, as a call's argument ("('sys' .
 * 'tem')") or a constant's value ("define('x', 'sys' . 'tem')"); "('" and "e(" are anchors.
 */
static int wsg_php_concat(const char *s, size_t len, struct wsg_hit *h)
{
	const char *def = wsg_find(s, len, "define(");

	for (size_t i = 1; i < len; i++) {
		if (s[i] != '\'' && s[i] != '"')
			continue;
		if ((s[i - 1] == '(' && s[i] == '\'') || (def && s + i > def))
			if (wsg_php_concat_at(s, len, i))
				return wsg_code_hit(h, WSG_PHP_INDIRECT, i);
	}
	return 0;
}

/*
 * The variable call s[i..e) with '(' at s[k] holds an anchor: "$_", "$$" or "${" opens it, a
 * letter or ']' before '(' makes "f(" or "](", or a comment sits between ("/" "*" is an
 * anchor). "$a1(" and "$f\n(" hold none ('$' with a letter is no anchor).
 */
static int wsg_php_var_gated(const char *s, size_t i, size_t e, size_t k)
{
	if (s[i + 1] == '_' || s[i + 1] == '$' || s[i + 1] == '{' || s[k - 1] == ']' ||
	    wsg_is_alpha((unsigned char)s[k - 1]))
		return 1;
	for (size_t m = e; m + 1 < k; m++)
		if (s[m] == '/' && s[m + 1] == '*')
			return 1;
	return 0;
}

static int wsg_php_indirect(const char *s, size_t len, struct wsg_hit *h)
{
	for (size_t i = 0; i < len; i++) {
		size_t e, k;

		if (s[i] == '$' && (e = wsg_php_var_end(s, len, i))) {
			int odd = 0;

			k = wsg_code_skip(s, len, e);
			for (size_t m = i + 1; m < e; m++)
				odd |= !wsg_is_alpha((unsigned char)s[m]);
			for (size_t m = e; m < k; m++)
				odd |= s[m] == '\n' || s[m] == '#' || s[m] == '/';
			if (k < len && s[k] == '(' && (k == e || odd) && wsg_php_var_gated(s, i, e, k))
				return wsg_code_hit(h, WSG_PHP_INDIRECT, i);
		}
		if ((s[i] == '\'' || s[i] == '"') && i + 1 < len) {
			const char *c = memchr(s + i + 1, s[i], len - i - 1);

			if (c && (size_t)(c - s) + 1 < len && c[1] == '(' &&
			    wsg_php_hidden_fn(s, i + 1, (size_t)(c - s)))
				return wsg_code_hit(h, WSG_PHP_INDIRECT, i);
			if (c)
				i = (size_t)(c - s) - 1 + 1;
			continue;
		}
		if (s[i] == ')') {
			size_t b = i;
			int depth = 0;

			k = i + 1;
			for (;;) {	/* skip {..} blocks and comments between the groups */
				k = wsg_code_skip(s, len, k);
				if (k < len && s[k] == '{') {
					const char *c = memchr(s + k, '}', len - k);

					if (!c)
						break;
					k = (size_t)(c - s) + 1;
					continue;
				}
				break;
			}
			if (k >= len || s[k] != '(')
				continue;
			while (b > 0) {
				if (s[b] == ')')
					depth++;
				else if (s[b] == '(' && --depth == 0)
					break;
				b--;
			}
			if (s[b] == '(' && wsg_php_hidden_fn(s, b, i + 1))
				return wsg_code_hit(h, WSG_PHP_INDIRECT, b);
		}
	}
	return 0;
}

/* php-002: $_GET and friends, $GLOBALS, ${'x'} and ${$x} variable-variables. */
static int wsg_php_var(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const globals[] = { "$_get", "$_post", "$_request", "$_cookie",
		"$_server", "$_files", "$_env", "$_session", "$globals", "$http_raw_post_data",
		NULL };

	for (int k = 0; globals[k]; k++) {
		const char *p = wsg_find(s, len, globals[k]);

		if (p)
			return wsg_code_hit(h, WSG_PHP_VAR, (size_t)(p - s));
	}
	for (const char *p = memchr(s, '$', len); p; p = memchr(p + 1, '$', len - (p + 1 - s))) {
		size_t i = wsg_skip_space(s, len, (size_t)(p - s) + 1);

		if (i < len && s[i] == '{') {
			/* "${", "{$", "{'" or "{@" is the anchor: "$ {\"x\"}" holds none */
			int gated = p + 1 == s + i || (i + 1 < len && strchr("$'@", s[i + 1]));

			i = wsg_skip_space(s, len, i + 1);
			if (gated && i < len &&
			    (s[i] == '\'' || s[i] == '"' || s[i] == '$' || s[i] == '@'))
				return wsg_code_hit(h, WSG_PHP_VAR, (size_t)(p - s));
		}
		if (p + 1 >= s + len)
			break;
	}
	return 0;
}

/* php-005: stream wrappers that read, execute or tunnel. */
static int wsg_php_wrapper(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const w[] = { "php://", "phar://", "zip://", "compress.zlib://",
		"compress.bzip2://", "ssh2.shell://", "ssh2.exec://", "ssh2.tunnel://",
		"ssh2.sftp://", "ssh2.scp://", "expect://", "glob://", "rar://", "ogg://",
		"zlib://", "bzip2://", NULL };

	for (int k = 0; w[k]; k++) {
		const char *p = wsg_find(s, len, w[k]);

		if (p)
			return wsg_code_hit(h, WSG_PHP_WRAPPER, (size_t)(p - s));
	}
	return 0;
}

/* php-006: O:8:"stdClass":1:{...} or a:2:{i:0;...} */
static int wsg_php_serialized(const char *s, size_t len, struct wsg_hit *h)
{
	for (const char *p = memmem(s, len, ":{", 2); p;
	     p = memmem(p + 2, len - (p + 2 - s), ":{", 2)) {
		size_t e = (size_t)(p - s), b = e, q = e + 2;

		while (b > 0 && wsg_is_digit((unsigned char)s[b - 1]))
			b--;
		if (b == e || b < 2 || s[b - 1] != ':')
			continue;
		if (q + 1 < len && strchr("sibdoa", s[q]) && s[q + 1] == ':' &&
		    (s[b - 2] == 'a' || s[b - 2] == '"'))
			return wsg_code_hit(h, WSG_PHP_SER, b - 2);
	}
	return 0;
}

/*
 * php-007/java-004: the value is an upload name ending in a script extension, maybe with
 * trailing dots or blanks or a second extension ("shell.php ", "a.phtml..", "x.phar .png"),
 * or a PHP session file.
 */
static int wsg_script_file(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const ext[] = { "php", "phtml",
					   "phar", "phps", "pht", "jsp", "jspx", NULL };
	size_t i = 0, b, e;
	const char *p;

	if ((p = wsg_find(s, len, "sess_"))) {
		size_t n = 0;

		i = (size_t)(p - s) + 5;
		while (i + n < len && (wsg_is_word((unsigned char)s[i + n]) || s[i + n] == '-' ||
				       s[i + n] == ','))
			n++;
		if (n >= 20 && (p == s || p[-1] == '/') &&
		    (i + n == len || wsg_is_space((unsigned char)s[i + n])))
			return wsg_code_hit(h, WSG_PHP_FILE, (size_t)(p - s));
	}
	/* one token, except a blank right after the dot ("photo. php") or before ".png" */
	for (i = 0; i < len; i++) {
		if (s[i] != '.')
			continue;
		b = wsg_skip_space(s, len, i + 1);
		e = b;
		while (e < len && wsg_is_alpha((unsigned char)s[e]))
			e++;
		if (wsg_in_list(ext, s + b, e - b) < 0)
			continue;
		if (e - b == 3 && s[b] == 'p')	/* .php5, .php907 */
			while (e < len && wsg_is_digit((unsigned char)s[e]))
				e++;
		/* one token, not a URL or an absolute path */
		if (s[0] == '/' || memmem(s, len, "://", 3))
			return 0;
		for (size_t k = 0; k < i; k++)
			if (wsg_is_space((unsigned char)s[k]) || s[k] == '@')
				return 0;
		while (e < len && (s[e] == '.' || wsg_is_space((unsigned char)s[e])))
			e++;
		if (e == len || (e > b && s[e - 1] == '.' && wsg_is_alpha((unsigned char)s[e])) ||
		    (e > b && wsg_is_space((unsigned char)s[e - 1]) && s[e] == '.'))
			return wsg_code_hit(h, s[b] == 'j' ? WSG_JAVA_FILE : WSG_PHP_FILE, i);
	}
	return 0;
}

/*
 * java-001/node-001: names that are an attack anywhere; a package name must start a token
 * ("www.java.com" is a host), "java." needs a package after it ("java.com" is a site).
 */
static const char *wsg_code_list(const char *s, size_t len, const char *const *list, int tok)
{
	for (int k = 0; list[k]; k++) {
		size_t n = strlen(list[k]);

		for (const char *p = wsg_find(s, len, list[k]); p;
		     p = memmem(p + 1, len - (p + 1 - s), list[k], n)) {
			size_t i = (size_t)(p - s);

			if (!tok || i == 0 || !(wsg_is_word((unsigned char)s[i - 1]) ||
						s[i - 1] == '.' || s[i - 1] == '/' ||
						s[i - 1] == '@' || s[i - 1] == '-'))
				return p;
		}
	}
	return NULL;
}

static int wsg_code_word(const char *s, size_t len, struct wsg_hit *h)
{
	const char *p;

	if ((p = wsg_code_list(s, len, wsg_java_words, 0)) ||
	    (p = wsg_code_list(s, len, wsg_java_pkgs, 1)))
		return wsg_code_hit(h, WSG_JAVA_NAME, (size_t)(p - s));
	if ((p = wsg_code_list(s, len, wsg_node_words, 0)))
		return wsg_code_hit(h, WSG_NODE_PROC, (size_t)(p - s));
	/* java.Runtime, java.evil.processbuilder: java. and a class-like word */
	for (p = wsg_find(s, len, "java."); p; p = memmem(p + 1, len - (p + 1 - s), "java.", 5)) {
		size_t i = (size_t)(p - s), j = i + 5;

		if (i > 0 && (wsg_is_word((unsigned char)s[i - 1]) || s[i - 1] == '.' ||
			      s[i - 1] == '/' || s[i - 1] == '@' || s[i - 1] == '-'))
			continue;
		if (j < len && wsg_is_alpha((unsigned char)s[j]) &&
		    !wsg_word_at(s, len, j, "com") && !wsg_word_at(s, len, j, "sun"))
			return wsg_code_hit(h, WSG_JAVA_NAME, i);
	}
	/* runtime.<gadget> (the gadget words above catch most), new Function( */
	for (p = wsg_find(s, len, "function"); p;
	     p = memmem(p + 1, len - (p + 1 - s), "function", 8)) {
		size_t i = (size_t)(p - s), j = wsg_skip_space(s, len, i + 8);

		if (i >= 4 && !memcmp(s + i - 4, "new", 3) && wsg_is_space((unsigned char)s[i - 1]) &&
		    j < len && s[j] == '(')
			return wsg_code_hit(h, WSG_NODE_PROC, i - 4);
	}
	/* require('x'), require("child_process") and bare require as a value's function */
	for (p = wsg_find(s, len, "require"); p;
	     p = memmem(p + 1, len - (p + 1 - s), "require", 7)) {
		size_t i = (size_t)(p - s), j = wsg_skip_space(s, len, i + 7);

		if (i > 0 && wsg_is_word((unsigned char)s[i - 1]))
			continue;
		if (j + 1 < len && s[j] == '(' && strchr("'\"`", s[wsg_skip_space(s, len, j + 1)]))
			return wsg_code_hit(h, WSG_NODE_PROC, i);
		if (j < len && s[j] == ';' && i > 0 && s[i - 1] == '=')
			return wsg_code_hit(h, WSG_NODE_PROC, i);
	}
	return 0;
}

/* The value starts with it (after blanks). */
static int wsg_starts(const char *s, size_t len, const char *w)
{
	size_t i = wsg_skip_space(s, len, 0);

	return wsg_has_prefix(s + i, len - i, w);
}

/* A constant loop condition: only literals and operators ("!0", "true", "!![]"). */
static int wsg_const_cond(const char *s, size_t b, size_t e)
{
	static const char *const lit[] = { "true", "null", "undefined", "nan", "new", "date",
					   "infinity", NULL };

	if (b >= e)
		return 0;
	for (size_t i = b; i < e;) {
		size_t j = i;

		if (!wsg_is_alpha((unsigned char)s[i])) {
			if (!strchr("!+-~0123456789'\"`[]{} .", s[i]))
				return 0;
			i++;
			continue;
		}
		while (j < e && wsg_is_alpha((unsigned char)s[j]))
			j++;
		if (wsg_in_list(lit, s + i, j - i) < 0)
			return 0;
		i = j;
	}
	return 1;
}

/*
 * node-002: the value is a console call ("console.info(1)") or a busy loop on a constant
 * ("while(!0);"); in prose both are advice.
 */
static int wsg_node_value(const char *s, size_t len, struct wsg_hit *h)
{
	size_t i = wsg_skip_space(s, len, 0);

	if (wsg_starts(s, len, "console.")) {
		size_t j = i + 8;

		while (j < len && wsg_is_alpha((unsigned char)s[j]))
			j++;
		if (j > i + 8 && j < len && s[j] == '(')
			return wsg_code_hit(h, WSG_NODE_VALUE, i);
	}
	if (wsg_starts(s, len, "process.env") || wsg_starts(s, len, "process.exit") ||
	    wsg_starts(s, len, "process.kill"))
		return wsg_code_hit(h, WSG_NODE_VALUE, i);
	for (const char *p = wsg_find(s, len, "while("); p;
	     p = memmem(p + 1, len - (p + 1 - s), "while(", 6)) {
		size_t b = (size_t)(p - s) + 6, e = b;
		int depth = 1;

		while (e < len && depth) {
			depth += s[e] == '(';
			depth -= s[e] == ')';
			e++;
		}
		if (wsg_const_cond(s, b, depth ? e : e - 1)) {
			size_t k = wsg_skip_space(s, len, e);

			if (k == len || s[k] == ';' || s[k] == '{')
				return wsg_code_hit(h, WSG_NODE_VALUE, (size_t)(p - s));
		}
	}
	return 0;
}

/* node-003: "$7:Module:prototype", "$1:__proto__:then", "$3:constructor:constructor". */
static int wsg_node_flight(const char *s, size_t len, struct wsg_hit *h)
{
	static const char *const keys[] = { ":__proto__", ":constructor", ":prototype", NULL };

	for (int k = 0; keys[k]; k++) {
		for (const char *p = wsg_find(s, len, keys[k]); p;
		     p = memmem(p + 1, len - (p + 1 - s), keys[k], strlen(keys[k]))) {
			size_t b = (size_t)(p - s);

			while (b > 0 && (wsg_is_word((unsigned char)s[b - 1]) || s[b - 1] == ':'))
				b--;
			if (b > 0 && s[b - 1] == '$' && wsg_is_word((unsigned char)s[b]))
				return wsg_code_hit(h, WSG_NODE_FLIGHT, b - 1);
		}
	}
	return 0;
}

/*
 * java-002: ${jndi:...} once nested lookups are folded: ${lower:j}, ${::-n}, ${env:X:-d}
 * each stand for the character(s) after their last ':' (or '-').
 */
static int wsg_java_jndi(const char *s, size_t len, struct wsg_hit *h)
{
	const char *p = wsg_find(s, len, "${");
	char buf[16];
	size_t n = 0;

	if (!p)
		return 0;
	for (size_t i = (size_t)(p - s) + 2; i < len && n < sizeof(buf); i++) {
		if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
			const char *c = memchr(s + i, '}', len - i);
			size_t e, b;

			if (!c)
				return 0;
			e = (size_t)(c - s);
			b = e;
			while (b > i + 2 && s[b - 1] != ':' && s[b - 1] != '-')
				b--;
			for (size_t k = b; k < e && n < sizeof(buf); k++)
				buf[n++] = s[k];
			i = e;
			continue;
		}
		if (wsg_is_space((unsigned char)s[i]))
			continue;
		buf[n++] = s[i];
		if (s[i] == ':')
			break;
	}
	if (n >= 5 && !memcmp(buf, "jndi:", 5))
		return wsg_code_hit(h, WSG_JAVA_JNDI, (size_t)(p - s));
	p = wsg_find(s, len, "jndi:");
	if (p && (p - s < 2 || memmem(s, (size_t)(p - s), "${", 2)))
		return wsg_code_hit(h, WSG_JAVA_JNDI, (size_t)(p - s));
	return 0;
}

static int wsg_code_b64(const char *s, size_t len, struct wsg_hit *h)
{
	for (int k = 0; wsg_b64_cores[k]; k++) {
		const char *p = wsg_find(s, len, wsg_b64_cores[k]);

		if (p)
			return wsg_code_hit(h, WSG_JAVA_B64, (size_t)(p - s));
	}
	return 0;
}

/* php-008: the whole value is "directive = value" or an upload header name. */
static int wsg_php_ini_value(const char *s, size_t len, struct wsg_hit *h)
{
	size_t i = wsg_skip_space(s, len, 0), e = i;
	int k;

	while (e < len && (wsg_is_word((unsigned char)s[e]) || s[e] == '.' || s[e] == '-'))
		e++;
	if (wsg_in_list(wsg_php_upload, s + i, e - i) >= 0)
		return wsg_skip_space(s, len, e) == len ? wsg_code_hit(h, WSG_PHP_INI, i) : 0;
	k = wsg_in_list(wsg_php_ini, s + i, e - i);
	if (k < 0 && !(e - i == 4 && !memcmp(s + i, "smtp", 4)))
		return 0;
	if (e + 1 < len && s[e] == ' ')	/* "name =" and "name=" are the anchors */
		e++;
	if (e >= len || s[e] != '=')
		return 0;
	e = wsg_skip_space(s, len, e + 1);
	while (e < len && !wsg_is_space((unsigned char)s[e]))
		e++;
	return wsg_skip_space(s, len, e) == len ? wsg_code_hit(h, WSG_PHP_INI, i) : 0;
}

int wsg_detect_code(const struct wsg_text *t, struct wsg_hit *h)
{
	const char *s = t->s;
	size_t len = t->len;

	return wsg_php_tag(s, len, h) || wsg_php_var(s, len, h) || wsg_php_call(s, len, h) ||
	       wsg_php_indirect(s, len, h) || wsg_php_concat(s, len, h) ||
	       wsg_php_wrapper(s, len, h) ||
	       wsg_php_serialized(s, len, h) || wsg_script_file(s, len, h) ||
	       wsg_php_ini_value(s, len, h) ||
	       wsg_code_word(s, len, h) || wsg_node_value(s, len, h) ||
	       wsg_node_flight(s, len, h) || wsg_java_jndi(s, len, h) || wsg_code_b64(s, len, h);
}
