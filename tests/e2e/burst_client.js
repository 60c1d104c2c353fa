// Sends COUNT messages of SIZE bytes back to back on one WebSocket (each starts with markup,
// so the kernel prefilter holds every one), then waits for the echo of each; prints one JSON
// line: how many came back, whether in order and intact, and how long it took.
//   node burst_client.js --url ws://127.0.0.1:PORT/echo/ --count 12000 --size 1024
'use strict';
const WebSocket = require('ws');

const arg = (k, d) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : d; };
const url = arg('--url');
const count = Number(arg('--count', 12000));
const size = Number(arg('--size', 1024));
const body = (i) => { const h = `<b>burst ${i}</b> `; return h + 'x'.repeat(Math.max(0, size - h.length)); };

const ws = new WebSocket(url, { perMessageDeflate: false });
let got = 0, inOrder = true, closed = null;
const t0 = Date.now();
const done = () => {
  process.stdout.write(JSON.stringify({ event: 'burst', sent: count, echoed: got, in_order: inOrder,
    closed, ms: Date.now() - t0 }) + '\n');
  process.exit(0);
};
ws.on('open', () => { for (let i = 0; i < count; i++) ws.send(body(i)); });
ws.on('message', (d) => {
  if (d.toString() !== body(got)) inOrder = false;
  if (++got === count) { ws.close(); done(); }
});
ws.on('close', (code) => { closed = code; done(); });
ws.on('error', (e) => { closed = e.message; done(); });
setTimeout(done, Number(arg('--timeout', 60000))).unref();
