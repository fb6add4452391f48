// The test helper every integration test polls with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../helpers/wait.js';

test('waitFor returns the first truthy value of the probe', async () => {
  let calls = 0;
  const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
  assert.deepEqual(value, { calls: 3 });
});

test('waitFor treats a throwing probe as not yet', async () => {
  let calls = 0;
  const value = await waitFor(
    () => {
      if (++calls < 2) throw new Error('not ready');
      return 'ready';
    },
    { intervalMs: 1 },
  );
  assert.equal(value, 'ready');
});

test('waitFor names what it awaited and the last error when it times out', async () => {
  await assert.rejects(
    waitFor(
      () => {
        throw new Error('still empty');
      },
      { timeoutMs: 30, intervalMs: 5, what: 'the record in virginia' },
    ),
    (err: Error) => {
      assert.match(err.message, /timed out after 30 ms/);
      assert.match(err.message, /the record in virginia/);
      assert.match(err.message, /still empty/);
      return true;
    },
  );
});
