/**
 * Azure Blob against real Azurite (Microsoft's emulator, started by the test) with the real SDK:
 * account key, connection string, SAS generated here, anonymous public and private containers.
 * The service-principal token exchange is tested against a local token endpoint (Azurite accepts
 * bearer tokens only over https).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlobServiceClient, ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from '@azure/storage-blob';
import { buildZip } from '../../../test/support/archives.ts';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from '../../../test/support/azurite.ts';
import { parseStorageUri, StorageError, type Progress, type StorageContext } from '../provider.ts';
import { azureProvider, isAzureBlobUri, parseAzureUri, servicePrincipalCredential } from './index.ts';
import { rejectsWith, tree } from '../testing/expect.ts';

const fastRetry = { attempts: 2, baseMs: 1, capMs: 1, sleep: async () => undefined };
const PROD = `https://${AZURITE_ACCOUNT}.blob.core.windows.net`;



describe('azure provider (against Azurite)', () => {
  let az: Azurite;
  let work: string;
  let admin: BlobServiceClient;
  const provider = azureProvider({ retry: fastRetry });
  const fetchTo = async (uri: string, ctx: StorageContext): Promise<{ dest: string; version: string }> => {
    const p = parseStorageUri(uri);
    const src = await provider.resolve(p, ctx);
    const dest = await mkdtemp(join(work, 'd-'));
    await provider.download(p, src, dest, ctx);
    return { dest, version: src.version };
  };
  const keyEnv = (): Record<string, string> => ({ AZURE_STORAGE_BLOB_ENDPOINT: az.blobEndpoint, AZURE_STORAGE_ACCESS_KEY: AZURITE_KEY });
  const put = async (container: string, name: string, body: string, md5?: Buffer): Promise<void> => {
    const blob = admin.getContainerClient(container).getBlockBlobClient(name);
    await blob.upload(body, Buffer.byteLength(body));
    // Set Blob Properties stores a Content-MD5 without checking it (an upload would reject it).
    if (md5) await blob.setHTTPHeaders({ blobContentMD5: md5 });
  };

  before(async () => {
    az = await startAzurite();
    work = await mkdtemp(join(tmpdir(), 'azure-test-'));
    admin = BlobServiceClient.fromConnectionString(az.connectionString);
    await admin.createContainer('models');
    await admin.createContainer('public', { access: 'container' });
    await put('models', 'iris/model.onnx', 'onnx-bytes');
    await put('models', 'iris/sub/config.json', '{"a":1}');
    await put('models', 'iris2/other', 'not mine');
    await put('models', 'single.bst', 'booster');
    await put('models', 'bad/model.bin', 'payload', Buffer.alloc(16, 7));
    await put('public', 'm/model.pmml', '<PMML/>');
  });
  after(async () => {
    await az.close();
    await rm(work, { recursive: true, force: true });
  });

  it('recognises KServe’s Azure URIs and the emulator’s path style, and nothing else', () => {
    assert.ok(isAzureBlobUri(parseStorageUri('https://acct.blob.core.windows.net/c/p')));
    assert.ok(isAzureBlobUri(parseStorageUri('http://127.0.0.1:10000/devstoreaccount1/c/p')));
    assert.ok(!isAzureBlobUri(parseStorageUri('https://example.com/model.tar.gz')));
    assert.ok(!isAzureBlobUri(parseStorageUri('https://acct.file.core.windows.net/share/p')));
    assert.deepEqual(parseAzureUri(parseStorageUri('https://acct.blob.core.windows.net/models/a/b/?sv=1&sig=x')), {
      account: 'acct',
      container: 'models',
      prefix: 'a/b',
      serviceUrl: 'https://acct.blob.core.windows.net',
      sas: 'sv=1&sig=x',
    });
    assert.throws(() => parseAzureUri(parseStorageUri('https://acct.blob.core.windows.net/')), (e: unknown) => e instanceof StorageError && e.reason === 'InvalidUri');
  });

  it('downloads a prefix with the account key, keeping relative paths, with progress', async () => {
    const progress: Progress[] = [];
    const { dest } = await fetchTo(`${PROD}/models/iris`, { env: keyEnv(), onProgress: (p) => progress.push({ ...p }) });
    assert.deepEqual(await tree(dest), { 'model.onnx': 'onnx-bytes', 'sub/config.json': '{"a":1}' });
    assert.deepEqual(progress.at(-1), { bytes: 17, totalBytes: 17, files: 2, totalFiles: 2 });
  });

  it('downloads a single blob under its base name (path-style emulator URI, connection string)', async () => {
    const { dest } = await fetchTo(`${az.blobEndpoint}/models/single.bst`, { env: { AZURE_STORAGE_CONNECTION_STRING: az.connectionString } });
    assert.deepEqual(await tree(dest), { 'single.bst': 'booster' });
    await rejectsWith(
      provider.resolve(parseStorageUri('https://otheraccount.blob.core.windows.net/models/single.bst'), { env: { AZURE_STORAGE_CONNECTION_STRING: az.connectionString } }),
      'InvalidUri',
      /account otheraccount but .* account devstoreaccount1/,
    );
  });

  it('gives a stable version that changes when a blob is overwritten', async () => {
    const p = parseStorageUri(`${PROD}/models/iris2`);
    const v1 = (await provider.resolve(p, { env: keyEnv() })).version;
    assert.equal((await provider.resolve(p, { env: keyEnv() })).version, v1);
    await put('models', 'iris2/other', 'changed');
    assert.notEqual((await provider.resolve(p, { env: keyEnv() })).version, v1);
  });

  it('accepts a SAS in the URI and rejects an expired one as Forbidden without echoing it', async () => {
    const cred = new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY);
    const sas = (expiresOn: Date): string =>
      generateBlobSASQueryParameters({ containerName: 'models', permissions: ContainerSASPermissions.parse('rl'), expiresOn, startsOn: new Date(Date.now() - 3_600_000) }, cred).toString();
    const env = { AZURE_STORAGE_BLOB_ENDPOINT: az.blobEndpoint };
    const good = sas(new Date(Date.now() + 3_600_000));
    const { dest } = await fetchTo(`${PROD}/models/iris?${good}`, { env });
    assert.equal(await readFile(join(dest, 'model.onnx'), 'utf8'), 'onnx-bytes');
    const expired = sas(new Date(Date.now() - 60_000));
    const err = await rejectsWith(provider.resolve(parseStorageUri(`${PROD}/models/iris?${expired}`), { env }), 'Forbidden', /SAS/);
    const sig = new URLSearchParams(expired).get('sig')!;
    assert.ok(!err.message.includes(sig), 'signature not in the message');
  });

  it('reads public containers anonymously; private ones are Forbidden with a hint', async () => {
    const env = { AZURE_STORAGE_BLOB_ENDPOINT: az.blobEndpoint };
    const { dest } = await fetchTo(`${PROD}/public/m`, { env });
    assert.deepEqual(await tree(dest), { 'model.pmml': '<PMML/>' });
    await rejectsWith(provider.resolve(parseStorageUri(`${PROD}/models/iris`), { env }), 'Forbidden', /anonymous access; set AZURE_STORAGE_ACCESS_KEY/);
  });

  it('maps a wrong key to Forbidden naming the account, never the key', async () => {
    const wrong = Buffer.alloc(64, 1).toString('base64');
    const err = await rejectsWith(provider.resolve(parseStorageUri(`${PROD}/models/iris`), { env: { ...keyEnv(), AZURE_STORAGE_ACCESS_KEY: wrong } }), 'Forbidden', /account devstoreaccount1/);
    assert.ok(!err.message.includes(wrong) && !err.message.includes(AZURITE_KEY));
  });

  it('maps a missing container, prefix or blob to NotFound', async () => {
    await rejectsWith(provider.resolve(parseStorageUri(`${PROD}/nocontainer/x`), { env: keyEnv() }), 'NotFound', /container nocontainer/);
    await rejectsWith(provider.resolve(parseStorageUri(`${PROD}/models/nothing`), { env: keyEnv() }), 'NotFound', /no blob or prefix/);
  });

  it('unpacks a lone zip as KServe does', async () => {
    const zip = buildZip([{ name: 'model.pmml', body: '<PMML/>', deflate: true }]);
    await admin.getContainerClient('models').getBlockBlobClient('zipped/model.zip').upload(zip, zip.length);
    const { dest } = await fetchTo(`${PROD}/models/zipped`, { env: keyEnv() });
    assert.deepEqual(await tree(dest), { 'model.pmml': '<PMML/>' });
  });

  it('applies STORAGE_ALLOW_PATTERNS / STORAGE_IGNORE_PATTERNS', async () => {
    const { dest } = await fetchTo(`${PROD}/models/iris`, { env: { ...keyEnv(), STORAGE_IGNORE_PATTERNS: '*.onnx' } });
    assert.deepEqual(await tree(dest), { 'sub/config.json': '{"a":1}' });
  });

  it('rejects a blob whose bytes do not match its Content-MD5', async () => {
    await rejectsWith(fetchTo(`${PROD}/models/bad`, { env: keyEnv() }), 'ChecksumMismatch', /md5/);
  });

  it('reports Unreachable when the endpoint is down', async () => {
    await rejectsWith(provider.resolve(parseStorageUri(`${PROD}/models/iris`), { env: { AZURE_STORAGE_BLOB_ENDPOINT: 'http://127.0.0.1:1/devstoreaccount1' } }), 'Unreachable');
  });

  it('gets a service-principal token with the client-credentials grant', async () => {
    const seen: URLSearchParams[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        seen.push(form);
        const ok = req.url === '/tenant-1/oauth2/v2.0/token' && form.get('client_secret') === 's3cret';
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ok ? { access_token: 'aad-token', expires_in: 3600 } : { error: 'invalid_client' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const tok = await servicePrincipalCredential('tenant-1', 'client-1', 's3cret', host).getToken('https://storage.azure.com/.default');
      assert.equal(tok?.token, 'aad-token');
      assert.equal(seen[0]!.get('grant_type'), 'client_credentials');
      assert.equal(seen[0]!.get('scope'), 'https://storage.azure.com/.default');
      const err = await rejectsWith(servicePrincipalCredential('tenant-1', 'client-1', 'wrong', host).getToken('x'), 'Forbidden', /client client-1/);
      assert.ok(!err.message.includes('wrong'));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
