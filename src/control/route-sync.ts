/**
 * Keeps the gateway's routing table equal to the reconciler's routes: every InferenceService with
 * a serving revision gets both of KServe's host forms and the `/serving/{ns}/{name}/` path, with
 * the revision's ready replicas as equally weighted backends.
 */
import { type RoutingTable, defaultHosts } from '../gateway/index.ts';
import type { Route } from './reconciler/index.ts';

export function syncRoutes(table: RoutingTable, routes: readonly Route[], domain: string): void {
  const wanted = new Set<string>();
  for (const r of routes) {
    wanted.add(`${r.namespace}/${r.name}`);
    table.set({ namespace: r.namespace, name: r.name, hosts: defaultHosts(r.name, r.namespace, domain), backends: r.endpoints.map((e) => ({ url: e.http, weight: 1, revision: r.revision, ...(e.grpc ? { grpcUrl: `http://${e.grpc}` } : {}) })) });
  }
  for (const existing of table.list()) {
    if (!wanted.has(`${existing.namespace}/${existing.name}`)) table.delete(existing.namespace, existing.name);
  }
}
