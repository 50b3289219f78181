/**
 * The core/v1 kinds (group `""`) the API server serves for kubectl: Namespace and Event, and the
 * Secret and ServiceAccount through which KServe finds storage credentials.
 */
import type { ResourceKind } from '../registry.ts';
import { eventSchema, namespaceSchema, secretSchema, serviceAccountSchema } from '../schemas/core.ts';
import { invalid } from '../field-errors.ts';
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

/**
 * Secret: namespaced. As the API server's secret strategy: `stringData` is merged into `data`
 * (base64) and dropped; `type` defaults to Opaque; `data` values must be base64. Values are never
 * printed by the table (`kubectl get secret` shows the count only).
 */
export function secretKind(): ResourceKind {
  return {
    group: '',
    kind: 'Secret',
    listKind: 'SecretList',
    plural: 'secrets',
    singular: 'secret',
    shortNames: [],
    categories: [],
    namespaced: true,
    default: (obj) => {
      const data = isRecord(obj.data) ? (obj.data as Record<string, unknown>) : {};
      if (isRecord(obj.stringData)) {
        for (const [k, v] of Object.entries(obj.stringData as Record<string, unknown>)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
        delete obj.stringData;
      }
      if (Object.keys(data).length > 0 || obj.data !== undefined) obj.data = data;
      if (obj.type === undefined || obj.type === '') obj.type = 'Opaque';
    },
    validate: (obj) => {
      const errs = [];
      const data = isRecord(obj.data) ? (obj.data as Record<string, unknown>) : {};
      for (const [k, v] of Object.entries(data)) {
        if (!/^[-._a-zA-Z0-9]+$/.test(k)) errs.push(invalid(`data[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"));
        if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) errs.push(invalid(`data[${k}]`, '<value hidden>', 'a base64-encoded string'));
      }
      return errs;
    },
    versions: [{
      name: 'v1',
      served: true,
      storage: true,
      statusSubresource: false,
      schema: secretSchema(),
      // No data column: a table cell would print the values (kubectl shows only their count).
      printerColumns: [column('Type', '.type'), { ...AGE_COLUMN }],
    }],
  };
}

/** ServiceAccount: namespaced, short name `sa`. */
export function serviceAccountKind(): ResourceKind {
  return {
    group: '',
    kind: 'ServiceAccount',
    listKind: 'ServiceAccountList',
    plural: 'serviceaccounts',
    singular: 'serviceaccount',
    shortNames: ['sa'],
    categories: [],
    namespaced: true,
    versions: [{
      name: 'v1',
      served: true,
      storage: true,
      statusSubresource: false,
      schema: serviceAccountSchema(),
      printerColumns: [{ ...AGE_COLUMN }],
    }],
  };
}

const isRecord = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
