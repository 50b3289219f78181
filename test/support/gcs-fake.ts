/**
 * A local node:http server with the REST shapes of the GCS JSON API that `src/storage/gcs` uses
 * (no GCS emulator is available here): object list with `prefix` + `pageToken` pages, object
 * metadata, `alt=media` with `Range`, 404s, 403 for private buckets without the right bearer
 * token, and an OAuth2 token endpoint that verifies the RS256 JWT-bearer assertion against the
 * service account's public key. Faults: `cutOnce` cuts an object's body mid-way once;
 * `corrupt` serves different bytes than the md5Hash says.
 */
import { createHash, createVerify, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGcsObject {
  data: Buffer;
  generation?: string;
  /** Composite objects have no md5Hash. */
  noMd5?: boolean;
}

export interface FakeGcs {
  readonly url: string;
  readonly buckets: Map<string, { objects: Map<string, FakeGcsObject>; private?: boolean }>;
  /** Names whose next media response is cut after half the bytes. */
  readonly cutOnce: Set<string>;
  /** Names served with wrong bytes. */
  readonly corrupt: Set<string>;
  readonly requests: { method: string; url: string; auth?: string; range?: string }[];
  readonly tokensIssued: string[];
  /** Public key accepted by the token endpoint, and the client_email it belongs to. */
  trust(clientEmail: string, key: KeyObject): void;
  close(): Promise<void>;
}

export const PAGE_SIZE = 2;

function crc32cBase64(buf: Buffer): string {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

export async function startFakeGcs(): Promise<FakeGcs> {
  const buckets: FakeGcs['buckets'] = new Map();
  const cutOnce = new Set<string>();
  const corrupt = new Set<string>();
  const requests: FakeGcs['requests'] = [];
  const tokensIssued: string[] = [];
  const trusted = new Map<string, KeyObject>();

  const meta = (name: string, o: FakeGcsObject): Record<string, string> => {
    const m: Record<string, string> = { name, size: String(o.data.length), generation: o.generation ?? '1', etag: createHash('md5').update(o.data).digest('hex'), crc32c: crc32cBase64(o.data) };
    if (!o.noMd5) m.md5Hash = createHash('md5').update(o.data).digest('base64');
    return m;
  };

  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, range: req.headers.range });
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && u.pathname === '/token') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const jwt = form.get('assertion') ?? '';
        const [h, c, s] = jwt.split('.');
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || !h || !c || !s) return json(400, { error: 'invalid_grant' });
        const claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as { iss: string; aud: string; scope: string; exp: number; iat: number };
        const key = trusted.get(claims.iss);
        const ok = key && createVerify('RSA-SHA256').update(`${h}.${c}`).verify(key, Buffer.from(s, 'base64url'));
        if (!ok || claims.aud !== `${url}/token` || !claims.scope.includes('devstorage') || claims.exp - claims.iat !== 3600) return json(400, { error: 'invalid_grant' });
        const token = `tok-${tokensIssued.length + 1}`;
        tokensIssued.push(token);
        json(200, { access_token: token, expires_in: 3600, token_type: 'Bearer' });
      });
      return;
    }
    const m = /^\/storage\/v1\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(u.pathname);
    if (req.method !== 'GET' || !m) return json(404, { error: { code: 404, message: 'Not Found' } });
    const bucket = buckets.get(decodeURIComponent(m[1]!));
    if (!bucket) return json(404, { error: { code: 404, message: 'The specified bucket does not exist.' } });
    if (bucket.private) {
      const auth = req.headers.authorization ?? '';
      if (!auth) return json(401, { error: { code: 401, message: 'Anonymous caller does not have storage.objects.list access' } });
      if (!tokensIssued.includes(auth.replace(/^Bearer /, ''))) return json(403, { error: { code: 403, message: 'Forbidden' } });
    }
    if (m[2] === undefined) {
      const prefix = u.searchParams.get('prefix') ?? '';
      const names = [...bucket.objects.keys()].filter((n) => n.startsWith(prefix)).sort();
      const start = Number(u.searchParams.get('pageToken') ?? '0');
      const page = names.slice(start, start + PAGE_SIZE);
      const body: Record<string, unknown> = {};
      if (page.length) body.items = page.map((n) => meta(n, bucket.objects.get(n)!));
      if (start + PAGE_SIZE < names.length) body.nextPageToken = String(start + PAGE_SIZE);
      return json(200, body);
    }
    const name = decodeURIComponent(m[2]);
    const obj = bucket.objects.get(name);
    if (!obj) return json(404, { error: { code: 404, message: 'No such object' } });
    if (u.searchParams.get('alt') !== 'media') return json(200, meta(name, obj));
    if (u.searchParams.get('generation') && u.searchParams.get('generation') !== (obj.generation ?? '1')) return json(404, { error: { code: 404, message: 'No such object' } });
    let data = corrupt.has(name) ? Buffer.from(obj.data.map((b) => b ^ 1)) : obj.data;
    let status = 200;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (range) {
      const from = Number(range[1]);
      headers['content-range'] = `bytes ${from}-${data.length - 1}/${data.length}`;
      data = data.subarray(from);
      status = 206;
    }
    headers['content-length'] = String(data.length);
    res.writeHead(status, headers);
    if (cutOnce.delete(name)) {
      // end() (FIN) rather than destroy() (may RST): the half that was sent arrives, then the body is short.
      res.write(data.subarray(0, Math.floor(data.length / 2)), () => res.socket?.end());
      return;
    }
    res.end(data);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    buckets,
    cutOnce,
    corrupt,
    requests,
    tokensIssued,
    trust: (email, key) => void trusted.set(email, key),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
