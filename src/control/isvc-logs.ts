/**
 * `GET .../inferenceservices/{name}/log?container=predictor&follow=true&tailLines=N`: the logs of
 * an InferenceService's replicas, read from the files the driver keeps for them (text/plain, like
 * `pods/log`; chunked while following). The CLI's `kserve-ts logs isvc/NAME` reads it over HTTP.
 *
 * Which replicas: every replica of the component's newest revision (the one status names as
 * latestCreatedRevision when the driver runs it, else the highest revision name, `-00002` after
 * `-00001`). With several replicas each line is prefixed `[replica-name] `, as `kubectl logs
 * --prefix` does. Following polls the files for growth every `pollMs` (a replica writes its log
 * file directly, so there is no stream to subscribe to) and picks up replicas that start later.
 */
import { open } from 'node:fs/promises';
import type { SubresourceHandler, SubresourceRequest } from './apiserver/context.ts';
import { badRequest } from './apiserver/errors.ts';
import { subresourceKey } from './apiserver/subresource.ts';
import type { Driver, ReplicaStatus } from './drivers/driver.ts';
import { parseRevisionId } from './reconciler/observe.ts';

/** The components an InferenceService may have, the `container` values the log endpoint accepts. */
export const LOG_CONTAINERS = ['predictor', 'transformer', 'explainer'] as const;

/** The key to register under ApiServerOptions.subresources. */
export const ISVC_LOG_SUBRESOURCE = subresourceKey('serving.kserve.io', 'inferenceservices', 'log');

export interface IsvcLogsOptions {
  driver: Pick<Driver, 'revisions' | 'replicas'>;
  /** How often a follow checks the files for new output (default 200 ms). */
  pollMs?: number;
}

interface Query {
  container: string;
  follow: boolean;
  tailLines?: number;
}

function parseQuery(q: URLSearchParams, name: string): Query {
  const container = q.get('container') || 'predictor';
  if (!(LOG_CONTAINERS as readonly string[]).includes(container)) {
    throw badRequest(`container ${JSON.stringify(container)} is not valid for inferenceservice ${JSON.stringify(name)}: expected one of ${LOG_CONTAINERS.join(', ')}`);
  }
  const f = q.get('follow');
  if (f !== null && !['', 'true', '1', 'false', '0'].includes(f)) throw badRequest(`follow: Invalid value: ${JSON.stringify(f)}: expected true or false`);
  const t = q.get('tailLines');
  let tailLines: number | undefined;
  if (t !== null) {
    tailLines = Number(t);
    if (t.trim() === '' || !Number.isInteger(tailLines) || tailLines < 0) throw badRequest(`tailLines: Invalid value: ${JSON.stringify(t)}: must be a non-negative integer`);
  }
  return { container, follow: f === '' || f === 'true' || f === '1', tailLines };
}

/** The revision id whose replicas to read: `{namespace}/{name}/{component}/{revision}`, newest first. */
export function newestRevision(ids: readonly string[], namespace: string, name: string, component: string, preferred?: string): string | undefined {
  const mine = ids.filter((id) => {
    const p = parseRevisionId(id);
    return p !== undefined && p.namespace === namespace && p.name === name && p.component === component;
  });
  if (preferred) {
    const hit = mine.find((id) => id.endsWith(`/${preferred}`));
    if (hit) return hit;
  }
  return mine.sort().at(-1);
}

/** Lines of text split off as they complete, per file, with the replica prefix. */
class LineCutter {
  #partial = '';
  constructor(readonly prefix: string) {}
  push(text: string): string {
    const all = this.#partial + text;
    const cut = all.lastIndexOf('\n');
    if (cut < 0) {
      this.#partial = all;
      return '';
    }
    this.#partial = all.slice(cut + 1);
    return this.prefix === '' ? all.slice(0, cut + 1) : all.slice(0, cut).split('\n').map((l) => `${this.prefix}${l}\n`).join('');
  }
  flush(): string {
    const rest = this.#partial;
    this.#partial = '';
    return rest === '' ? '' : `${this.prefix}${rest}\n`;
  }
}

function lastLines(text: string, n: number | undefined): string {
  if (n === undefined) return text;
  if (n === 0) return '';
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  if (complete) lines.pop();
  return lines.slice(-n).join('\n') + (complete ? '\n' : '');
}

async function readFrom(path: string, offset: number): Promise<{ text: string; offset: number }> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return { text: '', offset };
  }
  try {
    const size = (await fh.stat()).size;
    if (size < offset) offset = 0; // truncated: start over
    if (size === offset) return { text: '', offset };
    const buf = Buffer.alloc(size - offset);
    await fh.read(buf, 0, buf.length, offset);
    return { text: buf.toString('utf8'), offset: size };
  } finally {
    await fh.close();
  }
}

/** The log subresource handler over the driver's replica log files. */
export function isvcLogs(opts: IsvcLogsOptions): SubresourceHandler {
  const pollMs = opts.pollMs ?? 200;
  return async (r: SubresourceRequest) => {
    const q = parseQuery(r.query, r.name);
    const namespace = r.namespace ?? 'default';
    const status = (r.object as { status?: { components?: Record<string, { latestCreatedRevision?: string }> } }).status;
    const pick = (): ReplicaStatus[] => {
      const id = newestRevision(opts.driver.revisions(), namespace, r.name, q.container, status?.components?.[q.container]?.latestCreatedRevision);
      return id === undefined ? [] : opts.driver.replicas(id).filter((x) => x.logFile !== undefined).sort((a, b) => a.name.localeCompare(b.name));
    };
    let replicas = pick();
    if (replicas.length === 0 && !q.follow) throw badRequest(`inferenceservice ${JSON.stringify(r.name)} has no ${q.container} replicas (yet)`);
    r.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    r.res.flushHeaders();
    const files = new Map<string, { offset: number; cut: LineCutter }>();
    const prefixed = (): boolean => replicas.length > 1;
    // First read: the whole file, or its last tailLines lines.
    const first = async (rep: ReplicaStatus): Promise<string> => {
      const { text, offset } = await readFrom(rep.logFile!, 0);
      const cut = new LineCutter(prefixed() ? `[${rep.name}] ` : '');
      files.set(rep.logFile!, { offset, cut });
      return cut.push(lastLines(text, q.tailLines));
    };
    for (const rep of replicas) r.res.write(await first(rep));
    if (!q.follow) {
      for (const f of files.values()) r.res.write(f.cut.flush());
      r.res.end();
      return;
    }
    let closed = false;
    r.res.on('close', () => (closed = true));
    while (!closed) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      if (closed) break;
      replicas = pick();
      for (const rep of replicas) {
        const f = files.get(rep.logFile!);
        if (!f) {
          r.res.write(await first(rep));
          continue;
        }
        const next = await readFrom(rep.logFile!, f.offset);
        f.offset = next.offset;
        const out = f.cut.push(next.text);
        if (out !== '') r.res.write(out);
      }
    }
  };
}
