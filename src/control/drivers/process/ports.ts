/**
 * Free loopback ports for replicas: the kernel picks one (listen on port 0), we close the socket
 * and hand the number to the child. Another process could take it in between; the replica then
 * fails to bind, exits, and its restart picks new ports, so the race costs a restart, not a hang.
 *
 * The kernel may also hand the same port out again before the first child has bound it: with 100
 * InferenceServices applied at once two replicas got the same gRPC port (bench/up-scale.ts).
 * PortPicker, one per driver, never returns a port it returned recently.
 */
import { createServer } from 'node:net';

/** Ports a replica must never get: 8080 is the model server's default and often taken by people's own servers. */
const AVOID = new Set([8080]);

/** Resolves with a TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.unref();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        const p = typeof addr === 'object' && addr !== null ? addr.port : 0;
        srv.close(() => resolve(p));
      });
    });
    if (port > 0 && !AVOID.has(port)) return port;
  }
}

/** Hands out free ports, skipping the last `remember` it handed out (children may not have bound them yet). */
export class PortPicker {
  private readonly recent = new Set<number>();

  constructor(
    private readonly remember = 4096,
    private readonly pick: () => Promise<number> = freePort,
  ) {}

  async next(): Promise<number> {
    for (let tries = 0; ; tries++) {
      const port = await this.pick();
      if (this.recent.has(port) && tries < 100) continue;
      this.recent.delete(port);
      this.recent.add(port);
      // A Set iterates in insertion order: the first entry is the oldest.
      if (this.recent.size > this.remember) this.recent.delete(this.recent.values().next().value!);
      return port;
    }
  }
}
