/**
 * Which `storageUri` values KServe accepts. For InferenceService components: the prefixes the
 * default storage initializer supports (SupportedStorageURIPrefixList in the controller's utils),
 * Azure blob URLs, or a local path (`ValidateStorageURI`). For TrainedModel: the schemes of the
 * model agent's puller (pkg/agent/storage), which is a shorter list.
 */

/** Prefixes the storage initializer supports. */
export const STORAGE_URI_PREFIXES = ['gs://', 's3://', 'pvc://', 'file://', 'https://', 'http://', 'hdfs://', 'webhdfs://', 'oci://', 'oci+native://', 'oci+fetch://', 'hf://'] as const;

/** Prefixes the TrainedModel puller supports. */
export const TRAINED_MODEL_URI_PREFIXES = ['s3://', 'gs://', 'abfs://', 'https://', 'http://'] as const;

const AZURE_BLOB_HOST = 'blob.core.windows.net';
const AZURE_BLOB_URI = /https:\/\/(.+?)\.blob\.core\.windows\.net\/(.+)/;
const HAS_SCHEME = /\w+?:\/\//;

/**
 * Why KServe rejects `uri` as a model location, or undefined when it accepts it. Example:
 * `ftp://host/m` → "must be one of: [gs://, s3://, ...] or match https://{}.blob.core.windows.net/{}/{}
 * or be an absolute or relative local path".
 */
export function storageUriProblem(uri: string): string | undefined {
  if (!HAS_SCHEME.test(uri)) return undefined; // a local path
  // Azure first: it also starts with https://, but must name an account and a container/path.
  if (uri.includes(AZURE_BLOB_HOST) ? AZURE_BLOB_URI.test(uri) : STORAGE_URI_PREFIXES.some((p) => uri.startsWith(p))) return undefined;
  return `must be one of: [${STORAGE_URI_PREFIXES.join(', ')}] or match https://{}.blob.core.windows.net/{}/{} or be an absolute or relative local path`;
}

/** Why the TrainedModel puller cannot fetch `uri`, or undefined. */
export function trainedModelUriProblem(uri: string): string | undefined {
  if (TRAINED_MODEL_URI_PREFIXES.some((p) => uri.startsWith(p))) return undefined;
  return `the storage uri must start with one of the prefixes: ${TRAINED_MODEL_URI_PREFIXES.join(', ')}`;
}
