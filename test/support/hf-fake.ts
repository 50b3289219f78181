/**
 * A local node:http server with the Hugging Face Hub REST shapes that `src/storage/hf` uses (no
 * Hub emulator exists here): `GET /api/models/{repo}/revision/{rev}` (sha + siblings with sizes
 * and LFS sha256), `GET /{repo}/resolve/{sha}/{file}` answered with a 302 to a CDN-like path
 * that serves the bytes with `Range`. Private and gated repos answer 401/403 with the Hub's
 * `X-Error-Code` header unless the request carries the right Bearer token; unknown repos 404.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHfRepo {
  /** revision name → commit sha (40 hex). */
  refs: Record<string, string>;
  /** commit sha → files. */
  commits: Record<string, Map<string, { data: Buffer; lfs?: boolean }>>;
  private?: boolean;
  gated?: boolean;
}

export interface FakeHf {
  readonly url: string;
  readonly token: string;
  readonly repos: Map<string, FakeHfRepo>;
  readonly requests: { url: string; auth?: string; range?: string }[];
  /** Files whose next CDN response is cut half-way (FIN) once. */
  readonly cutOnce: Set<string>;
  /** Files served with wrong bytes (LFS sha256 must catch it). */
  readonly corrupt: Set<string>;
  close(): Promise<void>;
}

export const shaOf = (s: string): string => createHash('sha1').update(s).digest('hex');

export async function startFakeHf(): Promise<FakeHf> {
  const token = 'hf_test_secret_token';
  const repos = new Map<string, FakeHfRepo>();
  const requests: FakeHf['requests'] = [];
  const cutOnce = new Set<string>();
  const corrupt = new Set<string>();
  const err = (res: import('node:http').ServerResponse, status: number, code: string): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-error-code': code });
    res.end(JSON.stringify({ error: code }));
  };
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push({ url: req.url ?? '', auth: req.headers.authorization, range: req.headers.range });
    const cdn = /^\/cdn\/([^/]+\/[^/]+)\/([0-9a-f]{40})\/(.+)$/.exec(u.pathname);
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(u.pathname);
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(u.pathname);
    const m = cdn ?? api ?? resolve;
    if (!m) return err(res, 404, 'EntryNotFound');
    const repo = repos.get(m[1]!);
    if (!cdn) {
      if (!repo) return err(res, req.headers.authorization ? 404 : 401, 'RepoNotFound');
      const authed = req.headers.authorization === `Bearer ${token}`;
      if (repo.private && !authed) return err(res, 401, 'RepoNotFound');
      if (repo.gated && !authed) return err(res, 403, 'GatedRepo');
    }
    const rev = decodeURIComponent(m[2]!);
    const sha = repo?.refs[rev] ?? (repo?.commits[rev] ? rev : undefined);
    if (!repo || !sha) return err(res, 404, 'RevisionNotFound');
    const files = repo.commits[sha]!;
    if (api) {
      res.writeHead(200, { 'content-type': 'application/json' });
      const siblings = [...files].map(([name, f]) => {
        const s: Record<string, unknown> = { rfilename: name, size: f.data.length, blobId: shaOf(name) };
        if (f.lfs && u.searchParams.get('blobs') === 'true') s.lfs = { sha256: createHash('sha256').update(f.data).digest('hex'), size: f.data.length, pointerSize: 134 };
        return s;
      });
      return res.end(JSON.stringify({ id: m[1], sha, siblings }));
    }
    const name = m[3]!.split('/').map(decodeURIComponent).join('/');
    const file = files.get(name);
    if (!file) return err(res, 404, 'EntryNotFound');
    if (resolve) {
      res.writeHead(302, { location: `/cdn/${m[1]}/${sha}/${m[3]}` });
      return res.end();
    }
    let data = corrupt.has(name) ? Buffer.from(file.data.map((b) => b ^ 1)) : file.data;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let status = 200;
    if (range) {
      data = data.subarray(Number(range[1]));
      status = 206;
    }
    res.writeHead(status, { 'content-length': String(data.length), 'content-type': 'application/octet-stream' });
    if (cutOnce.delete(name)) {
      res.write(data.subarray(0, Math.floor(data.length / 2)), () => res.socket?.end());
      return;
    }
    res.end(data);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    repos,
    requests,
    cutOnce,
    corrupt,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
