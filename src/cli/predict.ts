/**
 * `kserve-ts predict NAME [-n NS] (--data FILE.json | -d JSON | --data -) [--model M]`: one
 * request through `kserve-ts up`'s gateway (the kubeconfig's `kserve-ts` extension), addressed by
 * the InferenceService's status.url host as the Host header, exactly as a client outside would
 * call it. A body with an `inputs` array of tensors (`name`, `shape`, `datatype`) is Open
 * Inference Protocol v2 → `POST /v2/models/{model}/infer`; anything else with `instances` (or V1
 * `inputs`) is KServe V1 → `POST /v1/models/{model}:predict`.
 */
import { request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { parseArgs } from './args.ts';
import { CliError, usageError } from './errors.ts';
import { resolveKind, resourcePath } from './resources.ts';
import { CONNECTION_FLAGS, connect, type CliIo } from './session.ts';

export type Protocol = 'v1' | 'v2';

/** Which protocol a request body speaks, or why it is neither. */
export function protocolOf(body: unknown): { protocol: Protocol } | { problem: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: 'the body is not a JSON object' };
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.inputs) && b.inputs.length > 0 && b.inputs.every((t) => typeof t === 'object' && t !== null && 'name' in t && 'shape' in t && 'datatype' in t)) return { protocol: 'v2' };
  if (Array.isArray(b.instances) || Array.isArray(b.inputs)) return { protocol: 'v1' };
  return { problem: 'it has neither "instances" (V1) nor "inputs" tensors with name, shape and datatype (V2)' };
}

/** The data-plane path of a request. */
export function predictPath(protocol: Protocol, model: string): string {
  return protocol === 'v2' ? `/v2/models/${encodeURIComponent(model)}/infer` : `/v1/models/${encodeURIComponent(model)}:predict`;
}

/** POSTs JSON with an explicit Host header (fetch cannot set Host). */
export function postJson(url: string, body: string, host?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(host ? { host } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function readData(flag: string, raw: string, stdin: NodeJS.ReadableStream, inline: boolean): Promise<string> {
  if (inline) return raw;
  if (raw === '-') {
    let text = '';
    for await (const c of stdin) text += typeof c === 'string' ? c : (c).toString('utf8');
    return text;
  }
  try {
    return await readFile(raw, 'utf8');
  } catch (err) {
    throw usageError(flag, raw, `a readable JSON file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}), - for stdin, or -d 'JSON'`);
  }
}

type Isvc = { status?: { url?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[]; modelStatus?: { lastFailureInfo?: { reason?: string; message?: string } } } };

export async function predictCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { ...CONNECTION_FLAGS, data: { type: 'string' }, d: { type: 'string', short: 'd' }, model: { type: 'string' } });
  if (args.positionals.length !== 1) throw new CliError('predict needs one InferenceService name: kserve-ts predict NAME --data FILE.json', 2);
  const name = args.positionals[0]!.replace(/^(isvc|inferenceservices?)\//, '');
  const file = args.flags.data as string | undefined;
  const inline = args.flags.d as string | undefined;
  if ((file === undefined) === (inline === undefined)) throw new CliError('predict needs exactly one of --data FILE.json (or - for stdin) and -d JSON', 2);
  const flag = file !== undefined ? '--data' : '-d';
  const text = await readData(flag, file ?? inline ?? '', io.stdin, inline !== undefined);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw usageError(flag, text.length > 80 ? `${text.slice(0, 80)}...` : text, `JSON (${(err as Error).message})`);
  }
  const kind = protocolOf(body);
  if ('problem' in kind) throw new CliError(`${flag}: not a V1 or V2 request: ${kind.problem}`, 2);
  const protocol = kind.protocol;
  const s = await connect(args, io);
  if (!s.target.gateway) throw new CliError(`kubeconfig ${s.target.path} names no kserve-ts gateway (the "kserve-ts" cluster extension that \`kserve-ts up\` writes)`);
  const isvc = await s.client.json<Isvc>('GET', resourcePath(resolveKind('inferenceservice'), s.namespace, name));
  const ready = isvc.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True' || !isvc.status?.url) {
    const why = [ready ? `Ready=${ready.status}` : 'no Ready condition yet', ready?.reason, ready?.message].filter(Boolean).join(': ');
    const f = isvc.status?.modelStatus?.lastFailureInfo;
    throw new CliError(`inferenceservice ${JSON.stringify(name)} is not Ready (${why})${f?.message ? `; lastFailureInfo: ${[f.reason, f.message].filter(Boolean).join(': ')}` : ''}; try: kserve-ts wait --for=condition=Ready isvc/${name}`);
  }
  const host = new URL(isvc.status.url).host;
  const model = (args.flags.model as string | undefined) ?? name;
  let res;
  try {
    res = await postJson(`${s.target.gateway}${predictPath(protocol, model)}`, JSON.stringify(body), host);
  } catch (err) {
    throw new CliError(`cannot reach the gateway at ${s.target.gateway}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (res.status < 200 || res.status >= 300) {
    let msg = res.text;
    try {
      msg = (JSON.parse(res.text) as { error?: string }).error ?? res.text;
    } catch {
      // not JSON: the text as is
    }
    throw new CliError(`${protocol.toUpperCase()} ${predictPath(protocol, model)} answered ${res.status}: ${msg.trim()}`);
  }
  io.stdout.write(res.text.endsWith('\n') ? res.text : `${res.text}\n`);
  return 0;
}
