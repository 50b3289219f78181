/**
 * A small OCI push client for tests: builds tar layers byte by byte (so a test can put `../evil`,
 * whiteouts or links in them), and pushes blobs (POST an upload, PUT ?digest=) and manifests to a
 * registry over the distribution v2 API, as `oras push` / `docker push` do.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  readonly path: string;
  /** Default 'file'. */
  readonly type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo';
  readonly body?: Buffer | string;
  readonly linkpath?: string;
  readonly mode?: number;
}

const TYPEFLAG = { file: '0', hardlink: '1', symlink: '2', fifo: '6', dir: '5' } as const;

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

/** A ustar archive (names ≤ 100 bytes) ending in two zero blocks. */
export function tar(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? 'file';
    const body = type === 'file' ? Buffer.from(e.body ?? '') : Buffer.alloc(0);
    const h = Buffer.alloc(512);
    h.write(e.path, 0, 100, 'utf8');
    h.write(octal(e.mode ?? (type === 'dir' ? 0o755 : 0o644), 8), 100, 'ascii');
    h.write(octal(0, 8), 108, 'ascii');
    h.write(octal(0, 8), 116, 'ascii');
    h.write(octal(body.length, 12), 124, 'ascii');
    h.write(octal(1_700_000_000, 12), 136, 'ascii');
    h.write('        ', 148, 'ascii');
    h.write(TYPEFLAG[type], 156, 'ascii');
    if (e.linkpath) h.write(e.linkpath, 157, 100, 'utf8');
    h.write('ustar\0', 257, 'ascii');
    h.write('00', 263, 'ascii');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    blocks.push(h, body);
    const pad = (512 - (body.length % 512)) % 512;
    if (pad) blocks.push(Buffer.alloc(pad));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export const tarGz = (entries: readonly TarEntry[]): Buffer => gzipSync(tar(entries));

export function sha256(b: Buffer | string): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string };
}

export class OciPusher {
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** Monolithic upload: POST /blobs/uploads/ → 202 Location, then PUT Location?digest=. */
  async blob(repo: string, data: Buffer, mediaType: string, annotations?: Record<string, string>): Promise<Descriptor> {
    const digest = sha256(data);
    const start = await fetch(`${this.baseUrl}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers: this.headers });
    if (start.status !== 202) throw new Error(`upload start ${repo}: ${start.status} ${await start.text()}`);
    const location = new URL(start.headers.get('location')!, this.baseUrl);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, {
      method: 'PUT',
      headers: { ...this.headers, 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
      body: data,
    });
    if (put.status !== 201) throw new Error(`upload ${repo} ${digest}: ${put.status} ${await put.text()}`);
    return { mediaType, digest, size: data.length, ...(annotations ? { annotations } : {}) };
  }

  /** PUT /manifests/<reference>; returns the manifest's digest. */
  async manifest(repo: string, reference: string, manifest: object, mediaType: string): Promise<string> {
    const body = Buffer.from(JSON.stringify(manifest));
    const res = await fetch(`${this.baseUrl}/v2/${repo}/manifests/${reference}`, {
      method: 'PUT',
      headers: { ...this.headers, 'content-type': mediaType },
      body,
    });
    if (res.status !== 201) throw new Error(`manifest ${repo}:${reference}: ${res.status} ${await res.text()}`);
    return sha256(body);
  }

  /** An OCI image: an empty-ish config and the given layers (tar or tar+gzip). */
  async image(repo: string, tag: string, layers: readonly { data: Buffer; gzip: boolean }[]): Promise<{ digest: string; layers: Descriptor[] }> {
    const config = await this.blob(repo, Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } })), 'application/vnd.oci.image.config.v1+json');
    const descs: Descriptor[] = [];
    for (const l of layers) {
      descs.push(await this.blob(repo, l.data, l.gzip ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar'));
    }
    const digest = await this.manifest(repo, tag, { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config, layers: descs }, 'application/vnd.oci.image.manifest.v1+json');
    return { digest, layers: descs };
  }

  /** An ORAS artifact: one layer per file, named by org.opencontainers.image.title (as `oras push reg/repo:tag a b`). */
  async orasArtifact(repo: string, tag: string, files: Record<string, Buffer>): Promise<{ digest: string; layers: Descriptor[] }> {
    const config = await this.blob(repo, Buffer.from('{}'), 'application/vnd.oci.empty.v1+json');
    const layers: Descriptor[] = [];
    for (const [name, data] of Object.entries(files)) {
      layers.push(await this.blob(repo, data, 'application/vnd.oci.image.layer.v1.tar', { 'org.opencontainers.image.title': name }));
    }
    const manifest = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.kserve.model.v1',
      config,
      layers,
      annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z' },
    };
    const digest = await this.manifest(repo, tag, manifest, 'application/vnd.oci.image.manifest.v1+json');
    return { digest, layers };
  }
}
