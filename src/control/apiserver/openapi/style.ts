/**
 * The two OpenAPI dialects differ in how a schema points at a definition: Swagger 2.0 puts `$ref`
 * under `#/definitions/`, OpenAPI 3.0 under `#/components/schemas/`, and kube-apiserver wraps a v3
 * reference in `allOf` so a sibling `description` is not ignored (kubectl explain reads it).
 */

/** A JSON object of an OpenAPI document. */
export type Json = Record<string, unknown>;

export type Dialect = 'v2' | 'v3';

/** A schema pointing at definition `name`, with a description of the field that holds it. */
export function refTo(dialect: Dialect, name: string, description?: string): Json {
  if (dialect === 'v2') {
    return description === undefined ? { $ref: `#/definitions/${name}` } : { description, $ref: `#/definitions/${name}` };
  }
  const ref = { $ref: `#/components/schemas/${name}` };
  return description === undefined ? ref : { description, default: {}, allOf: [ref] };
}
