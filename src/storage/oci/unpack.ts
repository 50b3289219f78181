/**
 * Unpacks one verified image layer (tar, or tar+gzip: the parser detects gzip by its magic) into
 * the model dir, keeping only the entries under `keep` (`models` for a KServe modelcar image,
 * where the model lives at `/models`; '' to keep everything, for an ORAS directory layer).
 *
 * Layers apply in order as a container runtime applies them: a later file replaces an earlier
 * one, `dir/.wh.name` deletes `name` from lower layers, and `dir/.wh..wh..opq` empties `dir` of
 * what lower layers put there.
 *
 * Safety (any breach is UnsafeArchive and stops the pull): no absolute entry paths and no `..`
 * components in any entry; symlinks inside the kept tree must point inside it (an absolute
 * target `/models/x` is rewritten relative); hard links must name a kept file; nothing is written
 * through a symlink; device files and FIFOs inside the kept tree are refused.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { link, lstat, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { resolveLimits, tooLarge, type ExtractLimits } from '../archive/safe-path.ts';
import { StorageError } from '../provider.ts';

export interface LayerInfo {
  /** For messages: `oci://reg/repo@sha256:… layer 2 (sha256:…)`. */
  readonly label: string;
  /** Top-level image directory to keep ('' keeps all), without slashes. */
  readonly keep: string;
  /** Bomb limits, as the archive extractor's (default: 20× the layer's size, 1–50 GiB; 100,000 entries). */
  readonly limits?: ExtractLimits;
}

export interface UnpackResult {
  /** Entries under `keep` seen (0 means the layer had nothing for the model dir). */
  readonly kept: number;
}

const OPAQUE = '.wh..wh..opq';
const WHITEOUT = '.wh.';

function unsafe(info: LayerInfo, why: string): StorageError {
  return new StorageError('UnsafeArchive', `${info.label}: ${why}`);
}

/** Splits an entry path into clean components; refuses absolute paths and `..`. */
function components(raw: string, info: LayerInfo, what = 'entry'): string[] {
  if (raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw)) throw unsafe(info, `${what} ${JSON.stringify(raw)} is an absolute path`);
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw unsafe(info, `${what} ${JSON.stringify(raw)} climbs out with '..'`);
  return parts;
}

/** Throws if any existing directory on the way to `rel` (inside `dest`) is a symlink. */
async function refuseSymlinkParents(dest: string, rel: string[], info: LayerInfo): Promise<void> {
  let cur = dest;
  for (const part of rel.slice(0, -1)) {
    cur = join(cur, part);
    const st = await lstat(cur).catch(() => undefined);
    if (!st) return;
    if (st.isSymbolicLink()) throw unsafe(info, `entry ${JSON.stringify(rel.join('/'))} would be written through the symlink ${JSON.stringify(relative(dest, cur))}`);
  }
}

/** Removes whatever is at `path` (file, link, tree); the parent chain was checked first. */
async function clear(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/**
 * Where a symlink at image path `parts` pointing at `linkpath` lands, as dest-relative components.
 * Walks the target one component at a time so `..` past the image root is caught rather than
 * clamped (`posix.normalize('/a/../../x')` would silently give `/x`). Example with keep `models`:
 * `models/v1/model.onnx → ../shared/m.onnx` lands at `['shared', 'm.onnx']`;
 * `models/x → /etc/passwd` lands outside `/models` and is refused.
 */
function resolveLink(parts: string[], linkpath: string, info: LayerInfo, toDest: (p: string[]) => string[] | undefined): string[] {
  const refuse = (why: string): StorageError => unsafe(info, `symlink ${JSON.stringify(parts.join('/'))} → ${JSON.stringify(linkpath)} ${why}`);
  if (linkpath === '') throw refuse('has no target');
  const absolute = linkpath.startsWith('/');
  if (absolute && info.keep === '') throw refuse('is absolute');
  const stack = absolute ? [] : parts.slice(0, -1);
  for (const c of linkpath.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (stack.length === 0) throw refuse('climbs above the root');
      stack.pop();
    } else {
      stack.push(c);
    }
  }
  const mapped = toDest(stack);
  if (mapped === undefined) throw refuse(`points outside /${info.keep}`);
  return mapped;
}

export async function unpackLayer(file: string, dest: string, info: LayerInfo): Promise<UnpackResult> {
  const written = new Set<string>(); // dest-relative paths this layer wrote (opaque whiteouts keep them)
  let kept = 0;
  let writtenBytes = 0;
  const limits = resolveLimits((await lstat(file)).size, info.limits);
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  /** The file entry being written: a parser that aborts mid-entry never ends it, so we destroy it. */
  let current: ReadEntry | undefined;
  let parseFailed = false;
  const parser = new Parser({ strict: true });
  const source = createReadStream(file);

  /** Maps image components to dest-relative ones, or undefined when outside `keep`. */
  const toDest = (parts: string[]): string[] | undefined => {
    if (info.keep === '') return parts;
    if (parts[0] !== info.keep) return undefined;
    return parts.slice(1);
  };

  const handle = async (entry: ReadEntry): Promise<void> => {
    const parts = components(entry.path, info);
    const base = parts[parts.length - 1] ?? '';
    if (base.startsWith(WHITEOUT)) {
      entry.resume();
      const dirParts = parts.slice(0, -1);
      const target = base === OPAQUE ? dirParts : [...dirParts, base.slice(WHITEOUT.length)];
      // A whiteout of `keep` itself (or of `/` opaque) empties the whole model dir.
      const inKeep = info.keep === '' || target.length === 0 || target[0] === info.keep;
      if (!inKeep) return;
      const rel = toDest(target) ?? [];
      await refuseSymlinkParents(dest, [...rel, 'x'], info);
      if (base === OPAQUE || rel.length === 0) {
        const dir = join(dest, ...rel);
        const names = await readdir(dir).catch(() => [] as string[]);
        for (const name of names) {
          const childRel = [...rel, name].join('/');
          if (!written.has(childRel)) await clear(join(dir, name));
        }
      } else {
        await clear(join(dest, ...rel));
      }
      return;
    }
    const rel = toDest(parts);
    if (rel === undefined) {
      entry.resume();
      return;
    }
    kept++;
    if (kept > limits.maxEntries) throw tooLarge(info.label, `more than ${limits.maxEntries} entries`);
    if (rel.length === 0) {
      entry.resume(); // the `models/` directory entry itself: dest already exists
      return;
    }
    const relPath = rel.join('/');
    const target = join(dest, ...rel);
    await refuseSymlinkParents(dest, rel, info);
    switch (entry.type) {
      case 'Directory': {
        entry.resume();
        const st = await lstat(target).catch(() => undefined);
        if (st && !st.isDirectory()) await clear(target);
        await mkdir(target, { recursive: true });
        break;
      }
      case 'File':
      case 'OldFile':
      case 'ContiguousFile': {
        writtenBytes += entry.size;
        if (writtenBytes > limits.maxExpandedBytes) throw tooLarge(info.label, `expands past ${limits.maxExpandedBytes} bytes at ${JSON.stringify(entry.path)}`);
        await mkdir(dirname(target), { recursive: true });
        await clear(target); // never write through an existing link; a dir is replaced
        const mode = ((entry.mode ?? 0o644) & 0o755) | 0o600;
        current = entry;
        if (parseFailed) entry.destroy(new Error('layer ended mid-entry'));
        try {
          await pipeline(entry, createWriteStream(target, { mode }));
        } finally {
          current = undefined;
        }
        break;
      }
      case 'SymbolicLink': {
        entry.resume();
        const linkpath = entry.linkpath ?? '';
        const mapped = resolveLink(parts, linkpath, info, toDest);
        const destTarget = join(dest, ...mapped);
        await mkdir(dirname(target), { recursive: true });
        await clear(target);
        await symlink(relative(dirname(target), destTarget) || '.', target);
        break;
      }
      case 'Link': {
        entry.resume();
        const from = toDest(components(entry.linkpath ?? '', info, 'hard link target'));
        if (from === undefined || from.length === 0) throw unsafe(info, `hard link ${JSON.stringify(entry.path)} → ${JSON.stringify(entry.linkpath)} names a file outside /${info.keep}`);
        await refuseSymlinkParents(dest, from, info);
        const src = join(dest, ...from);
        const st = await lstat(src).catch(() => undefined);
        if (!st?.isFile()) throw unsafe(info, `hard link ${JSON.stringify(entry.path)} → ${JSON.stringify(entry.linkpath)} names no regular file written before it`);
        await mkdir(dirname(target), { recursive: true });
        await clear(target);
        await link(src, target);
        break;
      }
      case 'CharacterDevice':
      case 'BlockDevice':
      case 'FIFO':
        entry.resume();
        throw unsafe(info, `entry ${JSON.stringify(entry.path)} is a special file (${entry.type})`);
      default:
        entry.resume(); // pax/GNU metadata the parser did not fold in: nothing to write
        return;
    }
    written.add(relPath);
    for (let i = 1; i < rel.length; i++) written.add(rel.slice(0, i).join('/'));
  };

  parser.on('entry', (entry: ReadEntry) => {
    chain = chain.then(async () => {
      if (failure !== undefined) {
        entry.resume();
        return;
      }
      try {
        await handle(entry);
      } catch (err) {
        failure ??= err;
        entry.resume();
        source.destroy();
      }
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('error', reject);
      parser.on('end', resolve);
      source.on('error', reject);
      source.on('close', () => {
        if (failure !== undefined) resolve();
      });
      source.pipe(parser);
    });
  } catch (err) {
    failure ??= unsafe(info, `not a readable tar layer (${(err as Error).message})`);
    // An aborted parser (a zlib error mid-file) never ends the entry being (or about to be) written.
    parseFailed = true;
    current?.destroy(new Error('layer ended mid-entry'));
  }
  await chain;
  if (failure !== undefined) {
    if (failure instanceof StorageError) throw failure;
    const code = (failure as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new StorageError('DiskFull', `${info.label}: disk full while unpacking (${code})`, { cause: failure });
    throw unsafe(info, `unpacking failed: ${(failure as Error).message}`);
  }
  return { kept };
}
