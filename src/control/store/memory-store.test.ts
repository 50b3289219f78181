import { MemoryStore } from './memory-store.ts';
import { storeConformance } from './store-conformance.ts';

storeConformance('MemoryStore', async (o) => new MemoryStore(o));
