/**
 * The bounded event history of MemoryStore: the last `maxEvents` events in version order.
 * Versions are contiguous (every write makes one event), so an event's index is its version minus
 * the oldest retained one, and reading from a version is an index, not a search.
 */
import type { RawEvent } from './watch-hub.ts';

interface Entry extends RawEvent {
  typeKey: string;
}

export class MemoryHistory {
  private entries: Entry[] = [];
  /** Index in `entries` of the oldest retained event (dropped ones are spliced out in chunks). */
  private head = 0;

  constructor(private readonly maxEvents: number) {}

  /** The oldest retained version; `current + 1` when empty. */
  oldest(current: number): number {
    const e = this.entries[this.head];
    return e === undefined ? current + 1 : e.resourceVersion;
  }

  append(typeKey: string, e: RawEvent): void {
    this.entries.push({ ...e, typeKey });
    if (this.entries.length - this.head > this.maxEvents) this.head++;
    // Splice dropped entries out once they are as many as the kept ones: amortised O(1) per event.
    if (this.head > this.maxEvents) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  read(typeKey: string, namespace: string | undefined, afterRv: number, uptoRv: number, limit: number): RawEvent[] {
    const first = this.entries[this.head];
    if (first === undefined) return [];
    const out: RawEvent[] = [];
    for (let i = this.head + Math.max(0, afterRv + 1 - first.resourceVersion); i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (e.resourceVersion > uptoRv || out.length >= limit) break;
      if (e.typeKey === typeKey && (namespace === undefined || e.namespace === namespace)) {
        out.push({ type: e.type, resourceVersion: e.resourceVersion, namespace: e.namespace, json: e.json });
      }
    }
    return out;
  }
}
