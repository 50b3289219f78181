/**
 * Every JPMML-rattle model through a running `kserve-ts model-server` over V2 JSON, in the form the
 * PMML runtime documents (src/runtimes/pmml/README.md, Protocol): one input tensor per active
 * MiningField, named after it, shape [N] — FP64 for numeric columns (missing → "NaN"), BYTES for
 * the others (missing → ""); an AssociationModel's baskets as one BYTES tensor [N, m] padded with
 * "". Each output tensor is compared with JPMML's expected CSV at JPMML's tolerance. (The same
 * models over V1 records: fixtures-through-server.test.ts.)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RATTLE_CASES, inputRows, pmmlFixturesDir, readCsv, sameCell, type Table } from '../src/runtimes/pmml/testing/fixtures.ts';
import { makeTensor, type Tensor } from '../src/protocol/tensor.ts';
import { inferJson } from './support/oip-client.ts';
import { pmmlInputFields, withModelServer } from './support/model-server.ts';

const dir = join(pmmlFixturesDir(), 'jpmml-rattle');
const enc = new TextEncoder();
const dec = new TextDecoder();

const withServer = <T>(modelPath: string, fn: (url: string) => Promise<T>): Promise<T> => withModelServer(modelPath, 'm', fn);

const isNumber = (v: string): boolean => v.trim() !== '' && !Number.isNaN(Number(v));

/** One tensor per field: FP64 when every present value of the column is a number, else BYTES. */
function fieldTensors(input: Table, dataset: string, fields: string[]): Tensor[] {
  const rows = inputRows(input, dataset);
  return fields.map((f) => {
    const values = rows.map((row) => row(f));
    if (values.some(Array.isArray)) {
      const baskets = values.map((v) => (Array.isArray(v) ? v : []));
      const m = Math.max(...baskets.map((b) => b.length));
      const cells = baskets.flatMap((b) => Array.from({ length: m }, (_, k) => enc.encode(b[k] ?? '')));
      return makeTensor(f, 'BYTES', [rows.length, m], cells);
    }
    const cells = values as (string | null)[];
    if (cells.every((v) => v === null || isNumber(v))) {
      return makeTensor(f, 'FP64', [rows.length], Float64Array.from(cells, (v) => (v === null ? Number.NaN : Number(v))));
    }
    return makeTensor(f, 'BYTES', [rows.length], cells.map((v) => enc.encode(v ?? '')));
  });
}

/** An output cell as the comparison wants it: BYTES decoded, missing ("" / NaN) as null. */
function cell(t: Tensor, i: number): unknown {
  if (t.datatype === 'BYTES') {
    const s = dec.decode((t.data as Uint8Array[])[i]);
    return s === '' ? null : s;
  }
  const v = (t.data as ArrayLike<number>)[i]!;
  if (t.datatype === 'BOOL') return v ? 'true' : 'false';
  return Number.isNaN(v) ? null : v;
}

describe('JPMML-rattle models over V2 JSON, one tensor per field', () => {
  for (const c of RATTLE_CASES) {
    test(`${c.name} (tolerance ${c.tolerance})`, async () => {
      const input = readCsv(join(dir, 'csv', `${c.dataset}.csv`));
      const expected = readCsv(join(dir, 'csv', `${c.name}.csv`));
      await withServer(join(dir, 'pmml', `${c.name}.pmml`), async (url) => {
        const fields = await pmmlInputFields(url, 'm');
        assert.ok(fields.length > 0, 'metadata names the input fields');
        const outputs = await inferJson(url, 'm', fieldTensors(input, c.dataset, fields));
        const byName = new Map(outputs.map((t) => [t.name, t]));
        for (const t of outputs) assert.deepEqual(t.shape, [expected.rows.length], `${t.name} shape`);
        const failures: string[] = [];
        expected.header.forEach((h, j) => {
          if (c.skipColumns.includes(h)) return;
          const t = byName.get(h);
          if (!t) return void failures.push(`no output ${h} (got ${[...byName.keys()].join(', ')})`);
          expected.rows.forEach((row, i) => {
            const got = cell(t, i);
            if (!sameCell(row[j] ?? null, got, c.tolerance)) failures.push(`row ${i} ${h}: expected ${row[j] ?? null}, got ${String(got)}`);
          });
        });
        assert.deepEqual(failures.slice(0, 5), []);
      });
    });
  }
});
