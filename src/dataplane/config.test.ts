/** Model-server flags: kebab and KServe's snake_case spellings, defaults, and errors naming the flag. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServingError } from '../core/errors.ts';
import { DEFAULTS, modelServerUsage, parseModelServerArgs } from './config.ts';

const parse = (...argv: string[]): ReturnType<typeof parseModelServerArgs> => parseModelServerArgs(['--model-dir', '/m', ...argv]);

function rejects(argv: string[], pattern: RegExp): void {
  assert.throws(() => parse(...argv), (err: unknown) => {
    assert.ok(err instanceof ServingError);
    assert.equal(err.code, 'INVALID_INPUT');
    assert.match(err.message, pattern);
    return true;
  });
}

test('defaults, then kebab and snake_case flags with = or a separate value', () => {
  assert.deepEqual(parse().config, { ...DEFAULTS, modelDir: '/m' });
  const { config } = parse('--model_name=iris', '--http_port', '0', '--grpc-port=0', '--workers', '2', '--inline-budget-us', '0', '--enable_grpc', 'false');
  assert.equal(config.modelName, 'iris');
  assert.equal(config.httpPort, 0);
  assert.equal(config.grpcPort, 0);
  assert.equal(config.workers, 2);
  assert.equal(config.inlineBudgetUs, 0);
  assert.equal(config.enableGrpc, false);
  assert.equal(parse('--inline_budget_us', '250').config.inlineBudgetUs, 250);
  assert.equal(config.mergeRuns, true);
  assert.equal(parse('--merge_runs', 'false').config.mergeRuns, false);
});

test('KServe flags with no meaning here are accepted with a note', () => {
  const { config, notes } = parse('--max_threads', '4', '--enable_docs_url');
  assert.equal(config.modelDir, '/m');
  assert.equal(notes.length, 2);
  assert.match(notes[0]!, /--max_threads is a KServe flag with no effect/);
});

test('bad values name the flag, the value and what was expected', () => {
  rejects(['--inline-budget-us', '-1'], /--inline-budget-us: got "-1", expected an integer in \[0, 1000000\]/);
  rejects(['--workers', '0'], /--workers: got "0", expected an integer in \[1, 64\]/);
  rejects(['--http-port', 'x'], /--http-port: got "x"/);
  rejects(['--execution-provider', 'tpu'], /--execution-provider: got "tpu", expected cpu or cuda/);
  rejects(['--enable-grpc', 'maybe'], /--enable-grpc: got "maybe", expected true or false/);
  rejects(['--modeldir', 'x'], /unknown flag --modeldir; known flags: .*--model-dir/);
  rejects(['stray'], /argument "stray": expected a --flag/);
  assert.throws(() => parseModelServerArgs([]), /--model-dir: missing/);
});

test('--help lists every flag with its default', () => {
  const text = modelServerUsage();
  assert.match(text, /--model-dir DIR/);
  assert.match(text, /--http-port 8080/);
  assert.match(text, /--inline-budget-us 100/);
  assert.match(text, /--grace-period-seconds 30/);
  assert.match(text, /--max_threads|--max-threads/);
});
