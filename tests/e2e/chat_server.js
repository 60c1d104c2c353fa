// The backend of the e2e tests and demo: a Socket.IO 4 chat (WebSocket transport only, or
// also HTTP long-polling with --polling, as Socket.IO servers accept by default) that
// broadcasts every `chat message`, answers `big` with a large broadcast, acknowledges binary
// `upload`s, and appends every
// event it received to a JSON-lines log so tests can assert what reached the application.
'use strict';
const http = require('http');
const crypto = require('crypto');
const fs = require('fs');
const { Server } = require('socket.io');

// node chat_server.js --port PORT --log FILE [--deflate] [--polling]
function parseArgs(argv) {
  const opts = { port: process.env.PORT, log: process.env.LOG, deflate: process.env.DEFLATE === '1', polling: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') opts.port = argv[++i];
    else if (argv[i] === '--log') opts.log = argv[++i];
    else if (argv[i] === '--deflate') opts.deflate = true;
    else if (argv[i] === '--polling') opts.polling = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!opts.port || !opts.log) throw new Error('usage: chat_server.js --port PORT --log FILE [--deflate]');
  return opts;
}

// A deterministic, printable body of `size` bytes; clients check it by its sha256.
function bigBody(size, seed) {
  const line = `${seed} the quick brown fox jumps over the lazy dog 0123456789\n`;
  return line.repeat(Math.ceil(size / line.length)).slice(0, size);
}

const opts = parseArgs(process.argv.slice(2));
const log = fs.openSync(opts.log, 'a');
const record = (entry) => fs.writeSync(log, JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');

const server = http.createServer((req, res) => res.writeHead(404).end());
const io = new Server(server, {
  // without --polling every message travels in WebSocket frames
  transports: opts.polling ? ['polling', 'websocket'] : ['websocket'],
  perMessageDeflate: opts.deflate ? { threshold: 0 } : false,
  maxHttpBufferSize: 1e6,
});

io.on('connection', (socket) => {
  const name = String(socket.handshake.auth?.name ?? socket.handshake.query.name ?? socket.id);
  // remote is nginx's upstream socket, the one wsguard reports as src.
  const { remoteAddress, remotePort } = socket.request.socket;
  record({ kind: 'connect', name, id: socket.id, remote: `${remoteAddress}:${remotePort}` });

  // Every event the backend received, before any handling, is what the tests compare against;
  // binary attachments (Buffers) are logged as their text.
  socket.onAny((event, ...args) => {
    const logged = args.filter((a) => typeof a !== 'function')
      .map((a) => (Buffer.isBuffer(a) ? { buffer: a.toString('utf8') } : a));
    record({ kind: 'message', name, event, args: logged });
  });

  socket.on('upload', (data, ack) => {
    if (typeof ack === 'function') ack({ ok: true, bytes: Buffer.isBuffer(data) ? data.length : -1 });
  });

  socket.on('chat message', (text, ack) => {
    io.emit('chat message', { from: name, text });
    if (typeof ack === 'function') ack({ ok: true });
  });

  socket.on('big', (size, ack) => {
    const n = Math.min(Math.max(Number(size) || 0, 1), 4 << 20);
    const data = bigBody(n, name);
    const sha256 = crypto.createHash('sha256').update(data).digest('hex');
    io.emit('big', { from: name, size: n, sha256, data });
    if (typeof ack === 'function') ack({ ok: true, size: n });
  });

  socket.on('disconnect', (reason) => record({ kind: 'disconnect', name, id: socket.id, reason }));
});

server.listen(Number(opts.port), '127.0.0.1', () => console.log(`listening ${opts.port}`));

const stop = () => {
  setTimeout(() => process.exit(0), 1000).unref();
  io.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
