/**
 * The manifest formats a model image can come in, validated into one shape.
 *
 * - OCI image manifest and Docker v2 schema 2 manifest: `layers[]` of descriptors
 *   (`mediaType`, `digest`, `size`, optional `annotations`).
 * - OCI image index and Docker manifest list: `manifests[]` with `platform`; one is picked
 *   (see `pickManifest`) and fetched by digest.
 * Docker schema 1 (signed, deprecated since 2017) is refused.
 */
import { StorageError } from '../provider.ts';
import { isDigest } from './reference.ts';

export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

/** The Accept header for manifest requests: every format above, best first. */
export const MANIFEST_ACCEPT = [MediaType.ociManifest, MediaType.ociIndex, MediaType.dockerManifest, MediaType.dockerList].join(', ');

/** ORAS names each file layer with this annotation (the file name it was pushed from). */
export const TITLE_ANNOTATION = 'org.opencontainers.image.title';
/** ORAS marks a directory pushed as one tar(+gzip) layer with this annotation = "true". */
export const ORAS_UNPACK_ANNOTATION = 'io.deis.oras.content.unpack';

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
}

export type Manifest =
  | { readonly kind: 'image'; readonly mediaType: string; readonly layers: readonly Descriptor[]; readonly artifactType?: string }
  | { readonly kind: 'index'; readonly mediaType: string; readonly manifests: readonly Descriptor[] };

function descriptor(v: unknown, where: string, fail: (why: string) => never): Descriptor {
  if (typeof v !== 'object' || v === null) fail(`${where} is not an object`);
  const d = v as Record<string, unknown>;
  if (typeof d.mediaType !== 'string') fail(`${where}.mediaType is missing`);
  if (typeof d.digest !== 'string' || !isDigest(d.digest)) fail(`${where}.digest ${JSON.stringify(d.digest)} is not a sha256/sha512 digest`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) fail(`${where}.size is not a non-negative integer`);
  return d as unknown as Descriptor;
}

/**
 * Parses manifest bytes. `contentType` is the response's Content-Type, used when the body has no
 * `mediaType` (the OCI spec makes it optional). Throws StorageError('NotFound') for a format this
 * client cannot use, naming it.
 */
export function parseManifest(body: Buffer, contentType: string | null, display: string): Manifest {
  const fail = (why: string): never => {
    throw new StorageError('NotFound', `${display}: unusable manifest: ${why}`);
  };
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return fail('not JSON');
  }
  if (typeof json !== 'object' || json === null) return fail('not an object');
  const m = json as Record<string, unknown>;
  if (m.schemaVersion !== 2) return fail(`schemaVersion ${JSON.stringify(m.schemaVersion)} (only schema 2 is supported)`);
  const mediaType = typeof m.mediaType === 'string' ? m.mediaType : (contentType?.split(';')[0]?.trim() ?? '');
  if (Array.isArray(m.manifests)) {
    return { kind: 'index', mediaType, manifests: m.manifests.map((d, i) => descriptor(d, `manifests[${i}]`, fail)) };
  }
  if (Array.isArray(m.layers)) {
    const layers = m.layers.map((d, i) => descriptor(d, `layers[${i}]`, fail));
    return { kind: 'image', mediaType, layers, ...(typeof m.artifactType === 'string' ? { artifactType: m.artifactType } : {}) };
  }
  return fail(`media type ${JSON.stringify(mediaType)} has neither layers nor manifests`);
}

/**
 * Picks one image from an index: the wanted platform, else linux/amd64, else the first entry that
 * is not an attestation (BuildKit stores provenance as `unknown/unknown` manifests).
 */
export function pickManifest(index: readonly Descriptor[], want: { os: string; architecture: string }): Descriptor | undefined {
  const usable = index.filter(
    (d) => d.platform?.os !== 'unknown' && d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest',
  );
  const match = (os: string, arch: string): Descriptor | undefined => usable.find((d) => d.platform?.os === os && d.platform.architecture === arch);
  return match(want.os, want.architecture) ?? match('linux', 'amd64') ?? usable[0];
}
