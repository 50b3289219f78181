/**
 * `kserve-ts logs isvc/NAME [-c predictor|transformer|explainer] [-f] [--tail N] [-n NS]`: the
 * replicas' output, read from the API server's `inferenceservices/{name}/log` subresource
 * (text/plain, streamed while following) and copied to stdout as it arrives.
 */
import { parseArgs, parseCount } from './args.ts';
import { CliError, usageError } from './errors.ts';
import { resolveKind, resourcePath } from './resources.ts';
import { CONNECTION_FLAGS, connect, type CliIo } from './session.ts';

const CONTAINERS = ['predictor', 'transformer', 'explainer'];

export async function logsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { ...CONNECTION_FLAGS, container: { type: 'string', short: 'c' }, follow: { type: 'bool', short: 'f' }, tail: { type: 'string' } });
  const container = (args.flags.container as string | undefined) ?? 'predictor';
  if (!CONTAINERS.includes(container)) throw usageError('--container', container, `one of ${CONTAINERS.join(', ')}`);
  const tail = args.flags.tail as string | undefined;
  const tailLines = tail === undefined || tail === '-1' ? undefined : parseCount('--tail', tail);
  if (args.positionals.length !== 1) throw new CliError('logs needs one InferenceService: kserve-ts logs isvc/NAME [-c predictor] [-f]', 2);
  const ref = args.positionals[0]!;
  const slash = ref.indexOf('/');
  const kind = resolveKind(slash < 0 ? 'inferenceservice' : ref.slice(0, slash));
  if (kind.kind !== 'InferenceService') throw new CliError(`logs reads InferenceServices only (got ${JSON.stringify(ref)}); e.g. kserve-ts logs isvc/iris`, 2);
  const name = slash < 0 ? ref : ref.slice(slash + 1);
  const s = await connect(args, io);
  const res = await s.client.send('GET', resourcePath(kind, s.namespace, name, 'log'), {
    accept: 'text/plain, */*',
    query: { container, follow: args.flags.follow === true ? 'true' : undefined, tailLines: tailLines === undefined ? undefined : String(tailLines) },
  });
  // `logs -f | head`: the reader went away; stop quietly rather than die on EPIPE.
  let gone = false;
  const onError = (): void => void (gone = true);
  io.stdout.on('error', onError);
  try {
    if (res.body) {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (gone) break;
        io.stdout.write(chunk);
      }
    }
  } finally {
    io.stdout.off('error', onError);
  }
  return 0;
}
