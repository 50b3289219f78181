/**
 * A node:http file server for storage tests, on port 0: serves in-memory files with ETag /
 * Last-Modified, HEAD, single `Range` requests (206, If-Range), redirects, and injected faults —
 * a connection cut mid-body, N × 500 then OK, fixed statuses (403/404), a slow body, no HEAD.
 * Counts requests per path so tests can assert "one download".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ServedFile {
  body: Buffer;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  /** Cut the connection after this many body bytes, for the first `cutTimes` GETs (default 1). */
  cutAfter?: number;
  cutTimes?: number;
  /** Answer 500 to the first `failTimes` GETs. */
  failTimes?: number;
  /** Always answer this status (403, 404 …). */
  status?: number;
  /** Ignore Range (always 200 with the whole body). */
  noRange?: boolean;
  /** HEAD → 405. */
  noHead?: boolean;
  /** Delay between 16 KiB chunks. */
  chunkDelayMs?: number;
  /** Omit Content-Length (chunked). */
  noLength?: boolean;
}

export interface FileServer {
  readonly url: string;
  readonly port: number;
  files: Map<string, ServedFile>;
  /** path → Location (302). */
  redirects: Map<string, string>;
  /** `${method} ${path}` → count. */
  hits: Map<string, number>;
  /** Request headers seen, in order. */
  requests: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  gets(path: string): number;
  close(): Promise<void>;
}

export async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, ServedFile>();
  const redirects = new Map<string, string>();
  const hits = new Map<string, number>();
  const requests: FileServer['requests'] = [];
  const sockets = new Set<Socket>();
  const cuts = new Map<string, number>();
  const fails = new Map<string, number>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    hits.set(`${method} ${path}`, (hits.get(`${method} ${path}`) ?? 0) + 1);
    requests.push({ method, path, headers: req.headers });
    const loc = redirects.get(path);
    if (loc) {
      res.writeHead(302, { location: loc }).end();
      return;
    }
    const f = files.get(path);
    if (!f) {
      res.writeHead(404).end('not found');
      return;
    }
    if (f.status) {
      res.writeHead(f.status).end(`status ${f.status}`);
      return;
    }
    if (method === 'HEAD' && f.noHead) {
      res.writeHead(405).end();
      return;
    }
    const base: Record<string, string> = { 'content-type': f.contentType ?? 'application/octet-stream', 'accept-ranges': f.noRange ? 'none' : 'bytes' };
    if (f.etag) base.etag = f.etag;
    if (f.lastModified) base['last-modified'] = f.lastModified;
    if (method === 'GET') {
      const n = fails.get(path) ?? 0;
      if (n < (f.failTimes ?? 0)) {
        fails.set(path, n + 1);
        res.writeHead(500).end('injected failure');
        return;
      }
    }
    let start = 0;
    let end = f.body.length - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (range && !f.noRange && (!ifRange || ifRange === f.etag || ifRange === f.lastModified)) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), end) : end;
      if (start >= f.body.length) {
        res.writeHead(416, { 'content-range': `bytes */${f.body.length}` }).end();
        return;
      }
      status = 206;
      base['content-range'] = `bytes ${start}-${end}/${f.body.length}`;
    }
    const slice = f.body.subarray(start, end + 1);
    if (!f.noLength) base['content-length'] = String(slice.length);
    res.writeHead(status, base);
    if (method === 'HEAD') {
      res.end();
      return;
    }
    const c = cuts.get(path) ?? 0;
    const cut = f.cutAfter !== undefined && c < (f.cutTimes ?? 1) ? f.cutAfter : undefined;
    if (cut !== undefined) cuts.set(path, c + 1);
    for (let off = 0; off < slice.length; off += 16 * 1024) {
      const chunk = slice.subarray(off, Math.min(off + 16 * 1024, slice.length));
      if (cut !== undefined && off + chunk.length > cut) {
        res.write(chunk.subarray(0, Math.max(0, cut - off)));
        // Let the client read what was sent before the cut (a fetch body that errors drops its
        // unread queue, which would make every cut look like a cut at byte 0).
        await new Promise((r) => setTimeout(r, 50));
        res.socket?.destroy();
        return;
      }
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      if (f.chunkDelayMs) await new Promise((r) => setTimeout(r, f.chunkDelayMs));
      if (res.destroyed) return;
    }
    res.end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    files,
    redirects,
    hits,
    requests,
    gets: (path) => hits.get(`GET ${path}`) ?? 0,
    close: () =>
      (closing ??= new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      })),
  };
}
