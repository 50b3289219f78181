/** The OpenAPI documents of the API server (pure functions of the kinds; see documents.ts). */
export { openapiV2, openapiV3Document, openapiV3Paths, type OpenApiV3Index } from './documents.ts';
export { definitionName, groupVersionKey } from './names.ts';
export { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_CONTENT_TYPE, openapiV2Protobuf } from './proto-v2.ts';
