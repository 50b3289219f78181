/**
 * core/v1 Events about InferenceServices, written to the store so `kubectl describe` and
 * `kubectl get events` show them. A repeat of the same event (same object uid, type, reason and
 * message) is aggregated as Kubernetes' event correlator does: one Event whose `count` and
 * `lastTimestamp` advance. The Event's name is derived from that identity, so aggregation also
 * works across a restart of the reconciler.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { StoreError, type Store, type StoredObject } from '../store/store.ts';

export type EventType = 'Normal' | 'Warning';

const EVENTS = { group: '', resource: 'events' } as const;

export class EventRecorder {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #component: string;

  constructor(store: Store, clock: Clock, component = 'inferenceservice-controller') {
    this.#store = store;
    this.#clock = clock;
    this.#component = component;
  }

  /** Records (or aggregates) an event about `obj`; returns the stored Event. */
  async record(obj: StoredObject, type: EventType, reason: string, message: string): Promise<StoredObject> {
    const m = obj.metadata;
    const ns = m.namespace ?? 'default';
    const id = createHash('sha256').update(`${m.uid ?? ''}\n${type}\n${reason}\n${message}`).digest('hex').slice(0, 16);
    const key = { ...EVENTS, namespace: ns, name: `${m.name}.${id}` };
    const now = new Date(this.#clock.nowMs()).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const old = await this.#store.get(key);
      try {
        if (old) {
          const next = { ...old, count: (typeof old.count === 'number' ? old.count : 1) + 1, lastTimestamp: now };
          return await this.#store.update(key, next, { expectedVersion: Number(old.metadata.resourceVersion) });
        }
        return await this.#store.create(key, {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: key.name, namespace: ns },
          involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, namespace: ns, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion },
          reason,
          message,
          type,
          count: 1,
          firstTimestamp: now,
          lastTimestamp: now,
          source: { component: this.#component },
          reportingComponent: this.#component,
        });
      } catch (err) {
        // Another writer got there first (Conflict / AlreadyExists): read again and aggregate.
        if (!(err instanceof StoreError) || (err.reason !== 'Conflict' && err.reason !== 'AlreadyExists')) throw err;
      }
    }
    throw new Error(`event ${key.namespace}/${key.name}: kept conflicting with other writers after 3 attempts`);
  }
}
