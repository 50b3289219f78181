/** Shared listen step for the HTTP and gRPC gateway ports. */
import type { AddressInfo, Server } from 'node:net';

/** Listens on host:port (0 = any free port); resolves with `host:port` (IPv6 bracketed) and the port. */
export async function listen(server: Server, host: string, port: number): Promise<{ hostPort: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return { hostPort: `${host.includes(':') ? `[${host}]` : host}:${bound}`, port: bound };
}
