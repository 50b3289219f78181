/**
 * The non-inference messages: model and server metadata, the repository index. Model metadata
 * has no parameters field in the gRPC protocol, so they are not sent.
 */
import { invalidInput } from '../../core/errors.ts';
import { DATATYPES, isDatatype } from '../datatype.ts';
import type { ModelIndexEntry, ModelMetadata, ServerMetadata, TensorMetadata } from '../infer.ts';
import type { ModelMetadataResponse, ModelMetadataResponse__Output } from './generated/inference/ModelMetadataResponse.ts';
import type { RepositoryIndexResponse } from './generated/inference/RepositoryIndexResponse.ts';
import type { ServerMetadataResponse } from './generated/inference/ServerMetadataResponse.ts';
import { decodeDims } from './tensors.ts';

/** ModelMetadata → ModelMetadataResponse. */
export function encodeModelMetadata(meta: ModelMetadata): ModelMetadataResponse {
  const tensor = (t: TensorMetadata) => ({ name: t.name, datatype: t.datatype, shape: t.shape });
  return {
    name: meta.name,
    versions: meta.versions ?? [],
    platform: meta.platform,
    inputs: meta.inputs.map(tensor),
    outputs: meta.outputs.map(tensor),
  };
}

/** A decoded ModelMetadataResponse → ModelMetadata (the client side). Throws INVALID_INPUT. */
export function decodeModelMetadata(msg: ModelMetadataResponse__Output): ModelMetadata {
  const tensors = (list: unknown, field: string): TensorMetadata[] => {
    if (!Array.isArray(list)) throw invalidInput(field, list, 'a list of tensor metadata');
    return list.map((t: Partial<ModelMetadataResponse__Output['inputs'][number]>, i) => {
      if (!isDatatype(t.datatype)) throw invalidInput(`${field}[${i}].datatype`, t.datatype, `one of ${DATATYPES.join(', ')}`);
      const shape = decodeDims(t.shape, `${field}[${i}].shape`);
      shape.forEach((d, j) => {
        if (d < -1) throw invalidInput(`${field}[${i}].shape[${j}]`, d, 'a non-negative integer, or -1 for any size');
      });
      return { name: String(t.name ?? ''), datatype: t.datatype, shape };
    });
  };
  const meta: ModelMetadata = {
    name: msg.name,
    platform: msg.platform,
    inputs: tensors(msg.inputs, 'inputs'),
    outputs: tensors(msg.outputs, 'outputs'),
  };
  if (msg.versions.length > 0) meta.versions = [...msg.versions];
  return meta;
}

/** ServerMetadata → ServerMetadataResponse. */
export function encodeServerMetadata(meta: ServerMetadata): ServerMetadataResponse {
  return { name: meta.name, version: meta.version, extensions: [...meta.extensions] };
}

/** Repository index entries → RepositoryIndexResponse (an absent version is sent as ""). */
export function encodeRepositoryIndex(entries: readonly ModelIndexEntry[]): RepositoryIndexResponse {
  return { models: entries.map((e) => ({ name: e.name, version: e.version ?? '', state: e.state, reason: e.reason })) };
}
