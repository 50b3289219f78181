/**
 * Keeps the gateway's routing table equal to the reconciler's routes: every InferenceService with
 * a serving revision gets both of KServe's host forms and the `/serving/{ns}/{name}/` path (and
 * so does each component, as `{name}-predictor` ...), with the revision's ready replicas as
 * equally weighted backends and the explainer's for `:explain`.
 */
import { type Backend, type RoutingTable, defaultHosts } from '../gateway/index.ts';
import type { Endpoint, Route } from './reconciler/index.ts';

const backends = (revision: string, endpoints: readonly Endpoint[]): Backend[] =>
  endpoints.map((e) => ({ url: e.http, weight: 1, revision, ...(e.grpc ? { grpcUrl: `http://${e.grpc}` } : {}) }));

/**
 * Applies `routes`; returns one message per route the table refused (a host another route
 * already owns, e.g. isvc `a` in namespace `b-predictor` against `a-b`'s predictor), which keep
 * their old entry or none.
 */
export function syncRoutes(table: RoutingTable, routes: readonly Route[], domain: string): string[] {
  const wanted = new Set<string>();
  const refused: string[] = [];
  for (const r of routes) {
    wanted.add(`${r.namespace}/${r.name}`);
    try {
      table.set({
      namespace: r.namespace,
      name: r.name,
      hosts: defaultHosts(r.name, r.namespace, domain),
      backends: backends(r.revision, r.endpoints),
      ...(r.explain ? { explainBackends: backends(r.explain.revision, r.explain.endpoints) } : {}),
      });
    } catch (err) {
      refused.push(`route ${r.namespace}/${r.name}: ${(err as Error).message}`);
    }
  }
  for (const existing of table.list()) {
    if (!wanted.has(`${existing.namespace}/${existing.name}`)) table.delete(existing.namespace, existing.name);
  }
  return refused;
}
