import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, parseCount, parseDurationMs } from './args.ts';
import { CliError } from './errors.ts';

const SPEC = { namespace: { type: 'string', short: 'n' }, filename: { type: 'list', short: 'f' }, wait: { type: 'bool' }, 'all-namespaces': { type: 'bool', short: 'A' } } as const;

test('parseArgs: kubectl spellings of flags, repeatable lists, positionals, --', () => {
  const a = parseArgs(['get', '-n', 'ns1', 'isvc', '--wait=false', '-f', 'a.yaml', '--filename=b.yaml', '-A', '--', '-x'], SPEC);
  assert.deepEqual(a.positionals, ['get', 'isvc', '-x']);
  assert.deepEqual(a.flags, { namespace: 'ns1', wait: false, filename: ['a.yaml', 'b.yaml'], 'all-namespaces': true });
  assert.deepEqual(parseArgs(['--namespace=x', '-nfoo', '-'], SPEC), { flags: { namespace: 'foo' }, positionals: ['-'] });
});

test('parseArgs: unknown flags, missing values and bad booleans are usage errors (exit 2) naming the flag', () => {
  const fails = (argv: string[], re: RegExp): void =>
    assert.throws(
      () => parseArgs(argv, SPEC),
      (e: unknown) => e instanceof CliError && e.exitCode === 2 && re.test(e.message),
    );
  fails(['--bogus'], /unknown flag "--bogus".*-n\/--namespace/);
  fails(['-z'], /unknown flag "-z"/);
  fails(['-n'], /flag --namespace needs a value/);
  fails(['--wait=maybe'], /--wait: got "maybe", expected true or false/);
});

test('parseDurationMs and parseCount', () => {
  assert.equal(parseDurationMs('--timeout', '60s'), 60_000);
  assert.equal(parseDurationMs('--timeout', '1m30s'), 90_000);
  assert.equal(parseDurationMs('--timeout', '500ms'), 500);
  assert.equal(parseDurationMs('--timeout', '2'), 2000);
  assert.throws(() => parseDurationMs('--timeout', '5x'), /--timeout: got "5x", expected a duration/);
  assert.throws(() => parseDurationMs('--timeout', ''), /expected a duration/);
  assert.equal(parseCount('--tail', '10'), 10);
  assert.throws(() => parseCount('--tail', '-2'), /--tail: got "-2", expected a non-negative integer/);
});
