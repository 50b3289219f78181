/** Transformer flags (`--predictor_host` and friends): KServe's spellings, defaults, validation. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServingError } from '../core/errors.ts';
import { DEFAULTS, modelServerUsage, parseModelServerArgs } from './config.ts';

const parse = (...argv: string[]): ReturnType<typeof parseModelServerArgs>['config'] => parseModelServerArgs(['--model-class', 't.ts', ...argv]).config;

function rejects(argv: string[], pattern: RegExp): void {
  assert.throws(() => parse(...argv), (err: unknown) => {
    assert.ok(err instanceof ServingError);
    assert.equal(err.code, 'INVALID_INPUT');
    assert.match(err.message, pattern);
    return true;
  });
}

test('defaults are KServe\'s: v1, no ssl, 600 s, no retries, no health check, no predictor', () => {
  const c = parse();
  assert.equal(c.predictorHost, undefined);
  assert.equal(c.predictorProtocol, 'v1');
  assert.equal(c.predictorUseSsl, false);
  assert.equal(c.predictorRequestTimeoutMs, 600_000);
  assert.equal(c.predictorRequestRetries, 0);
  assert.equal(c.enablePredictorHealthCheck, false);
  assert.equal(DEFAULTS.predictorRequestTimeoutMs, 600_000);
});

test('the args KServe\'s controller injects into a transformer container parse', () => {
  const c = parse('--model_name=iris', '--predictor_host=iris-predictor.default', '--http_port=8080', '--protocol=v2', '--workers=1');
  assert.equal(c.modelName, 'iris');
  assert.equal(c.predictorHost, 'iris-predictor.default');
  assert.equal(c.predictorProtocol, 'v2');
  assert.equal(c.modelDir, undefined, 'a transformer needs no model dir');
  assert.equal(parse('--predictor_host=iris-predictor.default:81', '--protocol=grpc-v2').predictorProtocol, 'grpc-v2');
});

test('every predictor flag in snake_case and kebab-case', () => {
  const snake = parse('--predictor_host', 'p:80', '--predictor_protocol', 'v2', '--predictor_use_ssl', 'true', '--predictor_request_timeout_seconds', '5', '--predictor_request_retries', '2', '--enable_predictor_health_check');
  const kebab = parse('--predictor-host', 'p:80', '--predictor-protocol', 'v2', '--predictor-use-ssl', 'true', '--predictor-request-timeout-seconds', '5', '--predictor-request-retries', '2', '--enable-predictor-health-check', 'true');
  assert.deepEqual(snake, kebab);
  assert.equal(snake.predictorUseSsl, true);
  assert.equal(snake.predictorRequestTimeoutMs, 5000);
  assert.equal(snake.predictorRequestRetries, 2);
  assert.equal(snake.enablePredictorHealthCheck, true);
  // KServe's --enable_predictor_health_check is store_true: bare, before another flag.
  assert.equal(parse('--enable_predictor_health_check', '--predictor_host', 'p').enablePredictorHealthCheck, true);
});

test('--predictor-host: host, host:port, host:port/path/prefix (the gateway\'s form)', () => {
  for (const h of ['iris-predictor', 'iris-predictor.default.svc.cluster.local', 'iris-predictor.default:80', '127.0.0.1:28090/serving/default/iris-predictor', '[::1]:8080']) {
    assert.equal(parse('--predictor_host', h).predictorHost, h);
  }
  rejects(['--predictor_host', 'http://p:80'], /--predictor-host: got "http:\/\/p:80", expected host, host:port or host:port\/path\/prefix without a scheme.*--predictor-use-ssl/);
  rejects(['--predictor_host', 'p:notaport'], /--predictor-host: got "p:notaport", expected host/);
  rejects(['--predictor_host', 'p:80?x=1'], /--predictor-host: got "p:80\?x=1"/);
  rejects(['--predictor_host', ''], /--predictor-host: got ""/);
});

test('bad predictor values name the flag, the value and what was expected', () => {
  rejects(['--protocol', 'v3'], /--predictor-protocol: got "v3", expected v1, v2 or grpc-v2/);
  rejects(['--predictor_protocol', 'grpc-v2', '--predictor_host', 'p:81/prefix'], /--predictor-host: got "p:81\/prefix", expected host or host:port for --predictor-protocol grpc-v2/);
  rejects(['--predictor_request_timeout_seconds', '0'], /--predictor-request-timeout-seconds: got "0", expected an integer in \[1, 86400\]/);
  rejects(['--predictor_request_timeout_seconds', '1.5'], /--predictor-request-timeout-seconds: got "1.5"/);
  rejects(['--predictor_request_retries', '-1'], /--predictor-request-retries: got "-1", expected an integer in \[0, 100\]/);
  rejects(['--predictor_use_ssl', 'yes'], /--predictor-use-ssl: got "yes", expected true or false/);
});

test('--help lists the predictor flags with their defaults', () => {
  const text = modelServerUsage();
  assert.match(text, /--predictor-host HOST\[:PORT\]\[\/PREFIX\]/);
  assert.match(text, /--predictor-protocol v1/);
  assert.match(text, /--predictor-request-timeout-seconds 600/);
  assert.match(text, /--predictor-request-retries 0/);
  assert.match(text, /--enable-predictor-health-check false/);
});
