export { gcsProvider, gcsEndpoint, type GcsProviderOptions } from './provider.ts';
export { signAssertion, GCS_READ_SCOPE } from './auth.ts';
