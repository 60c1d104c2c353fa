// Opens COUNT WebSocket connections through nginx (CONCURRENCY at a time), sends one short
// message on each and waits for its echo; prints one JSON line with the time it took. The
// connections stay open until all are done, so nginx and wsguard hold COUNT at once.
//   node open_many.js --url ws://127.0.0.1:PORT/echo/ --count 2500 [--concurrency 100]
'use strict';
const WebSocket = require('ws');

const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const url = arg('--url');
const count = Number(arg('--count', 2500));
const conc = Number(arg('--concurrency', 100));
const open = [];
let started = 0, done = 0, failed = 0;
const t0 = process.hrtime.bigint();

function finish() {
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(JSON.stringify({ event: 'opened', count, ok: done - failed, failed, ms: Math.round(ms) }) + '\n');
  for (const ws of open) ws.terminate();
  process.exit(0);
}

function one() {
  if (started >= count) return;
  const i = started++;
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let settled = false;
  const end = (okay) => {
    if (settled) return;
    settled = true;
    done++;
    if (!okay) failed++;
    if (done === count) finish();
    else one();
  };
  ws.on('open', () => ws.send(`hello ${i}`));
  ws.on('message', () => end(true));
  ws.on('error', () => end(false));
  ws.on('close', () => end(false));
  open.push(ws);
}
for (let k = 0; k < conc; k++) one();
setTimeout(finish, Number(arg('--timeout', 120000))).unref();
