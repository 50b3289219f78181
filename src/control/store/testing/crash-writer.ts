/**
 * Child process of sqlite-crash.test.ts: opens a SqliteStore and writes without end, printing one
 * line per acknowledged write (`<op> <name> <resourceVersion> <seq>`) only after its promise has
 * resolved. The test kills it with SIGKILL mid-stream and checks every printed write is on disk.
 *
 * Usage: crash-writer.ts <dataDir> <round> [writers=8]
 * Each of `writers` concurrent loops works through its own objects `r<round>-w<writer>-<i>`:
 * create, update, update, and delete for every fourth, so batches mix every kind of write.
 */
import { SqliteStore } from '../sqlite-store.ts';

const ISVC = { group: 'serving.kserve.io', resource: 'inferenceservices' };

async function writer(store: SqliteStore, prefix: string): Promise<never> {
  for (let i = 0; ; i++) {
    const name = `${prefix}-${i}`;
    const key = { ...ISVC, namespace: 'crash', name };
    const obj = (seq: number) => ({ metadata: { name }, spec: { seq, pad: 'x'.repeat(1500) } });
    let rv = (await store.create(key, obj(0))).metadata.resourceVersion;
    process.stdout.write(`create ${name} ${rv} 0\n`);
    for (const seq of [1, 2]) {
      rv = (await store.update(key, obj(seq), { expectedVersion: Number(rv) })).metadata.resourceVersion;
      process.stdout.write(`update ${name} ${rv} ${seq}\n`);
    }
    if (i % 4 === 3) {
      const d = await store.delete(key);
      process.stdout.write(`delete ${name} ${d.metadata.resourceVersion} -\n`);
    }
  }
}

async function main(): Promise<void> {
  const [dataDir, round, writers = '8'] = process.argv.slice(2);
  if (dataDir === undefined || round === undefined) throw new Error('usage: crash-writer.ts <dataDir> <round> [writers]');
  const store = await SqliteStore.open({ dataDir, historySize: 100_000 });
  process.stdout.write(`ready ${await store.currentVersion()}\n`);
  await Promise.all(Array.from({ length: Number(writers) }, (_, w) => writer(store, `r${round}-w${w}`)));
}

main().catch((err: unknown) => {
  process.stderr.write(`crash-writer: ${String(err)}\n`);
  process.exit(1);
});
