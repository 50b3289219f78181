/**
 * oci:// against a real registry: Debian's docker-registry (CNCF distribution 2.8), started here on
 * a free port with a temp dir; images and ORAS artifacts pushed with test/support/oci-push.ts.
 * Auth, tampering and cut connections go through a small local proxy in front of the registry
 * (the registry itself has no token server; htpasswd needs a bcrypt tool not installed here).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readlink, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ociProvider } from '../src/storage/oci/index.ts';
import { parseStorageUri, type Progress, type StorageContext } from '../src/storage/provider.ts';
import { freePort, registryAvailable, startRegistry, type Registry } from './support/oci-registry.ts';
import { OciPusher, sha256, tar, tarGz } from './support/oci-push.ts';
import { rejectsWith } from '../src/storage/testing/expect.ts';

const IRIS = await readFile(new URL('../examples/models/iris/model.onnx', import.meta.url));
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

if (!registryAvailable()) {
  console.error('SKIPPING storage-oci tests: /usr/bin/docker-registry is missing (apt-get install docker-registry)');
}

describe('oci:// storage against docker-registry', { skip: !registryAvailable() && 'docker-registry missing' }, () => {
  let reg: Registry;
  let push: OciPusher;
  let work: string;
  const provider = ociProvider({ attempts: 2, retryBaseMs: 1, platform: { os: 'linux', architecture: 'amd64' } });

  before(async () => {
    reg = await startRegistry();
    push = new OciPusher(`http://${reg.host}`);
    work = await mkdtemp(join(tmpdir(), 'kserve-oci-test-'));
  });
  after(async () => {
    await reg?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  let n = 0;
  async function pull(uri: string, ctx: Partial<StorageContext> = {}, p = provider): Promise<{ dest: string; version: string; totalBytes?: number; progress: Progress[] }> {
    const parsed = parseStorageUri(uri);
    const progress: Progress[] = [];
    const full: StorageContext = { env: {}, onProgress: (x) => progress.push(x), ...ctx };
    const source = await p.resolve(parsed, full);
    const dest = join(work, `dest-${++n}`, 'model');
    await mkdir(dest, { recursive: true });
    await p.download(parsed, source, dest, full);
    return { dest, version: source.version, totalBytes: source.totalBytes, progress };
  }

  async function modelcar(repo: string, tag: string): Promise<{ digest: string }> {
    const base = tarGz([
      { path: 'bin/', type: 'dir' },
      { path: 'bin/sh', body: '#!/bin/busybox', mode: 0o755 },
      { path: 'models/', type: 'dir' },
      { path: 'models/model.onnx', body: IRIS },
      { path: 'models/old.txt', body: 'gone in the next layer' },
      { path: 'models/stale/', type: 'dir' },
      { path: 'models/stale/a.txt', body: 'hidden by an opaque whiteout' },
    ]);
    const top = tar([
      { path: 'models/.wh.old.txt' },
      { path: 'models/config/', type: 'dir' },
      { path: 'models/config/labels.txt', body: 'setosa\nversicolor\nvirginica\n' },
      { path: 'models/latest.onnx', type: 'symlink', linkpath: '/models/model.onnx' },
      { path: 'models/same.onnx', type: 'hardlink', linkpath: 'models/model.onnx' },
      { path: 'models/stale/.wh..wh..opq' },
      { path: 'models/stale/b.txt', body: 'new' },
    ]);
    return push.image(repo, tag, [{ data: base, gzip: true }, { data: top, gzip: false }]);
  }

  test('modelcar image by tag: layers in order, whiteouts, only /models kept, links inside', async () => {
    const { digest } = await modelcar('kserve/iris-modelcar', 'v1');
    const { dest, version, totalBytes, progress } = await pull(`oci://${reg.host}/kserve/iris-modelcar:v1`);
    assert.equal(version, digest);
    assert.deepEqual(await readFile(join(dest, 'model.onnx')), IRIS);
    assert.equal(await readFile(join(dest, 'config/labels.txt'), 'utf8'), 'setosa\nversicolor\nvirginica\n');
    assert.equal(existsSync(join(dest, 'old.txt')), false, 'whiteout removed old.txt');
    assert.deepEqual(await readdir(join(dest, 'stale')), ['b.txt'], 'opaque whiteout hid the lower layer');
    assert.equal(await readlink(join(dest, 'latest.onnx')), 'model.onnx', 'absolute /models link rewritten relative');
    assert.deepEqual(await readFile(join(dest, 'same.onnx')), IRIS);
    assert.deepEqual((await readdir(dest)).sort(), ['config', 'latest.onnx', 'model.onnx', 'same.onnx', 'stale']);
    assert.equal(existsSync(join(dest, '..', 'bin')), false);
    const last = progress[progress.length - 1]!;
    assert.equal(last.bytes, totalBytes);
    assert.equal(last.files, 2);
  });

  test('pull by digest gives the same version and files; a second resolve is stable', async () => {
    const { digest } = await modelcar('kserve/iris-bydigest', 'v1');
    const { dest, version } = await pull(`oci://${reg.host}/kserve/iris-bydigest@${digest}`);
    assert.equal(version, digest);
    assert.deepEqual(await readFile(join(dest, 'model.onnx')), IRIS);
    const again = await provider.resolve(parseStorageUri(`oci://${reg.host}/kserve/iris-bydigest:v1`), { env: {} });
    assert.equal(again.version, digest);
  });

  test('ORAS artifact: each titled layer becomes that file (two files with one digest included)', async () => {
    const { digest } = await push.orasArtifact('kserve/iris-oras', 'v1', {
      'model.onnx': IRIS,
      'backup/model.onnx': IRIS,
      'config.json': Buffer.from('{"name":"iris"}'),
      'extra/notes.txt': Buffer.from('nested title'),
    });
    const { dest, version } = await pull(`oci://${reg.host}/kserve/iris-oras:v1`);
    assert.equal(version, digest);
    assert.deepEqual(await readFile(join(dest, 'model.onnx')), IRIS);
    assert.equal(await readFile(join(dest, 'config.json'), 'utf8'), '{"name":"iris"}');
    assert.equal(await readFile(join(dest, 'extra/notes.txt'), 'utf8'), 'nested title');
    assert.deepEqual(await readFile(join(dest, 'backup/model.onnx')), IRIS);
    assert.deepEqual((await readdir(dest)).sort(), ['backup', 'config.json', 'extra', 'model.onnx']);
  });

  test('ORAS directory layer (io.deis.oras.content.unpack) is unpacked under its title', async () => {
    const dirTar = tarGz([
      { path: 'iris/', type: 'dir' },
      { path: 'iris/model.onnx', body: IRIS },
      { path: 'iris/1/labels.txt', body: 'a\nb\n' },
    ]);
    const config = await push.blob('kserve/oras-dir', Buffer.from('{}'), 'application/vnd.oci.empty.v1+json');
    const layer = await push.blob('kserve/oras-dir', dirTar, 'application/vnd.oci.image.layer.v1.tar+gzip', {
      'org.opencontainers.image.title': 'iris',
      'io.deis.oras.content.unpack': 'true',
    });
    await push.manifest('kserve/oras-dir', 'v1', { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] }, OCI_MANIFEST);
    const { dest } = await pull(`oci://${reg.host}/kserve/oras-dir:v1`);
    assert.deepEqual(await readFile(join(dest, 'iris/model.onnx')), IRIS);
    assert.equal(await readFile(join(dest, 'iris/1/labels.txt'), 'utf8'), 'a\nb\n');
  });

  test('Docker v2 schema 2 manifest with rootfs.diff.tar.gzip layers', async () => {
    const repo = 'kserve/docker-v2';
    const config = await push.blob(repo, Buffer.from('{"os":"linux","architecture":"amd64"}'), 'application/vnd.docker.container.image.v1+json');
    const layer = await push.blob(repo, tarGz([{ path: 'models/model.onnx', body: IRIS }]), 'application/vnd.docker.image.rootfs.diff.tar.gzip');
    const mt = 'application/vnd.docker.distribution.manifest.v2+json';
    const digest = await push.manifest(repo, 'v1', { schemaVersion: 2, mediaType: mt, config, layers: [layer] }, mt);
    const { dest, version } = await pull(`oci://${reg.host}/${repo}:v1`);
    assert.equal(version, digest);
    assert.deepEqual(await readFile(join(dest, 'model.onnx')), IRIS);
  });

  test('an aborted signal → Aborted', async () => {
    await modelcar('kserve/aborted', 'v1');
    const ac = new AbortController();
    ac.abort();
    await rejectsWith(provider.resolve(parseStorageUri(`oci://${reg.host}/kserve/aborted:v1`), { env: {}, signal: ac.signal }), 'Aborted');
  });

  test('image index: the linux/amd64 image is picked and its digest is the version', async () => {
    const amd = await modelcar('kserve/iris-multi', 'amd64');
    const other = await push.image('kserve/iris-multi', 'arm64', [{ data: tarGz([{ path: 'models/model.onnx', body: 'arm' }]), gzip: true }]);
    const manifestSize = async (d: string): Promise<number> =>
      Number((await fetch(`http://${reg.host}/v2/kserve/iris-multi/manifests/${d}`, { method: 'HEAD', headers: { accept: OCI_MANIFEST } })).headers.get('content-length'));
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: OCI_MANIFEST, digest: other.digest, size: await manifestSize(other.digest), platform: { os: 'linux', architecture: 'arm64' } },
        { mediaType: OCI_MANIFEST, digest: amd.digest, size: await manifestSize(amd.digest), platform: { os: 'linux', architecture: 'amd64' } },
      ],
    };
    await push.manifest('kserve/iris-multi', 'v1', index, 'application/vnd.oci.image.index.v1+json');
    const { dest, version } = await pull(`oci://${reg.host}/kserve/iris-multi:v1`);
    assert.equal(version, amd.digest);
    assert.deepEqual(await readFile(join(dest, 'model.onnx')), IRIS);
  });

  test('a layer corrupted in the registry storage → ChecksumMismatch', async () => {
    const { layers } = await push.image('kserve/corrupt', 'v1', [{ data: tarGz([{ path: 'models/model.onnx', body: IRIS }]), gzip: true }]);
    const file = reg.blobPath(layers[0]!.digest);
    const bytes = await readFile(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff; // same length, one byte flipped
    await writeFile(file, bytes);
    const uri = parseStorageUri(`oci://${reg.host}/kserve/corrupt:v1`);
    const source = await provider.resolve(uri, { env: {} });
    const dest = join(work, 'corrupt');
    await mkdir(dest);
    await rejectsWith(provider.download(uri, source, dest, { env: {} }), 'ChecksumMismatch', /sha256:/);
    assert.deepEqual(await readdir(dest), [], 'no unverified byte was unpacked and the temp dir is gone');
  });

  test('missing tag, repository or digest → NotFound; malformed reference → InvalidUri', async () => {
    await modelcar('kserve/present', 'v1');
    await rejectsWith(provider.resolve(parseStorageUri(`oci://${reg.host}/kserve/present:nope`), { env: {} }), 'NotFound', /MANIFEST_UNKNOWN/);
    await rejectsWith(provider.resolve(parseStorageUri(`oci://${reg.host}/kserve/absent:v1`), { env: {} }), 'NotFound');
    await rejectsWith(provider.resolve(parseStorageUri(`oci://${reg.host}/kserve/present@${sha256('x')}`), { env: {} }), 'NotFound');
    await rejectsWith(provider.resolve(parseStorageUri(`oci://${reg.host}/Kserve/UPPER:v1`), { env: {} }), 'InvalidUri');
  });

  test('an image without /models → NotFound naming the modelcar layout', async () => {
    await push.image('kserve/no-models', 'v1', [{ data: tarGz([{ path: 'app/model.onnx', body: IRIS }]), gzip: true }]);
    const uri = parseStorageUri(`oci://${reg.host}/kserve/no-models:v1`);
    const dest = join(work, 'no-models');
    await mkdir(dest);
    await rejectsWith(provider.download(uri, await provider.resolve(uri, { env: {} }), dest, { env: {} }), 'NotFound', /\/models/);
  });

  test('unsafe layers → UnsafeArchive, nothing written outside dest', async () => {
    const cases: [string, Parameters<typeof tar>[0]][] = [
      ['dotdot', [{ path: 'models/../../evil', body: 'x' }]],
      ['absolute', [{ path: '/models/abs', body: 'x' }]],
      ['symlink-out', [{ path: 'models/link', type: 'symlink', linkpath: '../../../etc' }]],
      ['symlink-abs-out', [{ path: 'models/passwd', type: 'symlink', linkpath: '/etc/passwd' }]],
      ['through-link', [{ path: 'models/d', type: 'symlink', linkpath: '.' }, { path: 'models/d/x', body: 'x' }]],
      ['hardlink-out', [{ path: 'models/h', type: 'hardlink', linkpath: 'etc/passwd' }]],
      ['fifo', [{ path: 'models/pipe', type: 'fifo' }]],
    ];
    for (const [name, entries] of cases) {
      await push.image(`kserve/unsafe-${name}`, 'v1', [{ data: tarGz(entries), gzip: true }]);
      const uri = parseStorageUri(`oci://${reg.host}/kserve/unsafe-${name}:v1`);
      const box = join(work, `unsafe-${name}`);
      const dest = join(box, 'a', 'model');
      await mkdir(dest, { recursive: true });
      await rejectsWith(provider.download(uri, await provider.resolve(uri, { env: {} }), dest, { env: {} }), 'UnsafeArchive');
      assert.equal(existsSync(join(box, 'evil')), false, name);
      assert.equal(existsSync(join(box, 'a', 'evil')), false, name);
    }
    const oras = await push.orasArtifact('kserve/unsafe-title', 'v1', { '../evil.onnx': IRIS });
    assert.ok(oras.digest);
    const uri = parseStorageUri(`oci://${reg.host}/kserve/unsafe-title:v1`);
    const dest = join(work, 'unsafe-title', 'model');
    await mkdir(dest, { recursive: true });
    await rejectsWith(provider.download(uri, await provider.resolve(uri, { env: {} }), dest, { env: {} }), 'UnsafeArchive');
    assert.equal(existsSync(join(work, 'unsafe-title', 'evil.onnx')), false);
  });

  test('a truncated or garbled layer (its digest matching) → UnsafeArchive, not a hang', async () => {
    const body = randomBytes(300_000);
    const gz = tarGz([{ path: 'models/a.bin', body }, { path: 'models/b.bin', body: 'x' }]);
    const plain = tar([{ path: 'models/a.bin', body }, { path: 'models/b.bin', body: 'x' }]);
    const cases: Record<string, Buffer> = {
      'gz-truncated': gz.subarray(0, gz.length >> 1),
      'tar-truncated': plain.subarray(0, plain.length >> 1),
      'gz-garbled': Buffer.concat([gz.subarray(0, 1000), randomBytes(5000)]),
    };
    for (const [name, data] of Object.entries(cases)) {
      await push.image(`kserve/broken-${name}`, 'v1', [{ data, gzip: true }]);
      const uri = parseStorageUri(`oci://${reg.host}/kserve/broken-${name}:v1`);
      const dest = join(work, `broken-${name}`);
      await mkdir(dest);
      await rejectsWith(provider.download(uri, await provider.resolve(uri, { env: {} }), dest, { env: {} }), 'UnsafeArchive', /not a readable tar layer/);
    }
  });

  test('a layer expanding past the limit → TooLarge (archive bomb)', async () => {
    await push.image('kserve/bomb', 'v1', [{ data: tarGz([{ path: 'models/zeros.bin', body: Buffer.alloc(2 * 1024 * 1024) }]), gzip: true }]);
    const small = ociProvider({ attempts: 1, limits: { maxExpandedBytes: 1024 * 1024 } });
    const uri = parseStorageUri(`oci://${reg.host}/kserve/bomb:v1`);
    const dest = join(work, 'bomb');
    await mkdir(dest);
    await rejectsWith(small.download(uri, await small.resolve(uri, { env: {} }), dest, { env: {} }), 'TooLarge', /zeros\.bin/);
  });

  test('registry down → Unreachable', async () => {
    const port = await freePort();
    await rejectsWith(provider.resolve(parseStorageUri(`oci://127.0.0.1:${port}/kserve/iris:v1`), { env: {} }), 'Unreachable', /ECONNREFUSED/);
  });

  describe('through a proxy: bearer and basic auth, tampering, cut connections', () => {
    let proxy: Server;
    let proxyHost: string;
    let mode: 'bearer' | 'basic' | 'tamper' | 'cut' | 'stall' | 'lie' = 'bearer';
    const tokenRequests: URLSearchParams[] = [];
    const blobRanges: (string | undefined)[] = [];
    let cutsLeft = 0;
    const user = 'alice';
    const password = 's3cret';
    const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const headers: Record<string, string> = {};
      if (req.headers.accept) headers.accept = req.headers.accept;
      if (req.headers.range) headers.range = req.headers.range;
      const up = await fetch(`http://${reg.host}${req.url}`, { method: req.method, headers });
      let body = Buffer.from(await up.arrayBuffer());
      if (mode === 'tamper' && req.url!.includes('/manifests/sha256:')) body = Buffer.concat([body, Buffer.from(' ')]);
      const out: Record<string, string> = {};
      for (const h of ['content-type', 'docker-content-digest', 'content-range']) {
        const v = up.headers.get(h);
        if (v) out[h] = v;
      }
      if (mode === 'lie' && req.url!.includes('/manifests/')) out['docker-content-digest'] = sha256('another manifest');
      if (req.url!.includes('/blobs/')) blobRanges.push(req.headers.range);
      if ((mode === 'cut' || mode === 'stall') && req.url!.includes('/blobs/') && cutsLeft > 0 && body.length > 100) {
        cutsLeft--;
        res.writeHead(up.status, { ...out, 'content-length': String(body.length) });
        // 'cut' closes the connection half-way; 'stall' keeps it open and sends nothing more.
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => (mode === 'cut' ? res.destroy() : undefined));
        return;
      }
      res.writeHead(up.status, { ...out, 'content-length': String(body.length) });
      res.end(body);
    }

    before(async () => {
      proxy = createServer((req, res) => {
        const url = new URL(req.url!, 'http://x');
        if (url.pathname === '/token') {
          tokenRequests.push(url.searchParams);
          if (req.headers.authorization !== basic) {
            res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
            return;
          }
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'tok-123', expires_in: 300 }));
          return;
        }
        if (mode === 'bearer' && req.headers.authorization !== 'Bearer tok-123') {
          res
            .writeHead(401, {
              'www-authenticate': `Bearer realm="http://${proxyHost}/token",service="test-registry",scope="repository:kserve/private:pull"`,
              'content-type': 'application/json',
            })
            .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
          return;
        }
        if (mode === 'basic' && req.headers.authorization !== basic) {
          res.writeHead(401, { 'www-authenticate': 'Basic realm="Registry Realm"' }).end();
          return;
        }
        forward(req, res).catch((err: unknown) => res.destroy(err as Error));
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyHost = `127.0.0.1:${(proxy.address() as { port: number }).port}`;
      await modelcar('kserve/private', 'v1');
    });
    after(async () => {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    });

    async function dockerConfig(pass: string): Promise<string> {
      const file = join(work, `docker-config-${++n}.json`);
      await writeFile(file, JSON.stringify({ auths: { [proxyHost]: { auth: Buffer.from(`${user}:${pass}`).toString('base64') } } }));
      return file;
    }

    test('bearer token flow with credentials from KSERVE_OCI_DOCKER_CONFIG', async () => {
      mode = 'bearer';
      tokenRequests.length = 0;
      const env = { KSERVE_OCI_DOCKER_CONFIG: await dockerConfig(password) };
      const { dest } = await pull(`oci://${proxyHost}/kserve/private:v1`, { env });
      assert.deepEqual(await readFile(join(dest, 'model.onnx')), IRIS);
      assert.equal(tokenRequests[0]!.get('service'), 'test-registry');
      assert.equal(tokenRequests[0]!.get('scope'), 'repository:kserve/private:pull');
      // One token per client (resolve, download), reused for every manifest and blob request.
      assert.equal(tokenRequests.length, 2);
    });

    test('bearer flow: wrong password or no credentials → Forbidden, credentials not in the message', async () => {
      mode = 'bearer';
      const env = { KSERVE_OCI_DOCKER_CONFIG: await dockerConfig('wrong') };
      const err = await rejectsWith(provider.resolve(parseStorageUri(`oci://${proxyHost}/kserve/private:v1`), { env }), 'Forbidden');
      assert.doesNotMatch(err.message, /wrong|alice/);
      await rejectsWith(provider.resolve(parseStorageUri(`oci://${proxyHost}/kserve/private:v1`), { env: {} }), 'Forbidden', /anonymous/);
    });

    test('basic challenge with credentials from DOCKER_CONFIG/config.json', async () => {
      mode = 'basic';
      const dir = join(work, 'docker-config-dir');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { [`http://${proxyHost}`]: { username: user, password } } }));
      const { dest } = await pull(`oci://${proxyHost}/kserve/private:v1`, { env: { DOCKER_CONFIG: dir } });
      assert.deepEqual(await readFile(join(dest, 'model.onnx')), IRIS);
      await rejectsWith(provider.resolve(parseStorageUri(`oci://${proxyHost}/kserve/private:v1`), { env: {} }), 'Forbidden', /requires credentials/);
    });

    test('a manifest whose bytes do not hash to the digest it was fetched by → ChecksumMismatch', async () => {
      mode = 'tamper';
      const { digest } = await modelcar('kserve/tampered', 'v1');
      await rejectsWith(provider.resolve(parseStorageUri(`oci://${proxyHost}/kserve/tampered@${digest}`), { env: {} }), 'ChecksumMismatch', /fetched by digest/);
    });

    test('a blob cut mid-transfer resumes with Range and verifies', async () => {
      mode = 'cut';
      await push.image('kserve/resume', 'v1', [{ data: tar([{ path: 'models/model.onnx', body: IRIS }]), gzip: false }]);
      cutsLeft = 1;
      blobRanges.length = 0;
      const { dest } = await pull(`oci://${proxyHost}/kserve/resume:v1`);
      assert.deepEqual(await readFile(join(dest, 'model.onnx')), IRIS);
      assert.equal(blobRanges[0], undefined);
      assert.match(blobRanges[1] ?? '', /^bytes=\d+-$/);
      cutsLeft = 5;
      const uri = parseStorageUri(`oci://${proxyHost}/kserve/resume:v1`);
      const dest2 = join(work, 'resume-fail');
      await mkdir(dest2);
      await rejectsWith(provider.download(uri, await provider.resolve(uri, { env: {} }), dest2, { env: {} }), 'Interrupted');
      assert.deepEqual(await readdir(dest2), []);
      assert.ok((await lstat(dest2)).isDirectory());
    });

    test('a stalled blob is cut after idleTimeoutMs and resumed', async () => {
      mode = 'stall';
      cutsLeft = 1;
      blobRanges.length = 0;
      const quick = ociProvider({ attempts: 3, retryBaseMs: 1, idleTimeoutMs: 300 });
      const { dest } = await pull(`oci://${proxyHost}/kserve/resume:v1`, {}, quick);
      assert.deepEqual(await readFile(join(dest, 'model.onnx')), IRIS);
      assert.match(blobRanges[1] ?? '', /^bytes=\d+-$/);
    });

    test('a tag whose Docker-Content-Digest disagrees with the bytes → ChecksumMismatch', async () => {
      mode = 'lie';
      await rejectsWith(provider.resolve(parseStorageUri(`oci://${proxyHost}/kserve/private:v1`), { env: {} }), 'ChecksumMismatch', /Docker-Content-Digest/);
    });
  });
});
