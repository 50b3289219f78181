import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { GENERATED_DIR, ROOT, generate } from '../../../scripts/gen-proto.ts';

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

test('checked-in generated gRPC types are current (run `npm run gen:proto` if this fails)', async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'kserve-gen-proto-'));
  try {
    await generate(tmp);
    const checkedIn = join(ROOT, GENERATED_DIR);
    const want = await files(tmp);
    assert.ok(want.length > 0);
    assert.deepEqual(await files(checkedIn), want);
    for (const f of want) {
      const [a, b] = await Promise.all([readFile(join(checkedIn, f)), readFile(join(tmp, f))]);
      assert.ok(a.equals(b), `${GENERATED_DIR}/${f} differs from what gen:proto produces`);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
});
