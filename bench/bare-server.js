// The benchmark's baseline: a bare node:http server that answers every request with one page's
// bytes (read from the file named on the command line). Nothing else runs in it. When
// `<file>.br` and `<file>.gz` exist (the same page as CoLab sends it compressed), a request
// that accepts Brotli or gzip gets those bytes instead, with the headers CoLab sends, so the
// comparison is against the very bytes a browser would get.
//   node bench/bare-server.js <port> <file>
import fs from 'node:fs';
import http from 'node:http';

const [port, file] = process.argv.slice(2);
if (!port || !file) {
	console.error('usage: node bench/bare-server.js <port> <file>');
	process.exit(2);
}
/** @param {string} name */
const readIfThere = (name) => (fs.existsSync(name) ? fs.readFileSync(name) : undefined);
const body = fs.readFileSync(file);
const br = readIfThere(`${file}.br`);
const gzip = readIfThere(`${file}.gz`);
const server = http.createServer((req, res) => {
	const accept = req.headers['accept-encoding'] ?? '';
	// The least work that still honours the request: no q-values, as sirv does.
	if (br && accept.includes('br')) {
		res.writeHead(200, {
			'content-type': 'text/html',
			'content-encoding': 'br',
			vary: 'Accept-Encoding',
			'content-length': br.length
		});
		res.end(br);
	} else if (gzip && accept.includes('gzip')) {
		res.writeHead(200, {
			'content-type': 'text/html',
			'content-encoding': 'gzip',
			vary: 'Accept-Encoding',
			'content-length': gzip.length
		});
		res.end(gzip);
	} else {
		res.writeHead(200, { 'content-type': 'text/html', 'content-length': body.length });
		res.end(body);
	}
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
