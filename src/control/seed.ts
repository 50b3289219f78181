/**
 * Objects a fresh control plane starts with, as a KServe install brings them: the built-in
 * ClusterServingRuntimes (`kserve-sklearnserver`, `kserve-xgbserver`, ...), so manifests that name
 * them, or rely on automatic runtime selection, work unchanged. Created only when absent: a
 * runtime the user edited is left as it is; one the user deleted comes back on the next start, as
 * a reinstall of KServe would bring it back.
 */
import { BUILTIN_CLUSTER_SERVING_RUNTIMES } from '../api/index.ts';
import type { Store, StoredObject } from './store/store.ts';

const TYPE = { group: 'serving.kserve.io', resource: 'clusterservingruntimes' } as const;

/** Creates the missing built-in runtimes; returns the names it created. */
export async function seedBuiltinRuntimes(store: Store): Promise<string[]> {
  const created: string[] = [];
  for (const runtime of BUILTIN_CLUSTER_SERVING_RUNTIMES) {
    const obj = structuredClone(runtime) as StoredObject;
    const name = obj.metadata.name;
    if (await store.get({ ...TYPE, name })) continue;
    obj.metadata.generation = 1;
    obj.metadata.labels = { ...obj.metadata.labels, 'app.kubernetes.io/managed-by': 'kserve-ts' };
    try {
      await store.create({ ...TYPE, name }, obj);
      created.push(name);
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'AlreadyExists') throw err;
    }
  }
  return created;
}
