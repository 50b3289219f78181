/**
 * The model repository: which models this server knows, their state, and load/unload.
 * A model that fails to load is kept in the index as FAILED with its reason; the others serve on.
 */
import { ServingError, modelLoadFailed, modelNotFound, modelNotReady, show } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { ModelIndexEntry, ModelState } from '../protocol/infer.ts';
import type { Model } from '../runtimes/model.ts';

/** Where a model comes from: a name and a way to make the Model. */
export interface ModelSpec {
  name: string;
  version?: string;
  /** Makes a fresh, unloaded Model. */
  create(): Model | Promise<Model>;
}

/** Finds model specs by name (a model dir, or a fixed list). */
export interface ModelSource {
  list(): Promise<ModelSpec[]>;
  find(name: string): Promise<ModelSpec | undefined>;
}

interface Entry {
  spec: ModelSpec;
  model?: Model;
  state: ModelState;
  reason: string;
  pending?: Promise<Model>;
}

export class ModelRepository {
  private readonly entries = new Map<string, Entry>();
  private readonly source: ModelSource;
  private readonly log: Logger;

  constructor(source: ModelSource, log: Logger) {
    this.source = source;
    this.log = log;
  }

  /** Loads every model the source lists; failures are recorded, not thrown. */
  async loadAll(): Promise<void> {
    const specs = await this.source.list();
    await Promise.all(specs.map((s) => this.loadSpec(s).catch(() => undefined)));
  }

  /** Loads (or reloads) a model by name. Throws MODEL_NOT_FOUND or MODEL_LOAD_FAILED. */
  async load(name: string): Promise<Model> {
    const spec = (await this.source.find(name)) ?? this.entries.get(name)?.spec;
    if (!spec) throw modelNotFound(name);
    return this.loadSpec(spec);
  }

  /** Adds a ready-made model object (custom model classes, tests). */
  async add(spec: ModelSpec): Promise<Model> {
    return this.loadSpec(spec);
  }

  private async loadSpec(spec: ModelSpec): Promise<Model> {
    const prev = this.entries.get(spec.name);
    if (prev?.pending) return prev.pending;
    const entry: Entry = prev ?? { spec, state: 'UNAVAILABLE', reason: '' };
    entry.spec = spec;
    const old = entry.model?.ready ? entry.model : undefined;
    if (!old) entry.state = 'LOADING';
    this.entries.set(spec.name, entry);
    const started = Date.now();
    entry.pending = (async () => {
      let model: Model | undefined;
      try {
        model = await spec.create();
        await model.load();
        model.ready = true;
      } catch (err) {
        const reason = err instanceof ServingError ? err.message : err instanceof Error ? err.message : show(err);
        if (model) await model.unload().catch(() => undefined);
        if (!old) {
          entry.state = 'FAILED';
          entry.reason = reason;
          entry.model = undefined;
        }
        this.log.error('model failed to load', { model: spec.name, reason });
        throw err instanceof ServingError && err.code === 'MODEL_LOAD_FAILED' ? err : modelLoadFailed(spec.name, reason, err);
      }
      entry.model = model;
      entry.state = 'READY';
      entry.reason = '';
      this.log.info('model loaded', { model: spec.name, ms: Date.now() - started });
      if (old && old !== model) await old.unload().catch((e: unknown) => this.log.warn('unload of old model failed', { model: spec.name, err: e }));
      return model;
    })();
    try {
      return await entry.pending;
    } finally {
      entry.pending = undefined;
    }
  }

  /** Unloads a model; it stays in the index as UNAVAILABLE. Throws MODEL_NOT_FOUND if unknown. */
  async unload(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) throw modelNotFound(name);
    if (entry.pending) await entry.pending.catch(() => undefined);
    const model = entry.model;
    entry.model = undefined;
    entry.state = 'UNLOADING';
    try {
      if (model) await model.unload();
    } finally {
      entry.state = 'UNAVAILABLE';
      entry.reason = 'unloaded';
    }
    this.log.info('model unloaded', { model: name });
  }

  /** The ready model called `name`; throws MODEL_NOT_FOUND or MODEL_NOT_READY. */
  get(name: string): Model {
    const entry = this.entries.get(name);
    if (!entry) throw modelNotFound(name);
    const m = entry.model;
    if (!m || !m.ready || entry.state !== 'READY') {
      throw modelNotReady(name, entry.reason ? `Reason: ${entry.reason}` : undefined);
    }
    return m;
  }

  /** Whether the model exists and is ready; throws MODEL_NOT_FOUND if unknown. */
  isReady(name: string): boolean {
    const entry = this.entries.get(name);
    if (!entry) throw modelNotFound(name);
    return entry.state === 'READY' && entry.model?.ready === true;
  }

  /** The version a model was loaded with, if any. */
  versionOf(name: string): string | undefined {
    return this.entries.get(name)?.spec.version;
  }

  /** Every known model and its state. With `readyOnly`, only READY ones. */
  index(readyOnly = false): ModelIndexEntry[] {
    const out: ModelIndexEntry[] = [];
    for (const [name, e] of this.entries) {
      if (readyOnly && e.state !== 'READY') continue;
      const item: ModelIndexEntry = { name, state: e.state, reason: e.reason };
      if (e.spec.version !== undefined) item.version = e.spec.version;
      out.push(item);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** True while any model is loading. */
  anyLoading(): boolean {
    for (const e of this.entries.values()) if (e.state === 'LOADING') return true;
    return false;
  }

  /** Unloads everything (shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((n) => this.unload(n).catch(() => undefined)));
  }
}
