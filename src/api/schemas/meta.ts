/**
 * ObjectMeta and the Knative-style status conditions every KServe kind carries. ObjectMeta is
 * spelled out (rather than left open) so that an unknown field under `metadata` is reported, as
 * the Kubernetes API server does.
 */
import type { JsonSchema } from '../registry.ts';
import { int64, obj, open, openList, str, strList, strMap } from './fields.ts';

/** Standard object metadata (metav1.ObjectMeta). */
export function objectMetaSchema(): JsonSchema {
  return obj('Standard object metadata.', {
    name: str('Name, unique within a namespace.'),
    generateName: str('Prefix for a server-generated name.'),
    namespace: str('Namespace of the object.'),
    selfLink: str('Deprecated; not set.'),
    uid: str('Unique id, set by the server.'),
    resourceVersion: str('Opaque version for optimistic concurrency.'),
    generation: int64('Sequence number of the desired state.'),
    creationTimestamp: str('Time the object was created (RFC 3339).', { format: 'date-time', nullable: true }),
    deletionTimestamp: str('Time after which the object is deleted (RFC 3339).', { format: 'date-time', nullable: true }),
    deletionGracePeriodSeconds: int64('Seconds allowed for graceful deletion.'),
    labels: strMap('Labels for selecting objects.'),
    annotations: strMap('Arbitrary non-identifying metadata.'),
    ownerReferences: openList('Objects this object depends on.'),
    finalizers: strList('Must be empty before the object is deleted.'),
    managedFields: openList('Field ownership for server-side apply.'),
  });
}

/** A Knative-style condition list (type, status, reason, message, severity, times). */
export function conditionsSchema(): JsonSchema {
  return {
    type: 'array',
    description: 'Latest observations of the resource state.',
    items: obj(
      'A condition.',
      {
        type: str('Type of condition (Ready, PredictorReady ...).'),
        status: { type: 'string', description: 'True, False or Unknown.', enum: ['True', 'False', 'Unknown'] },
        severity: str('Error, Warning or Info; empty means Error.'),
        lastTransitionTime: str('When the condition last changed status.'),
        reason: str('One-word CamelCase reason for the last transition.'),
        message: str('Human-readable details of the last transition.'),
      },
      ['type', 'status'],
    ),
  };
}

/** The duck-typed address of a servable (`{url, CACerts, audience, name}`). */
export function addressableSchema(): JsonSchema {
  return {
    type: 'object',
    description: 'Where the resource can be reached inside the cluster.',
    properties: { url: str('Address URL.'), name: str('Address name.'), CACerts: str('CA certificates, PEM.'), audience: str('OIDC audience.') },
    'x-kubernetes-preserve-unknown-fields': true,
  };
}

/** The top level of every kind: apiVersion, kind, metadata, spec, and an open status. */
export function topLevel(description: string, spec: JsonSchema, status: JsonSchema = open('Observed state.'), required: string[] = []): JsonSchema {
  const s: JsonSchema = {
    type: 'object',
    description,
    properties: {
      apiVersion: str('Versioned schema of this representation of an object.'),
      kind: str('REST resource this object represents.'),
      metadata: objectMetaSchema(),
      spec,
      status,
    },
  };
  if (required.length > 0) s.required = required;
  return s;
}
