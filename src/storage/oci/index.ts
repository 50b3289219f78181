/**
 * `oci://` model images (KServe's modelcar and `oci+fetch`), pulled over the OCI distribution v2
 * API, verified, and unpacked into the model dir.
 *
 * - `resolve`: the manifest for the tag or digest (an index picks the platform), its digest is
 *   the version; nothing else is downloaded.
 * - `download`: the manifest again, by that digest (verified), then each layer blob streamed to a
 *   temp file under `dest` with its digest checked before any byte is unpacked. Two layouts:
 *   an **ORAS artifact** (layers carry `org.opencontainers.image.title`): each titled layer is
 *   that file, or, with `io.deis.oras.content.unpack: "true"`, a directory tarball; a **modelcar
 *   image** (anything else): tar/tar+gzip layers applied in order, whiteouts honoured, keeping what
 *   lies under `/models`, the path KServe's modelcar serves from.
 *
 * Env (KServe's names): `KSERVE_OCI_DOCKER_CONFIG` (docker config.json path; else
 * `DOCKER_CONFIG`/config.json, else `HOME`/.docker/config.json), `KSERVE_OCI_INSECURE_REGISTRY`
 * (`true`: plain HTTP; loopback registries always are).
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ExtractLimits } from '../archive/safe-path.ts';
import { StorageError, type ParsedUri, type Progress, type ResolvedSource, type StorageContext, type StorageProvider } from '../provider.ts';
import { loadCredentials } from './auth.ts';
import { RegistryClient, type FetchedManifest } from './client.ts';
import { ORAS_UNPACK_ANNOTATION, TITLE_ANNOTATION, pickManifest, type Descriptor } from './manifest.ts';
import { insecureFromEnv, isDigest, parseOciReference } from './reference.ts';
import { unpackLayer } from './unpack.ts';

export interface OciProviderOptions {
  /** Attempts per request for connection errors and 5xx (default 3). */
  readonly attempts?: number;
  /** First retry delay in ms, doubling (default 250). */
  readonly retryBaseMs?: number;
  /** A request that receives no byte for this long is cut and retried or resumed (default 60,000). */
  readonly idleTimeoutMs?: number;
  /** Platform picked from an image index (default linux and this host's architecture). */
  readonly platform?: { os: string; architecture: string };
  readonly fetch?: typeof fetch;
  /** Per-layer unpack limits (archive bombs → TooLarge); defaults as `src/storage/archive`. */
  readonly limits?: ExtractLimits;
  /** Layer blobs downloaded at once (default 3); layers still apply in order. */
  readonly concurrency?: number;
  /** Clock for progress throttling (default Date.now). */
  readonly now?: () => number;
}

/** The folder under `dest` that holds blobs while they download; removed before returning. */
const TMP_DIR = '.kserve-oci-tmp';
const PROGRESS_EVERY_MS = 100;

function hostArchitecture(): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch;
}

function isTarLayer(mediaType: string): boolean {
  return /(^|[.+/])tar($|[.+])/.test(mediaType) && !/zstd/.test(mediaType);
}

/** Safe relative components of an ORAS title; refuses `..`, absolute paths and our temp dir. */
function titleParts(title: string, label: string): string[] {
  const parts = title.split('/').filter((p) => p !== '' && p !== '.');
  if (title.startsWith('/') || parts.includes('..') || parts.length === 0 || parts[0] === TMP_DIR) {
    throw new StorageError('UnsafeArchive', `${label}: file name ${JSON.stringify(title)} would land outside the model dir`);
  }
  return parts;
}

/** At most `n` of the functions given run at once, started in call order. */
function semaphore(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export function ociProvider(options: OciProviderOptions = {}): StorageProvider {
  const attempts = options.attempts ?? 3;
  const retryBaseMs = options.retryBaseMs ?? 250;
  const platform = options.platform ?? { os: 'linux', architecture: hostArchitecture() };
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const concurrency = Math.max(1, options.concurrency ?? 3);

  const client = async (uri: ParsedUri, ctx: StorageContext): Promise<RegistryClient> => {
    const ref = parseOciReference(uri, insecureFromEnv(ctx.env));
    const credentials = await loadCredentials(ctx.env, ref.registry, ctx.log);
    return new RegistryClient(ref, { credentials, signal: ctx.signal, attempts, retryBaseMs, idleTimeoutMs: options.idleTimeoutMs ?? 60_000, fetch: fetchImpl });
  };

  /** The image manifest `reference` names, through an index if it is one. */
  const image = async (c: RegistryClient, reference: string): Promise<FetchedManifest> => {
    const first = await c.manifest(reference, isDigest(reference) ? reference : undefined);
    if (first.manifest.kind === 'image') return first;
    const pick = pickManifest(first.manifest.manifests, platform);
    if (!pick) throw new StorageError('NotFound', `${c.ref.display}: the image index lists no image`);
    const second = await c.manifest(pick.digest, pick.digest);
    if (second.manifest.kind !== 'image') throw new StorageError('NotFound', `${c.ref.display}: index entry ${pick.digest} is not an image manifest`);
    return second;
  };

  const layersOf = (m: FetchedManifest): readonly Descriptor[] => (m.manifest.kind === 'image' ? m.manifest.layers : []);

  return {
    schemes: ['oci', 'oci+fetch', 'oci+native'],

    async resolve(uri: ParsedUri, ctx: StorageContext): Promise<ResolvedSource> {
      const c = await client(uri, ctx);
      const m = await image(c, c.ref.digest ?? c.ref.tag ?? 'latest');
      const totalBytes = layersOf(m).reduce((n, l) => n + l.size, 0);
      return { version: m.digest, totalBytes };
    },

    async download(uri: ParsedUri, source: ResolvedSource, dest: string, ctx: StorageContext): Promise<void> {
      // Our own abort stops the other blob downloads when one layer fails.
      const stop = new AbortController();
      const signal = ctx.signal ? AbortSignal.any([ctx.signal, stop.signal]) : stop.signal;
      const c = await client(uri, { ...ctx, signal });
      const m = await image(c, isDigest(source.version) ? source.version : (c.ref.digest ?? c.ref.tag ?? 'latest'));
      const layers = layersOf(m);
      const oras = layers.some((l) => typeof l.annotations?.[TITLE_ANNOTATION] === 'string');
      const used = oras ? layers.filter((l) => typeof l.annotations?.[TITLE_ANNOTATION] === 'string') : layers;
      const label = `${c.ref.display.replace(/@.*$/, '')}@${m.digest}`;
      for (const [i, l] of used.entries()) {
        if (!oras && !isTarLayer(l.mediaType)) {
          throw new StorageError('NotFound', `${label}: layer ${i} has media type ${l.mediaType}; kserve-ts unpacks tar and tar+gzip image layers`);
        }
      }

      const progress: Progress = { bytes: 0, totalBytes: used.reduce((n, l) => n + l.size, 0), files: 0, totalFiles: used.length };
      let lastReport = -Infinity;
      const report = (force: boolean): void => {
        const t = now();
        if (!ctx.onProgress || (!force && t - lastReport < PROGRESS_EVERY_MS)) return;
        lastReport = t;
        ctx.onProgress({ ...progress });
      };

      const tmp = join(dest, TMP_DIR);
      await mkdir(tmp, { recursive: true });
      // Blobs download `concurrency` at a time, in layer order; layers apply strictly in order as
      // each one's blob is complete and verified. The index in the name keeps two layers with the
      // same digest (an ORAS artifact with two identical files) apart.
      const fileOf = (i: number): string => join(tmp, `${i}-${used[i]!.digest.replace(':', '-')}`);
      const gate = semaphore(concurrency);
      const blobs = used.map((layer, i) =>
        gate(() =>
          c.blobToFile(layer.digest, layer.size, fileOf(i), (n) => {
            progress.bytes += n;
            report(false);
          }),
        ),
      );
      for (const b of blobs) b.catch(() => undefined); // awaited in order below; no unhandled rejection meanwhile
      try {
        let kept = 0;
        for (const [i, layer] of used.entries()) {
          const layerLabel = `${label} layer ${i} (${layer.digest})`;
          const file = fileOf(i);
          await blobs[i];
          const title = layer.annotations?.[TITLE_ANNOTATION];
          if (oras && title !== undefined && layer.annotations?.[ORAS_UNPACK_ANNOTATION] !== 'true') {
            const parts = titleParts(title, layerLabel);
            const target = join(dest, ...parts);
            await mkdir(dirname(target), { recursive: true });
            await rm(target, { recursive: true, force: true });
            await rename(file, target);
          } else {
            if (oras && title !== undefined) titleParts(title, layerLabel);
            kept += (await unpackLayer(file, dest, { label: layerLabel, keep: oras ? '' : 'models', limits: options.limits })).kept;
            await rm(file, { force: true });
          }
          progress.files = i + 1;
          report(true);
        }
        if (!oras && kept === 0) {
          throw new StorageError('NotFound', `${label}: the image has no /models directory (a KServe modelcar image keeps its model under /models)`);
        }
      } catch (err) {
        stop.abort();
        await Promise.allSettled(blobs); // nothing may still write into tmp when it is removed
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC' || code === 'EDQUOT') throw new StorageError('DiskFull', `${label}: disk full while writing (${code})`, { cause: err });
        throw err;
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
      ctx.log?.info('oci: pulled', { uri: c.ref.display, digest: m.digest, layers: used.length, bytes: progress.bytes, layout: oras ? 'oras' : 'modelcar' });
    },
  };
}
