/**
 * The core/v1 kinds (group `""`) the API server serves for kubectl: Namespace and Event.
 */
import type { ResourceKind } from '../registry.ts';
import { eventSchema, namespaceSchema } from '../schemas/core.ts';
import { AGE_COLUMN } from './columns.ts';

/** Namespace: cluster-scoped, short name `ns`, with a status subresource. */
export function namespaceKind(): ResourceKind {
  return {
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
      printerColumns: [{ name: 'Status', type: 'string', jsonPath: '.status.phase' }, { ...AGE_COLUMN }],
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
        { name: 'Last Seen', type: 'date', jsonPath: '.lastTimestamp' },
        { name: 'Type', type: 'string', jsonPath: '.type' },
        { name: 'Reason', type: 'string', jsonPath: '.reason' },
        { name: 'Object', type: 'string', jsonPath: '.involvedObject.name' },
        { name: 'Message', type: 'string', jsonPath: '.message' },
      ],
    }],
  };
}
