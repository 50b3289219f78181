/**
 * The core/v1 kinds the API server serves for kubectl: Namespace (so `-n` and `kubectl create ns`
 * work) and Event (so `kubectl describe` shows events). Minimal: the fields kubectl reads.
 */
import type { JsonSchema } from '../registry.ts';
import { bool, int32, obj, objList, oneOf, str, strList, strMap } from './fields.ts';
import { conditionsSchema, topLevel } from './meta.ts';

/** The Namespace schema. */
export function namespaceSchema(): JsonSchema {
  return topLevel(
    'Namespace provides a scope for names.',
    obj('Desired state of the namespace.', { finalizers: strList('Finalizers that must be empty before the namespace is removed.') }),
    {
      type: 'object',
      description: 'Observed state of the namespace.',
      properties: { phase: oneOf('Active or Terminating.', ['Active', 'Terminating']), conditions: conditionsSchema() },
    },
  );
}

function objectReference(description: string): JsonSchema {
  return obj(description, {
    apiVersion: str('API version of the referent.'),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    namespace: str('Namespace of the referent.'),
    uid: str('UID of the referent.'),
    resourceVersion: str('Resource version of the referent.'),
    fieldPath: str('Part of the referent the event is about.'),
  });
}

/** The core/v1 Event schema (no spec: its fields are top level). */
export function eventSchema(): JsonSchema {
  const s = topLevel('Event is a report of an event somewhere in the cluster.', { type: 'object', description: 'Unused.' });
  const props = s.properties!;
  delete props.spec;
  delete props.status;
  Object.assign(props, {
    involvedObject: objectReference('The object this event is about.'),
    reason: str('Short, machine-understandable reason for the event.'),
    message: str('Human-readable description of the event.'),
    source: obj('Component reporting the event.', { component: str('Component name.'), host: str('Node name.') }),
    firstTimestamp: str('Time the event was first recorded.', { format: 'date-time', nullable: true }),
    lastTimestamp: str('Time the event was last recorded.', { format: 'date-time', nullable: true }),
    count: int32('Number of times the event occurred.'),
    type: oneOf('Normal or Warning.', ['Normal', 'Warning']),
    eventTime: str('Time the event was first observed (MicroTime).', { nullable: true }),
    series: obj('Data about the event series.', { count: int32('Occurrences in the series.'), lastObservedTime: str('Last time observed.') }),
    action: str('What action was taken.'),
    related: objectReference('Secondary object.'),
    reportingComponent: str('Controller that emitted the event.'),
    reportingInstance: str('Instance of the controller.'),
  });
  s.required = ['involvedObject'];
  return s;
}

/** Secret (core/v1): credentials the storage initializer reads (KServe: via a ServiceAccount). */
export function secretSchema(): JsonSchema {
  const s = topLevel('Secret holds secret data of a certain type.', { type: 'object', description: 'Unused.' });
  const props = s.properties!;
  delete props.spec;
  delete props.status;
  Object.assign(props, {
    data: { ...strMap('Secret data: each value base64-encoded.'), additionalProperties: { type: 'string', format: 'byte' } },
    stringData: strMap('Write-only plain-text data, merged into data on write.'),
    type: str('Used to facilitate programmatic handling of secret data (default Opaque).'),
    immutable: bool('If true, data cannot be updated.'),
  });
  return s;
}

/** ServiceAccount (core/v1): KServe finds storage credentials through its `secrets`. */
export function serviceAccountSchema(): JsonSchema {
  const s = topLevel('ServiceAccount binds together a name and a list of secrets.', { type: 'object', description: 'Unused.' });
  const props = s.properties!;
  delete props.spec;
  delete props.status;
  Object.assign(props, {
    secrets: objList('Secrets in the same namespace this service account uses (KServe reads storage credentials from them).', { name: str('Name of the secret.'), namespace: str('Namespace (unused).'), kind: str('Kind.') }),
    imagePullSecrets: objList('Image pull secrets.', { name: str('Name of the secret.') }),
    automountServiceAccountToken: bool('Whether pods mount a token.'),
  });
  return s;
}
