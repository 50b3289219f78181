/**
 * The SQLite file of SqliteStore: pragmas, tables and the statements the store runs.
 *
 * Layout (one file, `<dataDir>/kserve-ts.db`, plus its `-wal` while open):
 * - `meta(key, value)`: `schemaVersion` and `resourceVersion`, the global counter. The counter is
 *   stored, not derived from the other tables, so it stays monotonic even when the newest object
 *   was deleted and its events compacted.
 * - `objects(grp, resource, namespace, name, rv, json)`: the current objects; namespace '' for
 *   cluster-scoped ones. The primary key orders a list by namespace then name for free.
 * - `events(rv, grp, resource, namespace, type, json)`: the watch history, one row per write,
 *   keyed by version; older rows are deleted so that at most `historySize` remain.
 *
 * Durability: WAL with `synchronous=FULL` makes every commit fsync the WAL before it returns, so a
 * write acknowledged after its commit survives kill -9 and power loss (NORMAL would only survive
 * kill -9). `locking_mode=EXCLUSIVE` holds the file lock while open, so a second server on the same
 * data dir fails at start instead of interleaving writes (it also lets SQLite skip the shared-memory
 * index of the WAL).
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

/** The database file's name inside the data dir. */
export const DB_FILE_NAME = 'kserve-ts.db';
const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
  grp TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  rv INTEGER NOT NULL, json TEXT NOT NULL,
  PRIMARY KEY (grp, resource, namespace, name)
);
CREATE TABLE IF NOT EXISTS events (
  rv INTEGER PRIMARY KEY, grp TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL,
  type TEXT NOT NULL, json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_type ON events (grp, resource, rv);
`;

/**
 * Every database and statement this process made, kept reachable for the life of the process.
 * better-sqlite3 12.x finalizes a Statement from its garbage-collection callback, and on Node 24
 * that callback can run inside a microtask checkpoint with no current Environment, where the
 * destructor's RemoveEnvironmentCleanupHook hits `Assertion failed: (env) != nullptr` and aborts
 * the process (WiseLibs/better-sqlite3#1515, closed without a fix; 13.x needs Node 22). Statements
 * that are never collected are never finalized that way: the store prepares a fixed set once
 * per open, so this holds a few dozen objects per database opened.
 */
const RETAINED: object[] = [];
function retain<T extends object>(o: T): T {
  RETAINED.push(o);
  return o;
}

/** Opens (creating when absent) the store's database in `dataDir`; a clear error when another process holds it. */
export function openDatabase(dataDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, DB_FILE_NAME);
  const isNew = !existsSync(file);
  // No busy wait: with the exclusive lock nobody else may hold the file, so a lock is an error now.
  const db = retain(new Database(file, { timeout: 0 }));
  try {
    // exec, not pragma(): pragma() prepares a Statement object that would be collected (see RETAINED).
    db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
    db.exec(DDL);
    const version = retain(db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'schemaVersion'")).get()?.value;
    if (version === undefined) retain(db.prepare("INSERT INTO meta VALUES ('schemaVersion', ?), ('resourceVersion', 0)")).run(SCHEMA_VERSION);
    else if (version !== SCHEMA_VERSION) {
      throw new Error(`${file}: schemaVersion ${version} is not supported; expected ${SCHEMA_VERSION}`);
    }
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(`${file} is in use by another process (is another kserve-ts server running on data dir ${dataDir}?)`, { cause: err });
    }
    throw err;
  }
  // SQLite syncs the WAL's directory entry when it creates the WAL, not the database file's: sync
  // the directory once so a power loss just after the first start cannot orphan the WAL.
  if (isNew) syncDir(dataDir);
  return db;
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface ObjectRow {
  rv: number;
  json: string;
}

export interface EventRow {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  namespace: string;
  json: string;
}

/** The prepared statements of the store (prepared once per open). */
export function prepareStatements(db: Database.Database) {
  return retainAll({
    getVersion: db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'resourceVersion'"),
    setVersion: db.prepare<[number]>("UPDATE meta SET value = ? WHERE key = 'resourceVersion'"),
    getObject: db.prepare<[string, string, string, string], ObjectRow>(
      'SELECT rv, json FROM objects WHERE grp = ? AND resource = ? AND namespace = ? AND name = ?',
    ),
    insertObject: db.prepare<[string, string, string, string, number, string]>('INSERT INTO objects VALUES (?, ?, ?, ?, ?, ?)'),
    updateObject: db.prepare<[number, string, string, string, string, string]>(
      'UPDATE objects SET rv = ?, json = ? WHERE grp = ? AND resource = ? AND namespace = ? AND name = ?',
    ),
    deleteObject: db.prepare<[string, string, string, string]>('DELETE FROM objects WHERE grp = ? AND resource = ? AND namespace = ? AND name = ?'),
    listAll: db.prepare<[string, string], ObjectRow>('SELECT rv, json FROM objects WHERE grp = ? AND resource = ? ORDER BY namespace, name'),
    listNamespace: db.prepare<[string, string, string], ObjectRow>(
      'SELECT rv, json FROM objects WHERE grp = ? AND resource = ? AND namespace = ? ORDER BY name',
    ),
    insertEvent: db.prepare<[number, string, string, string, string, string]>('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)'),
    compactEvents: db.prepare<[number]>('DELETE FROM events WHERE rv < ?'),
    oldestEvent: db.prepare<[], { rv: number | null }>('SELECT min(rv) AS rv FROM events'),
    historyAll: db.prepare<[string, string, number, number, number], EventRow>(
      'SELECT rv, type, namespace, json FROM events WHERE grp = ? AND resource = ? AND rv > ? AND rv <= ? ORDER BY rv LIMIT ?',
    ),
    historyNamespace: db.prepare<[string, string, number, number, string, number], EventRow>(
      'SELECT rv, type, namespace, json FROM events WHERE grp = ? AND resource = ? AND rv > ? AND rv <= ? AND namespace = ? ORDER BY rv LIMIT ?',
    ),
  });
}

function retainAll<T extends Record<string, object>>(statements: T): T {
  for (const s of Object.values(statements)) retain(s);
  return statements;
}

export type Statements = ReturnType<typeof prepareStatements>;
