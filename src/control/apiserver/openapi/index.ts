/** The OpenAPI documents of the API server (pure functions of the kinds; see documents.ts). */
export { openapiV2, openapiV3Document, openapiV3Paths, type OpenApiV3Index } from './documents.ts';
export { definitionName, groupVersionKey } from './names.ts';
