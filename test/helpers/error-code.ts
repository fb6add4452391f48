/** The stable code of an error a test provokes on purpose. */
import assert from 'node:assert/strict';
import { isEngineError } from '../../engine/index.js';

/** The `code` of what `fn` throws; fails the test when it throws nothing. */
export function thrownCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  assert.fail('expected an error');
}

/** The `code` of what `fn` throws, or null when it returns. */
export function thrownCodeOrNull(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return (err as { code: string }).code;
  }
}

/** The code of the engine error `p` rejects with; fails the test on anything else. */
export async function engineErrorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(isEngineError(err), `an EngineError, got ${String(err)}`);
    return err.code;
  }
  assert.fail('expected an error');
}
