// A plain `ws` echo backend for the e2e tests: every message comes back as it came, so a
// client can check that a burst arrived complete and in order through nginx and wsguard.
'use strict';
const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
const server = http.createServer((req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 1 << 20 });
wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
server.listen(port, '127.0.0.1', () => console.log(`listening ${port}`));
const stop = () => { wss.close(); server.close(() => process.exit(0)); setTimeout(() => process.exit(0), 500).unref(); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
