// Queries over the JSON-lines files the e2e run produces (client output, backend log, wsguard
// log), so the shell scripts need no jq.

//   jsonl.js count FILE COND...           number of lines matching every COND
//   jsonl.js has FILE COND...             exit 0 when at least one line matches
//   jsonl.js get FILE FIELD COND...       FIELD of the first matching line (exit 1 if none)
//   jsonl.js seq FILE FIELD EXPECTED COND...  FIELD over matching lines == EXPECTED's lines, in order
// COND is key=value (equal), key~value (contains) or key!=value; a key may be a path a.b.0.
'use strict';
const fs = require('fs');

const read = (file) =>
  (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => { try { return [JSON.parse(l)]; } catch { return []; } });

const field = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
const str = (v) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

function matcher(conds) {
  const tests = conds.map((c) => {
    const m = c.match(/^([^=~!]+)(=|~|!=)(.*)$/s);
    if (!m) throw new Error(`bad condition ${c}`);
    const [, key, op, want] = m;
    if (op === '=') return (o) => str(field(o, key)) === want;
    if (op === '!=') return (o) => str(field(o, key)) !== want;
    return (o) => str(field(o, key)).includes(want);
  });
  return (o) => tests.every((t) => t(o));
}

const [cmd, file, ...rest] = process.argv.slice(2);
switch (cmd) {
  case 'count':
    console.log(read(file).filter(matcher(rest)).length);
    break;
  case 'has':
    process.exit(read(file).some(matcher(rest)) ? 0 : 1);
    break;
  case 'get': {
    const [key, ...conds] = rest;
    const hit = read(file).find(matcher(conds));
    if (!hit) process.exit(1);
    console.log(str(field(hit, key)));
    break;
  }
  case 'seq': {
    const [key, expectedFile, ...conds] = rest;
    const want = fs.readFileSync(expectedFile, 'utf8').split('\n').filter((l) => l.length);
    const got = read(file).filter(matcher(conds)).map((o) => str(field(o, key)));
    let i = 0;
    while (i < want.length && i < got.length && want[i] === got[i]) i++;
    if (i === want.length && got.length === want.length) process.exit(0);
    console.log(`# ${file}: ${got.length} of ${want.length} in order up to #${i + 1}`);
    if (i < want.length) console.log(`#   expected: ${JSON.stringify(want[i])}`);
    if (i < got.length) console.log(`#   got:      ${JSON.stringify(got[i])}`);
    process.exit(1);
  }
  default:
    console.error('usage: jsonl.js count|has|get|seq FILE ...');
    process.exit(2);
}
