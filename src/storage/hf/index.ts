export { hfProvider, parseHfUri, hfEndpoint, type HfProviderOptions, type HfRepoRef } from './provider.ts';
