/**
 * A model server that cannot bind a port exits with the error instead of hanging. The process
 * driver picks replica ports by listening on port 0 and closing (drivers/process/ports.ts); with
 * 100 replicas started at once two got the same gRPC port, and the loser kept its HTTP server
 * open, never ready, forever. Exiting lets the driver restart it on new ports.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { test } from 'node:test';
import { spawnModelServer } from './cli-helpers.ts';

function occupy(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '0.0.0.0', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

for (const flag of ['--grpc-port', '--http-port']) {
  test(`${flag} already taken: the model server exits 1 naming EADDRINUSE`, async () => {
    const { server, port } = await occupy();
    try {
      await assert.rejects(spawnModelServer(['--model-dir', 'examples/models', flag, String(port)], 20_000), /exited with 1[\s\S]*EADDRINUSE/);
    } finally {
      server.close();
    }
  });
}
