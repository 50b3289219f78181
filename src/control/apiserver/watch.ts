/**
 * `?watch=1`: a chunked stream of newline-delimited `{"type", "object"}` events, as
 * kube-apiserver's watch handler writes them.
 *
 * - resourceVersion absent or "0": the current state first, as ADDED events, then changes
 *   (kube's "get state and start at most recent"); a number: every change after it; a number
 *   older than the store's history: one ERROR event carrying a 410 Expired Status.
 * - sendInitialEvents=true: the current state, then (with allowWatchBookmarks) a BOOKMARK
 *   annotated `k8s.io/initial-events-end: "true"`.
 * - Selectors apply to events as Kubernetes does: an object that stops matching is sent as
 *   DELETED, one that starts matching as ADDED.
 * - allowWatchBookmarks: a BOOKMARK with the last resourceVersion sent, every bookmarkIntervalMs.
 * - timeoutSeconds (default and cap: maxWatchSeconds) ends the stream cleanly; so does the client
 *   going away. A slow client holds back its own events (the store waits for the socket to
 *   drain); one that falls behind the store's history gets ERROR 410 and re-lists.
 * - With a Table Accept header each event's object is a one-row Table; only the first carries
 *   column definitions (kubectl reuses them).
 */
import type { StoredObject, Watch, WatchEvent } from '../store/store.ts';
import { asServed, qualified, storeType, type Ctx } from './context.ts';
import { badRequest, fromStoreError } from './errors.ts';
import { includeObject } from './handlers-read.ts';
import { objectMatches, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { wantsTable } from './table.ts';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

function parseVersion(v: string | null): number | undefined {
  if (v === null || v === '' || v === '0') return undefined;
  if (!/^\d+$/.test(v)) throw badRequest(`resourceVersion: Invalid value: ${JSON.stringify(v)}: must be a resourceVersion returned by the server`);
  return Number(v);
}

function flag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  return v === 'true' || v === '1';
}

const keyOf = (o: StoredObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** GET on a collection with watch=1 (or the legacy /watch/ prefix). */
export async function handleWatch(ctx: Ctx): Promise<void> {
  const { url, route, deps, res, req } = ctx;
  const served = route.served;
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  let fieldSel = url.searchParams.get('fieldSelector');
  if (route.name !== undefined) fieldSel = [fieldSel, `metadata.name=${route.name}`].filter(Boolean).join(',');
  const fields = parseFieldSelector(fieldSel, served.kind.group, served.kind.plural);
  const filtered = !labels.empty || !fields.empty;
  const fromParam = parseVersion(url.searchParams.get('resourceVersion'));
  const initialEvents = url.searchParams.has('sendInitialEvents') ? flag(url, 'sendInitialEvents') : fromParam === undefined;
  const bookmarks = flag(url, 'allowWatchBookmarks');
  const timeoutParam = url.searchParams.get('timeoutSeconds');
  const timeoutS = timeoutParam === null ? deps.maxWatchSeconds : Number(timeoutParam);
  if (!Number.isFinite(timeoutS) || timeoutS < 0) throw badRequest(`timeoutSeconds: Invalid value: ${JSON.stringify(timeoutParam)}: must be a non-negative number of seconds`);
  const table = wantsTable(req.headers.accept) ? deps.tableFor(served) : undefined;
  const include = table ? includeObject(url) : 'Object';

  // What the client has: keys that matched the selectors (only tracked when filtering).
  const matched = new Set<string>();
  let fromVersion = fromParam;
  let initial: StoredObject[] = [];
  try {
    if (initialEvents || filtered) {
      const listed = await deps.store.list(storeType(ctx), route.namespace === undefined ? {} : { namespace: route.namespace });
      const matching = listed.items.filter((o) => objectMatches(o, labels, fields));
      if (filtered) for (const o of matching) matched.add(keyOf(o));
      if (initialEvents) {
        initial = matching;
        fromVersion = listed.resourceVersion;
      }
    }
  } catch (err) {
    throw fromStoreError(err, qualified(ctx, ''));
  }

  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
  res.flushHeaders();
  let lastVersion = fromVersion ?? (await deps.store.currentVersion());
  let headersSent = false;
  let watch: Watch | undefined;
  let ended = false;
  const timers: NodeJS.Timeout[] = []; // the timeout and the bookmark interval
  const socket = req.socket; // res.socket is detached once the response finishes
  const stream = {
    /** Ends the stream; `closeConnection` (server shutdown) also closes the keep-alive socket. */
    end: (closeConnection = false): void => {
      if (ended) return;
      ended = true;
      for (const t of timers) clearInterval(t);
      watch?.close();
      deps.watches.delete(stream);
      if (!res.writableEnded) res.end(() => closeConnection && socket.destroy());
      else if (closeConnection) socket.destroy();
    },
  };
  deps.watches.add(stream);
  // The response's 'close' fires when the client goes away (the request's fires once its body is read).
  res.on('close', () => stream.end());

  /** Writes one event; false when the socket buffer is full (wait for 'drain' before the next). */
  const write = (type: EventType, object: unknown): boolean => {
    if (ended) return true;
    return res.write(`${JSON.stringify({ type, object })}\n`);
  };
  /** Resolves once the client has taken what is buffered (or is gone): the store holds the next event meanwhile. */
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  const send = (type: EventType, obj: StoredObject): boolean => {
    asServed(obj, served);
    if (!table) return write(type, obj);
    const ok = write(type, table.table([obj], { resourceVersion: obj.metadata.resourceVersion }, include, deps.clock.nowMs(), !headersSent));
    headersSent = true;
    return ok;
  };
  const bookmark = (annotations?: Record<string, string>): void => {
    const metadata: Record<string, unknown> = { resourceVersion: String(lastVersion) };
    if (annotations) metadata.annotations = annotations;
    write('BOOKMARK', { kind: served.kind.kind, apiVersion: served.apiVersion, metadata });
  };
  /** One ERROR event, then the end (the store words Gone as kube: `too old resource version: 5 (9)`, 410 Expired). */
  const fail = (err: unknown): void => {
    write('ERROR', fromStoreError(err, qualified(ctx, '')).toStatus());
    stream.end();
  };

  for (const o of initial) send('ADDED', o);
  if (bookmarks && url.searchParams.has('sendInitialEvents') && initialEvents) bookmark({ 'k8s.io/initial-events-end': 'true' });

  const deliver = (e: WatchEvent): boolean => {
    lastVersion = e.resourceVersion;
    if (!filtered) return send(e.type, e.object);
    const key = keyOf(e.object);
    const matches = objectMatches(e.object, labels, fields);
    if (e.type === 'DELETED') {
      if (matched.delete(key) || matches) return send('DELETED', e.object);
    } else if (matches) {
      const type = matched.has(key) ? e.type : 'ADDED';
      matched.add(key);
      return send(type, e.object);
    } else if (matched.delete(key)) return send('DELETED', e.object);
    return true;
  };
  // Backpressure: a full socket makes the store hold further events (it falls back to its
  // history, and ends the watch with Gone if the client falls behind that: an ERROR 410 here).
  const onEvent = (e: WatchEvent): void | Promise<void> => (deliver(e) || ended ? undefined : drained());
  try {
    watch = await deps.store.watch(storeType(ctx), { namespace: route.namespace, fromVersion: lastVersion }, onEvent);
  } catch (err) {
    return fail(err);
  }
  void watch.done.then((err) => err !== undefined && !ended && fail(err));
  if (ended) return watch.close();
  const limitS = timeoutS > 0 ? Math.min(timeoutS, deps.maxWatchSeconds) : deps.maxWatchSeconds;
  timers.push(setTimeout(() => stream.end(), limitS * 1000).unref());
  if (bookmarks) {
    timers.push(setInterval(() => bookmark(), deps.bookmarkIntervalMs).unref());
  }
}
