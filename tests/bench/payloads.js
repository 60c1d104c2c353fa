// Message sets for the benchmarks through nginx, from the evaluation corpora: each output
// file is a sequence of records (4-byte little-endian length, then the message bytes), which
// ws_load sends round-robin, so messages with newlines and NULs (STOMP, SignalR) stay exact.
//   node payloads.js EVAL_DIR OUT_DIR      writes NAME.bin and NAME.jsonl ({"id","payload"})
//   node payloads.js --keep FILE.bin VERDICTS [MAXBYTES]  keeps the messages `wsguard scan`
//                                               allowed (a block ends the connection)
// apps.bin    client messages of the real application protocols (apps-dev, c2s) and the IRC
//             chat lines as Socket.IO events: the realistic mix
// stomp.bin, graphql.bin  the STOMP and GraphQL ones alone (their connections offer a
//             subprotocol: v12.stomp, graphql-transport-ws)
// prose1k.bin IRC chat lines joined into ~1 KiB Socket.IO events
// held1k.bin  1 KiB of benign prose with HTML markup and SQL words: every sound prefilter
//             must hold it
'use strict';
const fs = require('fs');
const path = require('path');

function records(file) {
  const b = fs.readFileSync(file);
  const out = [];
  for (let o = 0; o + 4 <= b.length;) {
    const n = b.readUInt32LE(o);
    out.push(b.subarray(o + 4, o + 4 + n).toString());
    o += 4 + n;
  }
  return out;
}

function pack(msgs) {
  const parts = [];
  for (const m of msgs) {
    const b = Buffer.from(m);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.length);
    parts.push(len, b);
  }
  return Buffer.concat(parts);
}

// --keep FILE.bin VERDICTS [MAXBYTES]: with MAXBYTES, allowed messages longer than that go
// to FILE.big.bin instead (nginx may forward one in several sends), and "kept fast big" is
// printed: messages kept, those the prefilter passes (`wsguard scan`'s fastpath), and big ones.
if (process.argv[2] === '--keep') {
  const [file, verdicts, max] = process.argv.slice(3);
  const vs = new Map(fs.readFileSync(verdicts, 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l)).map((v) => [v.id, v]));
  const kept = [], big = [];
  let fast = 0;
  records(file).forEach((m, i) => {
    const v = vs.get(String(i));
    if (!v || v.verdict !== 'allow') return;
    if (max && Buffer.byteLength(m) > Number(max)) return big.push(m);
    kept.push(m);
    fast += v.fastpath ? 1 : 0;
  });
  fs.writeFileSync(file, pack(kept));
  if (max) {
    fs.writeFileSync(file.replace(/\.bin$/, '.big.bin'), pack(big));
    console.log(`${kept.length} ${fast} ${big.length}`);
  }
  process.exit(0);
}

const [evalDir, outDir] = process.argv.slice(2);
const jsonl = (f) => fs.readFileSync(path.join(evalDir, f), 'utf8').split('\n').filter(Boolean)
  .map((l) => JSON.parse(l));
const event = (text) => '42' + JSON.stringify(['chat message', text]);

function write(name, msgs) {
  fs.writeFileSync(path.join(outDir, name), pack(msgs));
  fs.writeFileSync(path.join(outDir, name.replace(/\.bin$/, '.jsonl')),
    msgs.map((m, i) => JSON.stringify({ id: String(i), payload: m })).join('\n') + '\n');
  const bytes = msgs.reduce((a, m) => a + Buffer.byteLength(m), 0);
  console.log(`${name}: ${msgs.length} messages, mean ${Math.round(bytes / msgs.length)} B`);
}

// A Socket.IO binary packet ("451-[...]") waits for attachment frames the corpus lacks: the
// daemon (and socket.io) would hold it for them, and its connection would stall.
const apps = jsonl('apps-dev.jsonl').filter((r) => r.direction === 'c2s')
  .map((r) => r.payload).filter((m) => !/^4[56]\d+-/.test(m));
const irc = jsonl('benign-dev.jsonl').filter((r) => !r.category).map((r) => r.payload);
write('apps.bin', apps.concat(irc.map(event)));
// the protocols whose clients offer a subprotocol in the handshake, apart
const family = (f) => jsonl('apps-dev.jsonl').filter((r) => r.direction === 'c2s' && r.family === f)
  .map((r) => r.payload);
write('stomp.bin', family('stomp'));
write('graphql.bin', family('graphql-ws'));

const prose = [];
for (let i = 0, cur = ''; i < irc.length; i++) {
  cur = cur ? `${cur} ${irc[i]}` : irc[i];
  if (Buffer.byteLength(cur) >= 1000) {
    prose.push(event(cur));
    cur = '';
  }
}
write('prose1k.bin', prose);

const held = [];
for (let i = 0; i < 64; i++) {
  let t = '';
  while (Buffer.byteLength(t) < 1000)
    t += `<b>note ${i}</b>: please SELECT the option FROM the list and UPDATE your <i>profile</i>; `;
  held.push(event(t.slice(0, 1000)));
}
write('held1k.bin', held);
