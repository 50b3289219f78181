/**
 * Every tree and PMML fixture model through a running `kserve-ts model-server` (in process, port
 * 0, the format detected from the file), called over HTTP with plain fetch: XGBoost's agaricus
 * (V1 and V2 JSON, absent features as "NaN"), LightGBM's three fixtures (V1 and V2 JSON), and every
 * JPMML-rattle model (V1 records keyed by field name; V2 tensors: tree-rattle-v2-server.test.ts),
 * each against its expected outputs at the fixture's tolerance. (KServe's own iris examples:
 * tree-pmml-runtimes.e2e.test.ts and tree-kserve-iris-server.test.ts; the evaluators alone: the
 * tests under src/runtimes/.)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { lightgbmCases, relDiff } from '../src/runtimes/lightgbm/testing/fixtures.ts';
import { RATTLE_CASES, pmmlFixturesDir, readCsv, sameCell } from '../src/runtimes/pmml/testing/fixtures.ts';
import { agaricusExpected } from '../src/runtimes/xgboost/testing/fixtures.ts';
import { postJson } from './support/http.ts';
import { pmmlInputFields, withModelServer } from './support/model-server.ts';

const withServer = <T>(modelPath: string, fn: (url: string) => Promise<T>): Promise<T> => withModelServer(modelPath, 'm', fn);

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const { status, json } = await postJson(url, body);
  assert.equal(status, 200, JSON.stringify(json).slice(0, 500));
  return json;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** Rows of `[index, got, want]` beyond tolerance (relative, with an absolute floor), the first five. */
function mismatches(got: number[], want: number[], rel: number, abs: number): (readonly [number, number, number])[] {
  assert.equal(got.length, want.length);
  return got.map((g, i) => [i, g, want[i]!] as const).filter(([, g, w]) => !(relDiff(g, w) <= rel || Math.abs(g - w) <= abs)).slice(0, 5);
}

describe('xgboost agaricus with absent features as "NaN"', () => {
  const a = agaricusExpected();
  const data = Array.from(a.x, (v) => (Number.isNaN(v) ? 'NaN' : v));

  test('V2 JSON gives the expected probabilities', async () => {
    await withServer('../shared/fixtures/xgboost/agaricus-binary-logistic/agaricus.model.json', async (url) => {
      const res = await post(`${url}/v2/models/m/infer`, { inputs: [{ name: 'input-0', datatype: 'FP32', shape: [a.rows, a.numFeature], data }] });
      const out = (res.outputs as { data: unknown[] }[])[0]!.data.map(num);
      assert.deepEqual(mismatches(out, a.probabilities, 0, 1e-6), []);
    });
  });

  test('V1 dense instances give the expected probabilities (not the zero-filled ones)', async () => {
    const instances = Array.from({ length: a.rows }, (_, r) => data.slice(r * a.numFeature, (r + 1) * a.numFeature));
    await withServer('../shared/fixtures/xgboost/agaricus-binary-logistic/agaricus.model.json', async (url) => {
      const res = await post(`${url}/v1/models/m:predict`, { instances });
      const out = (res.predictions as unknown[]).map(num);
      assert.deepEqual(mismatches(out, a.probabilities, 0, 1e-6), []);
      // The fixture's point: the answers differ from what zero-filling would give.
      assert.ok(out.some((p, i) => Math.abs(p - a.zeroFilled[i]!) > 0.5));
    });
  });
});

describe('lightgbm fixtures over V1 and V2 JSON', () => {
  for (const c of lightgbmCases()) {
    const want = c.pred.flat();
    test(`${c.name}: V2, ${c.rows.length} rows match LightGBM's predictions (1e-9 relative)`, async () => {
      const width = c.rows[0]!.length;
      await withServer(c.model, async (url) => {
        const res = await post(`${url}/v2/models/m/infer`, { inputs: [{ name: 'input-0', datatype: 'FP64', shape: [c.rows.length, width], data: c.rows.flat() }] });
        const out = (res.outputs as { data: unknown[] }[])[0]!.data.map(num);
        assert.deepEqual(mismatches(out, want, 1e-9, 1e-15), []);
      });
    });

    test(`${c.name}: V1, ${c.rows.length} instances match LightGBM's predictions (1e-9 relative)`, async () => {
      await withServer(c.model, async (url) => {
        const res = await post(`${url}/v1/models/m:predict`, { instances: c.rows });
        const predictions = res.predictions as unknown[];
        assert.equal(predictions.length, c.rows.length);
        // One number per row (binary, regression) or one list per row (multiclass), as lgbserver.
        const perRow = c.pred[0]!.length;
        predictions.forEach((p, i) => assert.equal(Array.isArray(p) ? p.length : 1, perRow, `row ${i}`));
        assert.deepEqual(mismatches(predictions.flat().map(num), want, 1e-9, 1e-15), []);
      });
    });
  }
});

describe('JPMML-rattle models over V1 records', () => {
  const dir = join(pmmlFixturesDir(), 'jpmml-rattle');
  for (const c of RATTLE_CASES) {
    test(`${c.name} (tolerance ${c.tolerance})`, async () => {
      const input = readCsv(join(dir, 'csv', `${c.dataset}.csv`));
      const expected = readCsv(join(dir, 'csv', `${c.name}.csv`));
      await withServer(join(dir, 'pmml', `${c.name}.pmml`), async (url) => {
        const fields = new Set(await pmmlInputFields(url, 'm'));
        let records: Record<string, unknown>[];
        if (c.dataset === 'Shopping') {
          // An AssociationModel scores baskets: one record per transaction with its items.
          const baskets = new Map<string, string[]>();
          const t = input.header.indexOf('transaction');
          const it = input.header.indexOf('item');
          for (const row of input.rows) baskets.set(row[t] ?? '', [...(baskets.get(row[t] ?? '') ?? []), row[it] ?? '']);
          records = [...baskets.values()].map((items) => ({ item: items }));
        } else {
          records = input.rows.map((row) => {
            const rec: Record<string, unknown> = {};
            input.header.forEach((h, k) => {
              if (!fields.has(h)) return;
              const v = row[k] ?? null;
              rec[h] = v !== null && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
            });
            return rec;
          });
        }
        const res = await post(`${url}/v1/models/m:predict`, { instances: records });
        const got = res.predictions as Record<string, unknown>[];
        assert.equal(got.length, expected.rows.length);
        const failures: string[] = [];
        const columns = expected.header.map((h, j) => ({ h, j })).filter(({ h }) => !c.skipColumns.includes(h));
        got.forEach((rec, i) => {
          for (const { h, j } of columns) {
            // Missing values: NaN numbers are "NaN" in JSON, missing strings are "" (BYTES has no null).
            const v = rec[h] === 'NaN' || rec[h] === '' ? null : rec[h];
            const want = expected.rows[i]?.[j] ?? null;
            if (!sameCell(want, v, c.tolerance)) failures.push(`row ${i} ${h}: expected ${want}, got ${String(v)}`);
          }
        });
        assert.deepEqual(failures.slice(0, 5), []);
      });
    });
  }
});
