/**
 * A pull-only OCI distribution v2 client over `fetch`: manifests and blobs of one repository, with
 * the auth dance, retries, and digest verification. One instance per pull; it keeps the bearer
 * token it earned so later requests of the same pull skip the challenge.
 *
 * Auth, as `docker pull` does it: send anonymously (or with the last token); on 401 read
 * `WWW-Authenticate`: for `Bearer`, GET `realm?service=…&scope=repository:<repo>:pull` (with Basic
 * credentials when the Docker config has some) and retry with `Bearer <token>`; for `Basic`, retry
 * with the credentials. A 401/403 after that is Forbidden.
 */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat, truncate } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs } from '../../core/backoff.ts';
import { StorageError } from '../provider.ts';
import { basicAuthorization, parseWwwAuthenticate, type Credentials } from './auth.ts';
import { MANIFEST_ACCEPT, parseManifest, type Manifest } from './manifest.ts';
import type { OciReference } from './reference.ts';

/** Manifests above this are refused (the distribution spec suggests registries cap them at 4 MiB). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface ClientOptions {
  readonly credentials?: Credentials;
  readonly signal?: AbortSignal;
  /** Attempts per request for connection errors and 5xx/429 (default 3). */
  readonly attempts: number;
  /** First retry delay; doubles per attempt, capped at 5 s. */
  readonly retryBaseMs: number;
  /** A request that gets no byte for this long is cut and retried (resumed, for blobs). */
  readonly idleTimeoutMs: number;
  readonly fetch: typeof fetch;
}

export interface FetchedManifest {
  readonly digest: string;
  readonly manifest: Manifest;
  readonly bytes: number;
}

/** `sha256:abc…` → a Hash for its algorithm and the hex it must end as. */
export function digestHasher(digest: string): { hash: Hash; hex: string } {
  const colon = digest.indexOf(':');
  return { hash: createHash(digest.slice(0, colon)), hex: digest.slice(colon + 1) };
}

/** Only the caller's signal means "stop"; a stall guard's abort is a network failure to retry. */
function isAbort(_err: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true;
}

/**
 * Cuts a request that goes `idleMs` without a byte (a stalled connection would otherwise hang
 * the pull forever). `touch()` on every chunk; `done()` when the body is read or dropped.
 */
class StallGuard {
  readonly #controller = new AbortController();
  readonly signal: AbortSignal;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly idleMs: number,
    user?: AbortSignal,
  ) {
    this.signal = user ? AbortSignal.any([user, this.#controller.signal]) : this.#controller.signal;
    this.touch();
  }

  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#controller.abort(new Error(`no data for ${this.idleMs} ms`)), this.idleMs);
    this.#timer.unref();
  }

  done(): void {
    clearTimeout(this.#timer);
  }
}

interface Guarded {
  readonly res: Response;
  readonly guard: StallGuard;
}

function networkCode(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

export class RegistryClient {
  #authorization: string | undefined;
  #challenged = false;

  constructor(
    readonly ref: OciReference,
    private readonly opts: ClientOptions,
  ) {}

  /** GET `/v2/<repo>/manifests/<reference>`, verified against `reference` when it is a digest. */
  async manifest(reference: string, expectDigest?: string): Promise<FetchedManifest> {
    const what = `manifest ${reference}`;
    const { res, guard } = await this.#request(`/v2/${this.ref.repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT }, what);
    try {
      return await this.#readManifest(res, what, expectDigest);
    } finally {
      guard.done();
    }
  }

  async #readManifest(res: Response, what: string, expectDigest: string | undefined): Promise<FetchedManifest> {
    const length = Number(res.headers.get('content-length') ?? '0');
    if (length > MAX_MANIFEST_BYTES) {
      await res.body?.cancel();
      throw new StorageError('NotFound', `${this.ref.display}: ${what} is ${length} bytes, above the ${MAX_MANIFEST_BYTES}-byte limit for manifests`);
    }
    const body = Buffer.from(await this.#readAll(res, what));
    if (body.length > MAX_MANIFEST_BYTES) throw new StorageError('NotFound', `${this.ref.display}: ${what} is above the ${MAX_MANIFEST_BYTES}-byte limit for manifests`);
    const want = expectDigest ?? res.headers.get('docker-content-digest') ?? 'sha256:';
    const algorithm = want.startsWith('sha512:') ? 'sha512' : 'sha256';
    const digest = `${algorithm}:${createHash(algorithm).update(body).digest('hex')}`;
    if (expectDigest !== undefined && digest !== expectDigest) {
      throw new StorageError('ChecksumMismatch', `${this.ref.display}: manifest fetched by digest ${expectDigest} hashes to ${digest}`);
    }
    const claimed = res.headers.get('docker-content-digest');
    if (expectDigest === undefined && claimed?.startsWith(`${algorithm}:`) && claimed !== digest) {
      throw new StorageError('ChecksumMismatch', `${this.ref.display}: ${what}: registry says Docker-Content-Digest ${claimed}, the bytes hash to ${digest}`);
    }
    return { digest, manifest: parseManifest(body, res.headers.get('content-type'), this.ref.display), bytes: body.length };
  }

  /**
   * Streams blob `digest` into `file` (created or appended), hashing as it goes, and checks the
   * digest and `size`. A connection cut mid-blob resumes with `Range: bytes=<have>-` (the hash
   * state carries over); a registry that answers 200 instead of 206 restarts the file.
   */
  async blobToFile(digest: string, size: number, file: string, onBytes: (n: number) => void): Promise<void> {
    const what = `blob ${digest}`;
    let { hash, hex } = digestHasher(digest);
    let have = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-` } : {};
        const { res, guard } = await this.#request(`/v2/${this.ref.repository}/blobs/${digest}`, headers, what);
        if (have > 0 && res.status !== 206) {
          onBytes(-have);
          have = 0;
          ({ hash, hex } = digestHasher(digest));
          await truncate(file, 0);
        }
        const out = createWriteStream(file, { flags: have > 0 ? 'a' : 'w' });
        try {
          const reader = res.body!.getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            if (have + value.length > size) {
              await reader.cancel();
              throw new StorageError('ChecksumMismatch', `${this.ref.display}: ${what} is longer than the ${size} bytes its descriptor gives`);
            }
            guard.touch();
            hash.update(value);
            have += value.length;
            onBytes(value.length);
            if (!out.write(value)) await once(out, 'drain');
          }
        } finally {
          guard.done();
          await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        }
        break;
      } catch (err) {
        if (err instanceof StorageError || isAbort(err, this.opts.signal)) throw this.#mapAbort(err);
        if (attempt >= this.opts.attempts) {
          throw new StorageError('Interrupted', `${this.ref.display}: ${what} cut after ${have} of ${size} bytes (${networkCode(err)}), ${attempt} attempts`, { cause: err });
        }
        if ((await stat(file).catch(() => ({ size: -1 }))).size !== have) {
          // The file and the hash disagree (a write failed): start the blob over.
          onBytes(-have);
          have = 0;
          ({ hash, hex } = digestHasher(digest));
        }
        await this.#delay(attempt);
      }
    }
    const got = hash.digest('hex');
    if (have !== size || got !== hex) {
      throw new StorageError('ChecksumMismatch', `${this.ref.display}: ${what} (${size} bytes) arrived as ${have} bytes hashing to ${digest.slice(0, digest.indexOf(':'))}:${got}`);
    }
  }

  #mapAbort(err: unknown): unknown {
    if (err instanceof StorageError) return err;
    return new StorageError('Aborted', `${this.ref.display}: pull aborted`, { cause: err });
  }

  async #readAll(res: Response, what: string): Promise<ArrayBuffer> {
    try {
      return await res.arrayBuffer();
    } catch (err) {
      if (isAbort(err, this.opts.signal)) throw this.#mapAbort(err);
      throw new StorageError('Interrupted', `${this.ref.display}: ${what}: connection cut (${networkCode(err)})`, { cause: err });
    }
  }

  async #delay(attempt: number): Promise<void> {
    try {
      await sleep(backoffDelayMs(attempt, this.opts.retryBaseMs, 5000), undefined, { signal: this.opts.signal });
    } catch (err) {
      throw this.#mapAbort(err);
    }
  }

  /** One request with retries and auth; returns a 2xx response or throws the mapped StorageError. */
  async #request(path: string, headers: Record<string, string>, what: string): Promise<Guarded> {
    const url = `${this.ref.baseUrl}${path}`;
    let sent = await this.#send(url, headers, what);
    if (sent.res.status === 401 && !this.#challenged) {
      this.#challenged = true;
      try {
        await this.#answerChallenge(sent.res, what);
      } finally {
        sent.guard.done();
      }
      sent = await this.#send(url, headers, what);
    }
    if (sent.res.ok) return sent;
    try {
      throw await this.#statusError(sent.res, what);
    } finally {
      sent.guard.done();
    }
  }

  async #send(url: string, headers: Record<string, string>, what: string): Promise<Guarded> {
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      const guard = new StallGuard(this.opts.idleTimeoutMs, this.opts.signal);
      try {
        const h: Record<string, string> = { ...headers };
        if (this.#authorization) h.authorization = this.#authorization;
        res = await this.opts.fetch(url, { headers: h, signal: guard.signal, redirect: 'follow' });
      } catch (err) {
        guard.done();
        if (isAbort(err, this.opts.signal)) throw this.#mapAbort(err);
        if (attempt >= this.opts.attempts) {
          throw new StorageError('Unreachable', `${this.ref.display}: ${what}: cannot reach ${this.ref.baseUrl} (${networkCode(err)}) after ${attempt} attempts`, { cause: err });
        }
        await this.#delay(attempt);
        continue;
      }
      if ((res.status >= 500 || res.status === 429) && attempt < this.opts.attempts) {
        guard.done();
        await res.body?.cancel();
        await this.#delay(attempt);
        continue;
      }
      return { res, guard };
    }
  }

  async #answerChallenge(res: Response, what: string): Promise<void> {
    const challenges = parseWwwAuthenticate(res.headers.get('www-authenticate'));
    await res.body?.cancel();
    const creds = this.opts.credentials;
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer?.params.realm) {
      this.#authorization = `Bearer ${await this.#token(bearer.params, what)}`;
      return;
    }
    if (challenges.some((c) => c.scheme === 'basic') && creds) {
      this.#authorization = basicAuthorization(creds);
      return;
    }
    throw new StorageError('Forbidden', `${this.ref.display}: ${what}: registry requires credentials${creds ? '' : ' and none were found (KSERVE_OCI_DOCKER_CONFIG / DOCKER_CONFIG)'}`);
  }

  /** The distribution token flow: GET realm?service&scope, answer `{token}` or `{access_token}`. */
  async #token(params: Readonly<Record<string, string>>, what: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(params.realm!);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    } catch {
      throw new StorageError('Forbidden', `${this.ref.display}: ${what}: token realm ${JSON.stringify(params.realm)} is not an http(s) URL`);
    }
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? `repository:${this.ref.repository}:pull`);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.credentials) headers.authorization = basicAuthorization(this.opts.credentials);
    const guard = new StallGuard(this.opts.idleTimeoutMs, this.opts.signal);
    try {
      return await this.#tokenFrom(url, headers, guard.signal);
    } finally {
      guard.done();
    }
  }

  async #tokenFrom(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<string> {
    let res: Response;
    try {
      res = await this.opts.fetch(url, { headers, signal });
    } catch (err) {
      if (isAbort(err, this.opts.signal)) throw this.#mapAbort(err);
      throw new StorageError('Unreachable', `${this.ref.display}: token service ${url.origin} unreachable (${networkCode(err)})`, { cause: err });
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new StorageError('Forbidden', `${this.ref.display}: token service ${url.origin} refused ${this.opts.credentials ? 'the credentials' : 'an anonymous pull'} (${res.status})`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new StorageError('Unreachable', `${this.ref.display}: token service ${url.origin} answered ${res.status}`);
    }
    const body = (await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
    const token = typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '') throw new StorageError('Forbidden', `${this.ref.display}: token service ${url.origin} gave no token`);
    return token;
  }

  async #statusError(res: Response, what: string): Promise<StorageError> {
    const s = res.status;
    // The distribution spec's error body: {"errors":[{"code":"MANIFEST_UNKNOWN","message":…}]}.
    const text = await res.text().catch(() => '');
    let code = '';
    try {
      const first = (JSON.parse(text) as { errors?: { code?: unknown }[] }).errors?.[0]?.code;
      if (typeof first === 'string' && /^[A-Z_]{1,40}$/.test(first)) code = ` ${first}`;
    } catch {
      // not JSON: the status alone says enough
    }
    const where = `${this.ref.display}: ${what}`;
    if (s === 401 || s === 403) return new StorageError('Forbidden', `${where}: registry answered ${s}${code}${this.opts.credentials ? ' with the configured credentials' : ' (anonymous)'}`);
    if (s === 404) return new StorageError('NotFound', `${where}: not found (404${code}: repository or ${this.ref.digest ? 'digest' : 'tag'} missing)`);
    if (s >= 500 || s === 429) return new StorageError('Unreachable', `${where}: registry answered ${s} after ${this.opts.attempts} attempts`);
    return new StorageError('NotFound', `${where}: registry answered ${s}`);
  }
}
