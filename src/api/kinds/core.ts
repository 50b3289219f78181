/**
 * The core/v1 kinds (group `""`) the API server serves for kubectl: Namespace and Event.
 */
import type { ResourceKind } from '../registry.ts';
import { eventSchema, namespaceSchema } from '../schemas/core.ts';
import { AGE_COLUMN, column } from './columns.ts';

/** Namespace: cluster-scoped, short name `ns`, with a status subresource. */
export function namespaceKind(): ResourceKind {
  return {
    // As the namespace strategy's PrepareForCreate: a new namespace is Active. (No `kubernetes`
    // spec finalizer: there is no namespace controller here to remove it.)
    default: (obj) => {
      const status = typeof obj.status === 'object' && obj.status !== null && !Array.isArray(obj.status) ? (obj.status as Record<string, unknown>) : (obj.status = {});
      if (status.phase === undefined) status.phase = 'Active';
    },
    group: '',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    plural: 'namespaces',
    singular: 'namespace',
    shortNames: ['ns'],
    categories: [],
    namespaced: false,
    versions: [{
      name: 'v1',
      served: true,
      storage: true,
      statusSubresource: true,
      schema: namespaceSchema(),
      printerColumns: [column('Status', '.status.phase'), { ...AGE_COLUMN }],
    }],
  };
}

/** Event: namespaced, short name `ev`; the columns of `kubectl get events`. */
export function eventKind(): ResourceKind {
  return {
    group: '',
    kind: 'Event',
    listKind: 'EventList',
    plural: 'events',
    singular: 'event',
    shortNames: ['ev'],
    categories: [],
    namespaced: true,
    versions: [{
      name: 'v1',
      served: true,
      storage: true,
      statusSubresource: false,
      schema: eventSchema(),
      printerColumns: [
        column('Last Seen', '.lastTimestamp', 'date'),
        column('Type', '.type'),
        column('Reason', '.reason'),
        column('Object', '.involvedObject.name'),
        column('Message', '.message'),
      ],
    }],
  };
}
