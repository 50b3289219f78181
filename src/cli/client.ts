/**
 * The API client of the CLI: Kubernetes REST over fetch, nothing more. A failure the server
 * answers as a `Status` becomes a CliError worded as kubectl prints it
 * (`Error from server (NotFound): inferenceservices.serving.kserve.io "x" not found`); a
 * connection failure names the server and suggests starting `kserve-ts up`.
 */
import { CliError } from './errors.ts';

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
}

const USER_AGENT = 'kserve-ts/0.1.0';

export class ApiClient {
  constructor(readonly server: string) {}

  #url(path: string, query: RequestOptions['query']): string {
    const u = new URL(path, this.server);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
    return u.toString();
  }

  /** Sends a request; resolves with the response when it is 2xx, else throws the server's Status as a CliError. */
  async send(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: opts.accept ?? 'application/json' };
    if (opts.contentType) headers['content-type'] = opts.contentType;
    let res: Response;
    try {
      res = await fetch(this.#url(path, opts.query), { method, headers, body: opts.body, signal: opts.signal });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach the API server at ${this.server}: ${cause?.code ?? cause?.message ?? (err as Error).message} (is \`kserve-ts up\` running?)`);
    }
    if (res.ok) return res;
    throw await statusError(res);
  }

  /** A JSON request; resolves with the parsed body. */
  async json<T = Record<string, unknown>>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, opts);
    return (await res.json()) as T;
  }
}

/** The CliError for a non-2xx response: the Status message as kubectl prints it, or the body text. */
export async function statusError(res: Response): Promise<CliError> {
  const text = await res.text().catch(() => '');
  let status: { kind?: string; message?: string; reason?: string } | undefined;
  try {
    status = JSON.parse(text) as typeof status;
  } catch {
    status = undefined;
  }
  if (status?.kind === 'Status' && status.message) {
    const reason = status.reason ?? 'Unknown';
    return new CliError(`Error from server (${reason}): ${status.message}`, 1, { code: res.status, reason });
  }
  return new CliError(`the server answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 500)}` : ''}`, 1, { code: res.status, reason: 'Unknown' });
}

/** Reads a streaming body line by line (watch events, followed logs) until it ends or `signal` aborts. */
export async function* lines(res: Response): AsyncGenerator<string> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      yield buf.slice(0, nl);
      buf = buf.slice(nl + 1);
    }
  }
  if (buf !== '') yield buf;
}
