/**
 * Mutated binary-extension bodies against a real server: every answer is 200 or a 4xx with an
 * `error` message, never a 5xx, a hang or a crash, and the server keeps serving.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { RowSumModel, IdentityModel } from '../testing/models.ts';
import { type TestServer, startHttpTestServer } from '../testing/harness.ts';

let s: TestServer;
before(async () => {
  s = await startHttpTestServer([() => new RowSumModel('rowsum'), () => new IdentityModel('echo')]);
});
after(() => s.close());

function validBody(): { body: Buffer; headerLength: number } {
  const strings = Buffer.from([3, 0, 0, 0, 0x61, 0x62, 0x63, 1, 0, 0, 0, 0x7a]);
  const ints = Buffer.from(new BigInt64Array([9007199254740993n, -5n]).buffer);
  const head = Buffer.from(JSON.stringify({
    inputs: [
      { name: 's', shape: [2], datatype: 'BYTES', parameters: { binary_data_size: strings.length } },
      { name: 'i', shape: [2], datatype: 'INT64', parameters: { binary_data_size: ints.length } },
    ],
    parameters: { binary_data_output: true },
  }));
  return { body: Buffer.concat([head, strings, ints]), headerLength: head.length };
}

test('the unmutated body round-trips', async () => {
  const { body, headerLength } = validBody();
  const r = await fetch(`${s.url}/v2/models/echo/infer`, { method: 'POST', body, headers: { 'inference-header-content-length': String(headerLength) } });
  assert.equal(r.status, 200);
  const out = Buffer.from(await r.arrayBuffer());
  assert.ok(out.subarray(Number(r.headers.get('inference-header-content-length'))).equals(body.subarray(headerLength)));
});

test('mutated bodies get 200 or 4xx with a message, never 5xx', async () => {
  const { body, headerLength } = validBody();
  const mutation = fc.record({
    cut: fc.option(fc.nat({ max: body.length }), { nil: undefined }),
    flips: fc.array(fc.tuple(fc.nat({ max: body.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    header: fc.oneof(fc.constant(String(headerLength)), fc.integer({ min: -5, max: body.length + 5 }).map(String), fc.string({ maxLength: 6 })),
  });
  await fc.assert(
    fc.asyncProperty(mutation, async ({ cut, flips, header }) => {
      const b = Buffer.from(body);
      for (const [at, v] of flips) b[at] = v;
      const sent = cut === undefined ? b : b.subarray(0, cut);
      const r = await fetch(`${s.url}/v2/models/echo/infer`, { method: 'POST', body: sent, headers: { 'inference-header-content-length': header } });
      const text = Buffer.from(await r.arrayBuffer()).toString('latin1');
      if (r.status !== 200) {
        assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}: ${text}`);
        assert.ok(typeof (JSON.parse(text) as { error: unknown }).error === 'string');
      }
    }),
    { numRuns: 300 },
  );
  const live = await fetch(`${s.url}/v2/health/live`);
  assert.equal(live.status, 200);
});
