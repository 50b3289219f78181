/** Assertions shared by the codec tests. */
import assert from 'node:assert/strict';
import { ServingError } from '../../core/errors.ts';

/**
 * Asserts `f` throws INVALID_INPUT whose message starts with `field: ` (or, with
 * `spaceAfterField`, `field ` too, for messages such as `inputs[0] binary data[1]: ...`).
 */
export function assertInvalidInput(f: () => unknown, field: string, opts: { spaceAfterField?: boolean } = {}): void {
  assert.throws(f, (err: unknown) => {
    assert.ok(err instanceof ServingError, String(err));
    assert.equal(err.code, 'INVALID_INPUT');
    const named = err.message.startsWith(`${field}: `) || (opts.spaceAfterField === true && err.message.startsWith(`${field} `));
    assert.ok(named, `${err.message} names ${field}`);
    return true;
  });
}
