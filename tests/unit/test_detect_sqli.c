// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SQL injection detector on normalised text: true positives of every rule family,
 * chat-like true negatives (apostrophes, SQL words in prose, maths, code), and for every
 * firing string that one of the detector's anchors is in it (the soundness the kernel
 * prefilter relies on).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "wsg_test.h"
#include "detect.h"
#include "wsg_detect_check.h"

WSG_TEST_MAIN


/* One of the SQLi anchors in the text (with its JSON quotes when quoted). */
static int wsg_anchored(const char *s, int quoted)
{
	char buf[1024];

	if (strlen(s) + 3 > sizeof(buf))
		return 0;
	snprintf(buf, sizeof(buf), quoted ? "\"%s\"" : "%s", s);
	for (size_t i = 0; wsg_sqli_anchors[i]; i++)
		if (wsg_has_ci(buf, strlen(buf), wsg_sqli_anchors[i]))
			return 1;
	return 0;
}

/* The rule that fires on s as inspect.c would run it (anchor-gated), or NULL. */
static const char *wsg_sqli(const char *s, int quoted)
{
	struct wsg_text t = { .s = s, .len = strlen(s), .quoted = quoted };
	struct wsg_hit h = {};

	if (!wsg_detect_sqli(&t, &h))
		return NULL;
	CHECK(wsg_anchored(s, quoted), "\"%s\" fired %s without an anchor", s, h.rule->id);
	return wsg_anchored(s, quoted) ? h.rule->id : NULL;
}

#define SQLI(s) wsg_sqli((s), 1)

static void wsg_expect(const char *const *list, int want)
{
	for (int i = 0; list[i]; i++) {
		const char *r = SQLI(list[i]);

		CHECK(!!r == want, "%s \"%s\" (%s)", want ? "missed" : "false positive", list[i],
		      r ? r : "-");
	}
}

/* Chains as long as a message allows stay off the stack (WHILE overflowed it once). */
WSG_TEST(sqli_long_while_chain)
{
	static const char unit[] = "while 1=1 ";
	size_t n = 200000, u = sizeof(unit) - 1;
	char *s = malloc(n * u + 32);
	struct wsg_text t;
	struct wsg_hit h = {};

	REQUIRE(s, "memory");
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	strcpy(s + n * u, "; drop table users");
	t = (struct wsg_text){ .s = s, .len = strlen(s) };
	CHECK(wsg_detect_sqli(&t, &h), "the stacked DROP TABLE after the chain is found");
	memcpy(s, "1' or ", 6);
	for (size_t i = 0; i < n; i++)
		memcpy(s + 6 + i * 4, "not ", 4);
	strcpy(s + 6 + n * 4, "1=1 --");
	t = (struct wsg_text){ .s = s, .len = strlen(s) };
	CHECK(wsg_detect_sqli(&t, &h), "a NOT chain after a string break");
	free(s);
}

WSG_TEST(sqli_string_breaks)
{
	static const char *const hit[] = {
		"' or '1'='1",
		"admin'--",
		"1' and '1' like '0",
		"a' != 'b",
		"' or user like '%",
		"z'or email notnull--",
		"admin@juice-sh.op' and email ilike email--",
		"id'not like id--",
		"x'>email--",
		"' or abc!=1--",
		"\" or \"\"=\"",
		"')) waitfor delay '0:0:20' --",
		"',null,null) waitfor delay '0:0:20' /*",
		"' and 5650=convert(int,(union all selectchar(88)+char(88)))--",
		"aa' or column=+!1 #1",
		"1' order by 15000#",
		NULL,
	};

	wsg_expect(hit, 1);
}

WSG_TEST(sqli_numeric_and_keyword_injections)
{
	static const char *const hit[] = {
		"1 union select user from users",
		"-1 union select 1,2,3--",
		"182union select 1,2,3,4/*",
		"1 and sleep(5)",
		"1 or 1=1",
		"(1)or(1)=(1)",
		"17,23 order by 16",
		" order by 3# ",
		" having 1=1#",
		"1+((pi())) and (3=pi())--",
		"(select top 1 password from users)--",
		"select version();",
		"select * from pg_group;",
		"' ; drop table users --",
		"1; exec xp_cmdshell 'dir'",
		NULL,
	};

	wsg_expect(hit, 1);
}

WSG_TEST(sqli_fragments_and_dialects)
{
	static const char *const hit[] = {
		"concat(",
		"rtrim(",
		"substring(version(),1,1",
		"starts_with(password,'a')::int",
		"'{\"b\":2}'::jsonb",
		"pay=and 1!=\"",
		"pay=or (7319=8742)",
		" or x=y-- ",
		"hope and 8=(3)",
		"pi() && cos(pi())=-1",
		" ( ( binary ( 'b')) )  --",
		"1--",
		"@version --",
		"21 update homepage set title=cast(title as varchar(8000))",
		"0'*column is \\n - '1",
		"a 'not like' b",
		"', null, null) waitfor delay '0:0:20' --",
		"declare @s varchar(8000)",
		"sleep(5)=\"",
		") as cc from",
		"pay=||(c=!1)",
		"'1' not regexp '2'",
		"select concat(0x717a786a71,(select (case",
		"a' & 'b",
		"pay=;set @old_sql_mode",
		NULL,
	};

	wsg_expect(hit, 1);
}

WSG_TEST(sqli_chat_passes)
{
	static const char *const pass[] = {
		"don't select me",
		"select the best option",
		"where is the union hall",
		"i'd drop the table by the door",
		"it's 'or' not 'and' in that sentence",
		"she said 'whatever' and left",
		"it's 5'11\" not 6'",
		"the '90s were wild",
		"rock 'n' roll, 'n' stuff",
		"isn't 1 = 1 obvious? lol",
		"2+2=4",
		"score: 10-2=8",
		"if a<b and b<c then a<c",
		"use select * from t to see the rows",
		"try select count(*) from orders where status = 'open'",
		"the migration does alter table users add column age int",
		"we need to union together and execute the plan",
		"having fun? group by the entrance at noon",
		"i'm going to set the first one to \"/\" and partition 1 disc 1 and check format",
		"can you just use a splat? '/home/user/pics/*.jpg'",
		"ubuntu 1 or 2 more days",
		"users' files are in /home -- not in /root",
		"(see above) -- it was fixed",
		"$ (s='/tmp/x.txt'  &&  cat -- \"$s\")",
		"1611-abcdef--",
		"1,1--",
		"use std::string or concat them",
		"print(",
		"sleep(5) then retry",
		"or maybe tomorrow, 5 or 6 pm",
		"and then x = 2 happened",
		"1 - 2 -- we lost",
		"escribe \"/join #ubuntu-es\" (sin comillas)",
		"such as john from accounting",
		"'hello' and 'goodbye' are both in the dictionary",
		NULL,
	};

	wsg_expect(pass, 0);
}

WSG_TEST(sqli_functions_statements_and_quotes)
{
	static const char *const hit[] = {
		"database(",
		"max(",
		"length||(",
		"log&&(",
		"(convert(int,(select char(113)",
		"1=1",
		"42<=>42",
		"11!=1",
		"!=",
		"delete from users;--",
		"create table myfile (input text);",
		"exec sp_add_job @job_name = 'testjob';",
		"alter table `t` add `video` text",
		"declare @b",
		"if(7423=7424) select 7423 else drop function xcjl--",
		"1;load data infile \"foo\"",
		"1; if exists ( /* anything */",
		"'; while 1=1 shutdown-- -a",
		"2';use master exec xp_cmdhshell 'ping'--",
		"';select p",
		"drop/*comment*/sampletable",
		"declare/**/@x",
		"2010-01-01' sleep(20) '",
		"select pg_sleep",
		"admin@juice-sh.op\\' or json_valid (id);",
		"\\'or'1",
		"'{\"a\":2,\"c\":[4,5,{\"f\":7}]}' -> '$.c[2].f' = 7",
		"/get/or '{\"a\":\"b\"}' ? 'a'",
		"/get/or json_extract('{\"id\": 14}', '$.id') = 14",
		"length(version())",
		"'642' and (version() like '%4.0.26%')",
		"from `information_schema`",
		"from `db_miwf`.`sys_refindex` limit",
		"in ( select * from",
		"x' or array[id] is not null--",
		"1='1' or-- -",
		"foo' + (1 / ascii(substring(passwd,1,1))-4)--",
		"(select 1 foobar from dual)",
		"select @version foo -- junk",
		"-1 --x\n (select id from users limit 1,1)",
		"1-- foo sp_password",
		"1) from users where username='ad1min')",
		") like (",
		") when 234 then",
		"values ('192.168.0.1', 'test')",
		"pay= set @old_sql_notes",
		"1\u2019 or \u20191\u2019=\u2019x\u2019--",
		" or 0=0 \u2013",
		"' and 5650=convert(int,(select (case when (5650=5650) then char(49) end)))",
		"x'=(select 1)--",
		"1\nand current_user=@version",
		"hope and (8)=3",
		"@version into outfile 'asd'",
		"\" or \"\" \"",
		NULL,
	};

	wsg_expect(hit, 1);
}

WSG_TEST(sqli_function_and_statement_look_alikes_pass)
{
	static const char *const pass[] = {
		"max(3, 4) is 4",
		"date(1) prints the date",
		"log(x) grows slowly",
		"i'm left =(",
		"time :(",
		"2=3",
		"1 != 1",
		"3>2",
		"-> see above",
		"!= is not equal",
		"delete from the list please",
		"drop table by the window;",
		"delete from the list;--",
		"1; exec will create the case 7",
		"select 2 items",
		"if (x > 5) then do y",
		"use the `apt` command from `bash`",
		"the `foo`. `bar` thing",
		"python -c 'print(sys.version())'",
		"what does user() return?",
		"i'd sleep(8) hours",
		"it\u2019s ok \u2013 really",
		"don\u2019t \u2013",
		"2) from the menu where you pick settings",
		"values (see above)",
		"in (select few cases) it works",
		"x' or foo[1]",
		"the '{a}' thing -> nothing",
		"we went to see the order by the door",
		"use std::string or concat them",
		"necklace length 16\" or 18\"",
		"he said \"yes\" or \"no\" ok",
		NULL,
	};

	wsg_expect(pass, 0);
}
