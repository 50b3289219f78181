/**
 * The gateway's routing table: which backends serve which InferenceService, looked up by Host
 * header or by the `/serving/{namespace}/{name}/` path prefix. Pure data, no I/O, so the traffic
 * splitting, autoscaling and activator issues can extend it without touching the proxy.
 */

/** One backend (a ready revision's endpoint) with its share of traffic. */
export interface Backend {
  /** Base URL, e.g. `http://127.0.0.1:31001`. */
  readonly url: string;
  /** Relative weight; 0 means "never chosen". */
  readonly weight: number;
  /** Revision name, used in errors and headers. */
  readonly revision: string;
  /** h2c base URL of the revision's gRPC port (`http://127.0.0.1:31002`); absent: no gRPC. */
  readonly grpcUrl?: string;
}

/** A route for one InferenceService. */
export interface Route {
  readonly namespace: string;
  readonly name: string;
  /** Host names (lower-case, no port) that reach this route. */
  readonly hosts: readonly string[];
  readonly backends: readonly Backend[];
  /**
   * Where `:explain` requests go (KServe routes `^/v1/models/[\w-]+:explain$` to the explainer
   * component when one exists); absent or empty: they go to `backends` like every other request.
   */
  readonly explainBackends?: readonly Backend[];
}

/** KServe's explainer route (ingress_reconciler.go): this path goes to the explainer when one exists. */
const EXPLAIN_PATH = /^\/v1\/models\/[\w-]+:explain$/;

/** What `resolve` found. `backend` is undefined when the route has no backend with weight > 0. */
export interface Resolution {
  readonly route: Route;
  readonly backend: Backend | undefined;
  /** Path to send upstream: the `/serving/{ns}/{name}` prefix removed when the path matched. */
  readonly rewrittenPath: string;
}

/** Path prefix that reaches a route without DNS: `/serving/{namespace}/{name}/...`. */
export const SERVING_PREFIX = '/serving/';

/**
 * The host names KServe gives an InferenceService: `{name}-{namespace}.{domain}` (KServe's
 * default domainTemplate, the form its status.url uses) and `{name}.{namespace}.{domain}`
 * (Knative's default, which many docs and curl examples still use). Both are accepted.
 */
export function defaultHosts(name: string, namespace: string, domain: string): string[] {
  return [`${name}-${namespace}.${domain}`, `${name}.${namespace}.${domain}`].map((h) => h.toLowerCase());
}

/** Removes the port and lower-cases a Host header value (handles `[::1]:80`). */
export function normalizeHost(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.lastIndexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

function validateRoute(route: Route): void {
  for (const field of ['namespace', 'name'] as const) {
    if (typeof route[field] !== 'string' || route[field] === '' || route[field].includes('/')) {
      throw new Error(`route.${field}: got ${JSON.stringify(route[field])}, expected a non-empty name without '/'`);
    }
  }
  validateBackends('route.backends', route.backends);
  if (route.explainBackends !== undefined) validateBackends('route.explainBackends', route.explainBackends);
}

function validateBackends(field: string, backends: readonly Backend[]): void {
  backends.forEach((b, i) => {
    if (b.grpcUrl !== undefined) checkHttpUrl(`${field}[${i}].grpcUrl`, b.grpcUrl);
    if (!Number.isFinite(b.weight) || b.weight < 0) {
      throw new Error(`${field}[${i}].weight: got ${String(b.weight)}, expected a finite number >= 0`);
    }
    checkHttpUrl(`${field}[${i}].url`, b.url);
  });
}

function checkHttpUrl(field: string, value: string): void {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${field}: got ${JSON.stringify(value)}, expected an absolute http:// URL`);
  }
  if (u.protocol !== 'http:') throw new Error(`${field}: got ${JSON.stringify(value)}, expected an http:// URL`);
}

/**
 * Picks a backend by weight. Worked example: weights [80, 20], total 100; r = 0.85 → x = 85;
 * 85 >= 80 so skip the first (x = 5), 5 < 20 → the second. r in [0, 0.8) picks the first.
 */
export function pickWeighted(backends: readonly Backend[], r: number): Backend | undefined {
  const total = backends.reduce((s, b) => s + b.weight, 0);
  if (total <= 0) return undefined;
  let x = r * total;
  let last: Backend | undefined;
  for (const b of backends) {
    if (b.weight <= 0) continue;
    if (x < b.weight) return b;
    x -= b.weight;
    last = b;
  }
  return last; // r * total rounding to total lands on the last positive-weight backend
}

/** Routes keyed by namespace/name with a host index; `version` increases on every change. */
export class RoutingTable {
  readonly #routes = new Map<string, Route>();
  readonly #byHost = new Map<string, string>();
  readonly #listeners = new Set<(version: number) => void>();
  readonly #rng: () => number;
  #version = 0;

  /** @param rng - uniform [0, 1) source for weighted picks; injected so tests are deterministic. */
  constructor(opts: { rng?: () => number } = {}) {
    this.#rng = opts.rng ?? Math.random;
  }

  /** Increases by one on every set/delete that changed the table. */
  get version(): number {
    return this.#version;
  }

  /** Adds or replaces a route. Throws naming the field when a route is malformed. */
  set(route: Route): void {
    validateRoute(route);
    const key = `${route.namespace}/${route.name}`;
    const hosts = route.hosts.map(normalizeHost);
    for (const h of hosts) {
      const owner = this.#byHost.get(h);
      if (owner !== undefined && owner !== key) {
        throw new Error(`route.hosts: ${JSON.stringify(h)} already belongs to ${owner}, expected a host not used by another route`);
      }
    }
    this.#unindex(key);
    const frozen: Route = Object.freeze({
      namespace: route.namespace,
      name: route.name,
      hosts: Object.freeze(hosts),
      backends: Object.freeze(route.backends.map((b) => Object.freeze({ ...b }))),
      ...(route.explainBackends?.length ? { explainBackends: Object.freeze(route.explainBackends.map((b) => Object.freeze({ ...b }))) } : {}),
    });
    this.#routes.set(key, frozen);
    for (const h of hosts) this.#byHost.set(h, key);
    this.#changed();
  }

  /** Removes a route; returns whether one existed. */
  delete(namespace: string, name: string): boolean {
    const key = `${namespace}/${name}`;
    if (!this.#routes.has(key)) return false;
    this.#unindex(key);
    this.#routes.delete(key);
    this.#changed();
    return true;
  }

  get(namespace: string, name: string): Route | undefined {
    return this.#routes.get(`${namespace}/${name}`);
  }

  list(): Route[] {
    return [...this.#routes.values()];
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (version: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Finds the route for a request: the `/serving/{ns}/{name}` path prefix wins over the Host
   * header, so curl against `localhost` works without DNS. `exclude` (backend URLs) keeps a retry
   * off the backends that already failed the request.
   */
  resolve(req: { host?: string; path: string }, exclude?: ReadonlySet<string>): Resolution | undefined {
    const byPath = this.#resolvePath(req.path, exclude);
    if (byPath) return byPath;
    if (req.host === undefined) return undefined;
    const key = this.#byHost.get(normalizeHost(req.host));
    const route = key === undefined ? undefined : this.#routes.get(key);
    if (!route) return undefined;
    return { route, backend: this.#pick(route, req.path, exclude), rewrittenPath: req.path };
  }

  /** The explainer for `:explain` when the route has one, else a weighted pick of its backends. */
  #pick(route: Route, path: string, exclude?: ReadonlySet<string>): Backend | undefined {
    const usable = (bs: readonly Backend[]): readonly Backend[] => (exclude === undefined || exclude.size === 0 ? bs : bs.filter((b) => !exclude.has(b.url)));
    if (route.explainBackends !== undefined) {
      const q = path.indexOf('?');
      if (EXPLAIN_PATH.test(q < 0 ? path : path.slice(0, q))) return pickWeighted(usable(route.explainBackends), this.#rng());
    }
    return pickWeighted(usable(route.backends), this.#rng());
  }

  #resolvePath(path: string, exclude?: ReadonlySet<string>): Resolution | undefined {
    if (!path.startsWith(SERVING_PREFIX)) return undefined;
    const rest = path.slice(SERVING_PREFIX.length);
    const [ns, name] = rest.split('/', 2);
    if (!ns || !name) return undefined;
    const nameEnd = ns.length + 1 + name.length;
    const cut = name.indexOf('?');
    const routeName = cut < 0 ? name : name.slice(0, cut);
    let key: string;
    try {
      key = `${decodeURIComponent(ns)}/${decodeURIComponent(routeName)}`;
    } catch {
      return undefined; // malformed %-escape: no route can match it (the gateway answers 404)
    }
    const route = this.#routes.get(key);
    if (!route) return undefined;
    let tail = rest.slice(cut < 0 ? nameEnd : ns.length + 1 + cut);
    if (!tail.startsWith('/')) tail = `/${tail}`;
    return { route, backend: this.#pick(route, tail, exclude), rewrittenPath: tail };
  }

  #unindex(key: string): void {
    const old = this.#routes.get(key);
    if (old) for (const h of old.hosts) this.#byHost.delete(h);
  }

  #changed(): void {
    this.#version++;
    for (const l of this.#listeners) l(this.#version);
  }
}
