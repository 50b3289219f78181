/**
 * Anchor for targets 2 and 4: the least a Node HTTP inference server can do. A bare node:http
 * server on the same URL shape as kserve-ts (`POST /v2/models/NAME/infer`) that reads the whole
 * body, JSON.parses it (for the binary extension: the JSON header only, like kserve-ts), and answers
 * with JSON.stringify of an OIP v2 response of the same shape kserve-ts returns for the iris model,
 * without running any model. Also `GET /v2/health/live`.
 *
 *   node --import tsx bench/anchors/bare-http.ts [--port 0] [--host 127.0.0.1]
 *   → prints "bare-http listening: http://HOST:PORT"
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { num, parseFlags } from '../lib/args.ts';

const HEADER_LENGTH = 'inference-header-content-length';
const OUTPUT = new Uint8Array(new BigInt64Array([1n, 1n]).buffer);

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string | number> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

async function infer(req: IncomingMessage, res: ServerResponse, model: string): Promise<void> {
  const body = await readBody(req);
  const hl = req.headers[HEADER_LENGTH];
  const headerLength = typeof hl === 'string' ? Number(hl) : undefined;
  const parsed = JSON.parse(body.toString('utf8', 0, headerLength ?? body.byteLength)) as { id?: string };
  const id = parsed.id ?? randomUUID();
  if (headerLength === undefined) {
    send(res, 200, JSON.stringify({ model_name: model, id, outputs: [{ name: 'output-0', datatype: 'INT64', shape: [2], data: [1, 1] }] }));
    return;
  }
  const head = Buffer.from(JSON.stringify({ model_name: model, id, outputs: [{ name: 'output-0', datatype: 'INT64', shape: [2], parameters: { binary_data_size: OUTPUT.byteLength } }] }));
  res.writeHead(200, { 'content-type': 'application/octet-stream', [HEADER_LENGTH]: head.byteLength, 'content-length': head.byteLength + OUTPUT.byteLength });
  res.write(head);
  res.end(OUTPUT);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const parts = (req.url ?? '/').split('?', 1)[0]!.split('/');
  // ['', 'v2', 'models', NAME, 'infer']
  if (req.method === 'POST' && parts.length === 5 && parts[1] === 'v2' && parts[2] === 'models' && parts[4] === 'infer') {
    infer(req, res, decodeURIComponent(parts[3]!)).catch((err: unknown) => send(res, 400, JSON.stringify({ error: String(err) })));
    return;
  }
  if (req.method === 'GET' && req.url === '/v2/health/live') {
    send(res, 200, '{"live":true}');
    return;
  }
  req.resume();
  send(res, 404, '{"error":"not found"}');
}

function main(argv: readonly string[]): void {
  const flags = parseFlags(argv, { port: '0', host: '127.0.0.1' });
  const server = createServer({ keepAliveTimeout: 60_000 }, handle);
  server.listen(num(flags, 'port'), flags.host, () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`bare-http listening: http://${flags.host}:${port}\n`);
  });
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.argv.slice(2));
