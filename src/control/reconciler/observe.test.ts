import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeOf, failureMessage, revisionState } from './observe.ts';

test('failureMessage: the kserve-ts exit line alone when there is one, else the whole tail', () => {
  const tail = '{"time":"t1","level":"error","msg":"model failed to load"}\nkserve-ts model-server: no model could be loaded, exiting: model iris: bad file\n';
  assert.equal(failureMessage(tail), 'kserve-ts model-server: no model could be loaded, exiting: model iris: bad file');
  assert.equal(failureMessage('Error: boom\n    at main (x.js:1:1)\n\nNode.js v20.20.2\n'), 'Error: boom\n    at main (x.js:1:1)\n\nNode.js v20.20.2');
  assert.equal(failureMessage(''), '');
});

test('revisionState: a failed replica gives FailedToLoad with the exit line and code', () => {
  const s = revisionState([
    { name: 'iris-predictor-00001-1', revision: 'r', phase: 'CrashLoopBackOff', restarts: 2, lastExit: { code: 1, signal: null, reason: 'Error', at: 't', logTail: '{"time":"t2"}\nkserve-ts model-server: no model could be loaded, exiting: model iris: x\n' } },
  ]);
  assert.equal(s.state, 'FailedToLoad');
  assert.deepEqual(s.failure, { message: 'CrashLoopBackOff: back-off restarting failed replica iris-predictor-00001-1 (exit code 1): kserve-ts model-server: no model could be loaded, exiting: model iris: x', exitCode: 1 });
});

test('revisionState: a replica killed by a signal says so, with Kubernetes\' exit code 128 + signal', () => {
  const s = revisionState([{ name: 'iris-predictor-00001-1', revision: 'r', phase: 'Failed', restarts: 1, lastExit: { code: null, signal: 'SIGKILL', reason: 'Error', at: 't', logTail: 'kserve-ts model-server listening: http://127.0.0.1:1\n' } }]);
  assert.deepEqual(s.failure, { message: 'replica iris-predictor-00001-1 was killed by signal SIGKILL (Error)', exitCode: 137 });
  assert.equal(exitCodeOf({ code: 3, signal: null, reason: 'Error', at: 't', logTail: '' }), 3);
  assert.equal(exitCodeOf(undefined), undefined);
});
