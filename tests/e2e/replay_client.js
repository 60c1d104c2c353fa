// Replays recorded messages (tests/bench/payloads.js records: 4-byte little-endian length,
// then the bytes) as text messages over CONNS WebSocket connections to an echo backend, one
// in flight per connection, and checks every echo is the message sent; prints one JSON line:
// sent, echoed intact, mismatched, connections closed early.
//   node replay_client.js --url ws://127.0.0.1:PORT/echo/ --file apps.bin [--conns 10]
//                         [--protocol P]   (a subprotocol to offer in the handshake)
'use strict';
const fs = require('fs');
const WebSocket = require('ws');

const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const url = arg('--url');
const conns = Number(arg('--conns', 10));
const protocol = arg('--protocol');
const buf = fs.readFileSync(arg('--file'));
const msgs = [];
for (let o = 0; o + 4 <= buf.length; o += 4 + buf.readUInt32LE(o))
  msgs.push(buf.subarray(o + 4, o + 4 + buf.readUInt32LE(o)));

let echoed = 0, mismatched = 0, closed = 0, finished = 0;
const waiting = []; /* per connection: the message awaiting its echo */
const t0 = Date.now();
const done = () => {
  const stuck = waiting.filter((m) => m !== null).map((m) => m.toString().slice(0, 120));
  process.stdout.write(JSON.stringify({ event: 'replay', sent: msgs.length, echoed, mismatched,
    closed, stuck, ms: Date.now() - t0 }) + '\n');
  process.exit(0);
};

for (let c = 0; c < conns; c++) {
  const mine = msgs.filter((m, i) => i % conns === c);
  const ws = new WebSocket(url, protocol ? [protocol] : [], { perMessageDeflate: false });
  let next = 0, over = false;
  const end = (early) => {
    if (over) return;
    over = true;
    closed += early ? 1 : 0;
    if (++finished === conns) done();
  };
  const send = () => {
    waiting[c] = next < mine.length ? mine[next] : null;
    return next < mine.length ? ws.send(mine[next], { binary: false }) : (ws.close(), end(false));
  };
  ws.on('open', send);
  ws.on('message', (d) => {
    if (Buffer.compare(Buffer.from(d), mine[next]) === 0) echoed++;
    else mismatched++;
    next++;
    send();
  });
  ws.on('close', () => end(next < mine.length));
  ws.on('error', () => end(true));
}
setTimeout(done, Number(arg('--timeout', 60000))).unref();
