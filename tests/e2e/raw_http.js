// Raw HTTP and WebSocket over one TCP connection to nginx, for the tests that attack the
// filter around the WebSocket path: keep-alive request sequences, pipelining, a plain
// request followed by an upgrade, Engine.IO polling bodies written by hand. Steps are JSON
// on the command line; every step's outcome is one JSON line on stdout.
//   node raw_http.js --port PORT STEP...
//   STEP: {"send":"GET / HTTP/1.1\r\n..."}          write these bytes (JSON string escapes)
//         {"expect":"response"}                    read one HTTP response (status, body)
//         {"ws":"42[\"chat message\",\"hi\"]"}       write a masked WebSocket text frame
//         {"wait":MS}                              read whatever comes for MS milliseconds
// The last line is {"event":"end","closed":true|false,"statuses":[...],"text":"..."}.
'use strict';
const net = require('net');
const crypto = require('crypto');

const args = process.argv.slice(2);
const port = Number(args[args.indexOf('--port') + 1]);
const steps = args.filter((a, i) => a !== '--port' && args[i - 1] !== '--port').map((a) => JSON.parse(a));
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

let buf = Buffer.alloc(0);
let closed = false;
const statuses = [];
const sock = net.connect(port, '127.0.0.1');
sock.on('data', (d) => { buf = Buffer.concat([buf, d]); });
sock.on('close', () => { closed = true; });
sock.on('error', () => { closed = true; });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function frame(text) {
  const payload = Buffer.from(text);
  const key = crypto.randomBytes(4);
  let head;
  if (payload.length < 126) head = Buffer.from([0x81, 0x80 | payload.length]);
  else if (payload.length < 65536) { head = Buffer.from([0x81, 0x80 | 126, 0, 0]); head.writeUInt16BE(payload.length, 2); }
  else throw new Error('frame too large');
  const masked = Buffer.from(payload.map((b, i) => b ^ key[i & 3]));
  return Buffer.concat([head, key, masked]);
}

// One HTTP response from buf (Content-Length, chunked, or a 101 header block alone).
function takeResponse() {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1');
  const status = Number(head.split(' ')[1]);
  let rest = buf.subarray(end + 4);
  let body = '';
  if (status !== 101) {
    const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (cl) {
      if (rest.length < Number(cl[1])) return null;
      body = rest.subarray(0, Number(cl[1])).toString();
      rest = rest.subarray(Number(cl[1]));
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const s = rest.toString('latin1');
      const z = s.indexOf('\r\n0\r\n\r\n');
      const z0 = s.startsWith('0\r\n\r\n') ? 0 : -1;
      if (z < 0 && z0 < 0) return null;
      const stop = z0 === 0 ? 5 : z + 7;
      body = s.slice(0, stop);
      rest = rest.subarray(stop);
    }
  }
  buf = rest;
  return { status, body };
}

async function main() {
  await new Promise((r) => { sock.on('connect', r); sock.on('error', r); });
  for (const st of steps) {
    if (closed) break;
    if (st.send !== undefined) sock.write(Buffer.from(st.send, 'latin1'));
    else if (st.ws !== undefined) sock.write(frame(st.ws));
    else if (st.wait !== undefined) await sleep(st.wait);
    else if (st.expect === 'response') {
      let r = null;
      for (let t = 0; t < 5000 && !(r = takeResponse()) && !closed; t += 10) await sleep(10);
      if (!r) r = takeResponse();
      if (r) statuses.push(r.status);
      out({ event: 'response', status: r ? r.status : null, body: r ? r.body : null });
    }
  }
  await sleep(200);
  out({ event: 'end', closed, statuses, text: buf.toString('latin1') });
  sock.destroy();
}
main();
