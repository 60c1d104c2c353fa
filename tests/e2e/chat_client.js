// A scriptable Socket.IO 4 chat client (WebSocket only, or --transports as asked) for the e2e tests:
// commands come line by line on stdin or from a scenario file; everything that happens is
// printed as one JSON line on stdout, so a shell script can drive several clients at once.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const readline = require('readline');
const { io } = require('socket.io-client');

const USAGE = `usage: chat_client.js --url URL --name NAME [--path /socket.io/] [--deflate]
                      [--transports websocket|polling|polling,websocket] [--no-upgrade]
                      [--scenario FILE.json] [--ack-timeout MS]
commands (stdin lines, or a JSON array of {"cmd":...} objects in the scenario file):
  say TEXT                         {"cmd":"say","text":"..."}          emit 'chat message'
  say-file FILE [GAP_MS]           {"cmd":"say-file","file":F,"gap":0}  one 'chat message' per line
  big SIZE                         {"cmd":"big","size":9000}            ask for a SIZE-byte broadcast
                                   {"cmd":"emit","event":E,"args":[..]} any event
  binary TEXT                      {"cmd":"binary","text":"..."}       emit 'upload' with TEXT as a
                                                                        Buffer (a binary event: its
                                                                        attachment is a binary frame)
  raw PACKET                       {"cmd":"raw","data":"2[...]"}        a Socket.IO packet as typed
  unmasked TEXT                    {"cmd":"unmasked","text":"..."}      an UNMASKED text frame
                                                                        (a protocol violation)
  sleep MS                         {"cmd":"sleep","ms":100}
  quit                             {"cmd":"quit"}
output: {"event":"connected"|"connect_error"|"message"|"big"|"sent"|"ack"|"ack_error"|
         "not_sent"|"disconnected"|"bye", "name":NAME, ...}`;

function parseArgs(argv) {
  const o = { ackTimeout: 10000, path: '/socket.io/', deflate: false, transports: ['websocket'], upgrade: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--url') o.url = argv[++i];
    else if (a === '--name') o.name = argv[++i];
    else if (a === '--scenario') o.scenario = argv[++i];
    else if (a === '--path') o.path = argv[++i];
    else if (a === '--deflate') o.deflate = true;
    else if (a === '--transports') o.transports = argv[++i].split(',');
    else if (a === '--no-upgrade') o.upgrade = false;
    else if (a === '--ack-timeout') o.ackTimeout = Number(argv[++i]);
    else { console.error(USAGE); process.exit(2); }
  }
  if (!o.url || !o.name) { console.error(USAGE); process.exit(2); }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const out = (event, fields = {}) =>
  process.stdout.write(JSON.stringify({ event, name: opts.name, ...fields }) + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const socket = io(opts.url, {
  transports: opts.transports,
  upgrade: opts.upgrade,
  path: opts.path,
  // --deflate: compress every message (when the server agrees), not only those over 1 KiB.
  ...(opts.deflate ? { perMessageDeflate: { threshold: 0 } } : {}),
  reconnection: false,          // a dropped connection must stay dropped for the tests to see it
  auth: { name: opts.name },
  timeout: 10000,
});

let connected = false;
let everConnected = false;
let seq = 0;
let pending = 0;
let closed = false;
const ready = new Promise((resolve) => {
  socket.on('connect', () => {
    connected = everConnected = true;
    // The WebSocket extensions the server agreed to (permessage-deflate or none).
    out('connected', { id: socket.id, transport: socket.io.engine?.transport?.name,
      extensions: socket.io.engine?.transport?.ws?.extensions ?? '' });
    socket.io.engine.on('upgrade', (t) => out('upgraded', { transport: t.name }));
    resolve(true);
  });
  socket.on('connect_error', (err) => { out('connect_error', { message: err.message }); resolve(false); });
});
socket.on('disconnect', (reason, details) => {
  connected = false;
  out('disconnected', { reason, description: details?.description?.message ?? details?.description ?? null });
});
socket.on('chat message', (msg) => out('message', { from: msg?.from, text: msg?.text }));
socket.on('big', (msg) => {
  const data = String(msg?.data ?? '');
  const sha256 = crypto.createHash('sha256').update(data).digest('hex');
  out('big', { from: msg?.from, size: msg?.size, bytes: Buffer.byteLength(data), intact: sha256 === msg?.sha256 });
});

// Emit one event with an acknowledgement; prints sent, then ack / ack_error (or not_sent).
function emit(event, args, what) {
  const n = ++seq;
  if (!connected) { out('not_sent', { seq: n, ...what }); return; }
  pending++;
  out('sent', { seq: n, ...what });
  socket.timeout(opts.ackTimeout).emit(event, ...args, (err) => {
    pending--;
    if (err) out('ack_error', { seq: n, error: err.message });
    else out('ack', { seq: n });
  });
}

// Text command lines become the same objects as scenario entries.
function parseLine(line) {
  if (line.startsWith('{')) return JSON.parse(line);
  const [, cmd, rest = ''] = line.match(/^(\S+)\s?(.*)$/s) || [];
  switch (cmd) {
    case 'say': return { cmd, text: rest };
    case 'say-file': { const [file, gap] = rest.split(/\s+/); return { cmd, file, gap: Number(gap || 0) }; }
    case 'big': return { cmd, size: Number(rest) };
    case 'raw': return { cmd, data: rest };
    case 'binary': return { cmd, text: rest };
    case 'unmasked': return { cmd, text: rest };
    case 'sleep': return { cmd, ms: Number(rest) };
    case 'quit': return { cmd };
    default: throw new Error(`unknown command: ${line}`);
  }
}

async function run(c) {
  switch (c.cmd) {
    case 'say': emit('chat message', [c.text], { text: c.text }); break;
    case 'say-file': {
      const lines = fs.readFileSync(c.file, 'utf8').split('\n').filter((l) => l.length);
      for (const text of lines) {
        emit('chat message', [text], { text });
        if (c.gap) await sleep(c.gap);
      }
      break;
    }
    case 'big': emit('big', [c.size], { size: c.size }); break;
    case 'emit': emit(c.event, c.args ?? [], { emitted: c.event, args: c.args ?? [] }); break;
    case 'binary': emit('upload', [Buffer.from(c.text)], { binary: c.text }); break;
    // Bypass the client's encoder: the packet goes out exactly as written (e.g. JSON escapes).
    case 'raw': socket.io.engine.write(c.data); out('sent', { seq: ++seq, raw: c.data }); break;
    case 'unmasked': {
      // Write an RFC 6455 text frame without the mask bit straight to the TCP socket.
      const payload = Buffer.from(`42${JSON.stringify(['chat message', c.text])}`);
      if (payload.length > 125) throw new Error('unmasked: keep it under 126 bytes');
      socket.io.engine.transport.ws._socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
      out('sent', { seq: ++seq, unmasked: c.text });
      break;
    }
    case 'sleep': await sleep(c.ms); break;
    case 'quit': await finish(); break;
    default: throw new Error(`unknown command ${JSON.stringify(c)}`);
  }
}

// Wait (bounded) for outstanding acks, then leave.
async function finish() {
  if (closed) return;
  closed = true;
  for (let t = 0; pending > 0 && connected && t < opts.ackTimeout; t += 20) await sleep(20);
  out('bye', { unacked: pending });
  socket.close();
  process.exit(everConnected ? 0 : 1);
}

// Commands run strictly in order; input that arrives early waits for the connection.
let chain = ready;
const enqueue = (c) => {
  chain = chain.then(() => run(c)).catch((err) => out('error', { message: err.message }));
};

if (opts.scenario) {
  for (const c of JSON.parse(fs.readFileSync(opts.scenario, 'utf8'))) enqueue(c);
  chain.then(finish);
} else {
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    try { enqueue(parseLine(line)); } catch (err) { out('error', { message: err.message }); }
  });
  rl.on('close', () => chain.then(finish));
}
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { chain = Promise.resolve(); finish(); });
