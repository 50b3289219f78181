/**
 * Graceful stop of a real model server (the bundled iris ONNX model): a request whose headers
 * arrived before close() but whose body arrives after is still answered — a router (the gateway)
 * that picked this replica just before it was told to stop must not see a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { silentLogger } from '../core/logger.ts';
import { parseModelServerArgs } from './config.ts';
import { startModelServer } from './model-server.ts';

test('close(): a request already on a connection when the stop begins is answered 200, then the server is gone', async () => {
  const { config } = parseModelServerArgs(['--model_dir', 'examples/models/iris', '--model_name', 'iris', '--http_port', '0', '--enable_grpc', 'false']);
  const server = await startModelServer(config, silentLogger);
  const body = '{"instances": [[6.8, 2.8, 4.8, 1.4]]}';
  const sock = net.connect(server.httpPort, '127.0.0.1');
  await new Promise<void>((r) => sock.once('connect', r));
  let reply = '';
  sock.on('data', (c: Buffer) => (reply += c.toString()));
  const ended = new Promise<void>((r) => sock.once('close', () => r()));
  // Headers first, as a proxy that streams the body writes them.
  sock.write(`POST /v1/models/iris:predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
  await new Promise((r) => setTimeout(r, 50));
  const closed = server.close();
  await new Promise((r) => setTimeout(r, 50));
  sock.write(body);
  await closed;
  await ended;
  assert.match(reply, /^HTTP\/1\.1 200 /, reply);
  assert.match(reply, /"predictions":\s*\[\s*\{?.*1/s);
  await assert.rejects(fetch(`http://127.0.0.1:${server.httpPort}/v2/health/live`), 'no longer listening');
});
