export { azureProvider, mapAzureError, type AzureProviderOptions } from './provider.ts';
export { isAzureBlobUri, parseAzureUri, EMULATOR_ACCOUNT, type AzureBlobRef } from './uri.ts';
export { servicePrincipalCredential, STORAGE_SCOPE, type AzureAuthKind } from './credentials.ts';
