/**
 * Store benchmark (issue 5): durable writes/s of SqliteStore, sequential and with 16 concurrent
 * writers, and the time to list 1,000 objects — with, as the anchor in the same run, the raw rate at
 * which this disk takes one write + fsync in a preallocated file (what one SQLite WAL commit costs at least: strace shows
 * this better-sqlite3 build calls fsync once per commit). Sequential writes cannot beat that rate; group commit lets
 * concurrent writers share one sync, so their rate can exceed it.
 *
 *   bash bench/store.sh [--seconds 3] [--dir bench/.tmp/store] [--writers 16]
 *
 * The data dir is on the disk under test (default: bench/.tmp, the repository's disk).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags, num } from './lib/args.ts';
import { SqliteStore } from '../src/control/store/sqlite-store.ts';
import type { StoredObject } from '../src/control/store/store.ts';

const ISVC = { group: 'serving.kserve.io', resource: 'inferenceservices' };

/** An InferenceService as kubectl apply stores it: spec, labels, annotations, status; about 2 KB of JSON. */
export function isvcObject(name: string, namespace: string): StoredObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name,
      namespace,
      labels: { app: 'fraud-detection', team: 'risk', 'app.kubernetes.io/managed-by': 'kubectl' },
      annotations: {
        'serving.kserve.io/deploymentMode': 'Serverless',
        'autoscaling.knative.dev/target': '10',
        'kubectl.kubernetes.io/last-applied-configuration':
          `{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{},"name":"${name}","namespace":"${namespace}"},` +
          '"spec":{"predictor":{"minReplicas":1,"maxReplicas":4,"model":{"modelFormat":{"name":"sklearn"},"storageUri":"gs://kfserving-examples/models/sklearn/1.0/model"}}}}',
      },
    },
    spec: {
      predictor: {
        minReplicas: 1,
        maxReplicas: 4,
        model: {
          modelFormat: { name: 'sklearn', version: '1' },
          protocolVersion: 'v2',
          runtime: 'kserve-sklearnserver',
          storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
          resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
          env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'WORKERS', value: '2' }],
        },
      },
    },
    status: {
      url: `http://${name}.${namespace}.example.com`,
      address: { url: `http://${name}-predictor.${namespace}.svc.cluster.local` },
      conditions: ['IngressReady', 'PredictorReady', 'Ready'].map((type) => ({
        type, status: 'True', lastTransitionTime: '2026-11-25T12:00:00Z',
      })),
      components: { predictor: { latestCreatedRevision: `${name}-predictor-00001`, latestReadyRevision: `${name}-predictor-00001`, traffic: [{ percent: 100, latestRevision: true }] } },
      modelStatus: { states: { activeModelState: 'Loaded', targetModelState: 'Loaded' }, transitionStatus: 'UpToDate', copies: { failedCopies: 0, totalCopies: 1 } },
      observedGeneration: 1,
    },
  };
}

/**
 * Anchor: writes of `bytes` each followed by fsync, for `seconds`; syncs/s. Like a WAL in steady
 * state (SQLite rewrites its WAL from the start after each checkpoint, ~4 MiB at the default
 * autocheckpoint of 1,000 pages), the writes cycle through a preallocated 4 MiB file, so the fsync
 * does not also have to journal a growing file size.
 */
function rawSyncRate(dir: string, bytes: number, seconds: number): number {
  const file = join(dir, 'fsync-anchor.bin');
  const region = 4 << 20;
  const fd = openSync(file, 'w');
  const buf = Buffer.alloc(bytes, 120);
  let n = 0;
  try {
    for (let off = 0; off < region; off += 1 << 20) writeSync(fd, Buffer.alloc(1 << 20), 0, 1 << 20, off);
    fsyncSync(fd);
    const end = performance.now() + seconds * 1000;
    for (let off = 0; performance.now() < end; off = (off + bytes) % (region - bytes)) {
      writeSync(fd, buf, 0, bytes, off);
      fsyncSync(fd);
      n++;
    }
  } finally {
    closeSync(fd);
    rmSync(file);
  }
  return n / seconds;
}

/** `writers` loops each creating objects one at a time for `seconds`; acknowledged writes/s. */
async function createRate(store: SqliteStore, ns: string, writers: number, seconds: number): Promise<{ rate: number; perCommit: number }> {
  const s0 = store.stats();
  let n = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        await store.create({ ...ISVC, namespace: ns, name: `w${w}-${i}` }, isvcObject(`w${w}-${i}`, ns));
        n++;
      }
    }),
  );
  const rate = n / ((performance.now() - t0) / 1000);
  const s1 = store.stats();
  return { rate, perCommit: (s1.writes - s0.writes) / (s1.commits - s0.commits) };
}

async function listMs(store: SqliteStore, count: number): Promise<{ medianMs: number; items: number }> {
  for (let i = 0; i < count; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, j) => store.create({ ...ISVC, namespace: 'list', name: `m${i + j}` }, isvcObject(`m${i + j}`, 'list'))));
  }
  const times: number[] = [];
  let items = 0;
  for (let r = 0; r < 21; r++) {
    const t0 = performance.now();
    items = (await store.list(ISVC, { namespace: 'list' })).items.length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[10]!, items };
}

async function main(): Promise<void> {
  const f = parseFlags(process.argv.slice(2), { seconds: '3', dir: 'bench/.tmp/store', writers: '16' });
  const seconds = num(f, 'seconds');
  const writers = num(f, 'writers');
  const dir = f.dir!;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const bytes = JSON.stringify(isvcObject('fraud-detector-00001', 'default')).length;

  const sync1 = rawSyncRate(dir, 2 * bytes, seconds);
  const store = await SqliteStore.open({ dataDir: join(dir, 'data') });
  try {
    const seq = await createRate(store, 'seq', 1, seconds);
    const conc = await createRate(store, 'conc', writers, seconds);
    const list = await listMs(store, 1000);
    const sync2 = rawSyncRate(dir, 2 * bytes, seconds);
    const sync = (sync1 + sync2) / 2;
    const rows: [string, string, string, string][] = [
      [`raw ${2 * bytes} B write + fsync in a 4 MiB file (anchor; before/after)`, `${sync1.toFixed(0)} / ${sync2.toFixed(0)} /s`, '', ''],
      ...([['1 writer', seq], [`${writers} concurrent writers`, conc]] as const).map(([what, r]): [string, string, string, string] => [
        `durable creates, ${what} (${r.perCommit.toFixed(1)} writes per commit)`,
        `${r.rate.toFixed(0)} /s`,
        `${(r.rate / sync).toFixed(2)}x`,
        r.rate >= 2000 ? 'PASS' : 'FAIL',
      ]),
      [`list ${list.items} objects (median of 21)`, `${list.medianMs.toFixed(2)} ms`, '', ''],
    ];
    console.log(`SqliteStore (WAL, synchronous=FULL), object ${bytes} B of JSON, ${seconds} s per row, data dir ${dir}`);
    console.log('| row | result | vs raw sync rate | target ≥ 2,000/s |');
    console.log('|---|---|---|---|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
