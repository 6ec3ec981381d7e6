// The benchmark's baseline: a bare node:http server that answers every request with the
// home page's bytes (read from the file named on the command line). Nothing else runs in it.
//   node bench/bare-server.js <port> <file>
import fs from 'node:fs';
import http from 'node:http';

const [port, file] = process.argv.slice(2);
if (!port || !file) {
	console.error('usage: node bench/bare-server.js <port> <file>');
	process.exit(2);
}
const body = fs.readFileSync(file);
const server = http.createServer((_req, res) => {
	res.writeHead(200, { 'content-type': 'text/html', 'content-length': body.length });
	res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
