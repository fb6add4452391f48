// The test runner's chromium step (scripts/chromium.ts): nothing to do when the
// browser is there; apt-get update + install as root; a message saying what to
// run otherwise. Commands are faked: no package is installed by this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { ensureChromium } from '../../../scripts/chromium.js';
import { tmpDir } from '../../helpers/tmp.js';

const silent = pino({ level: 'silent' });

test('present: nothing runs', async (t) => {
  const browser = path.join(await tmpDir(t, 'xdrgate-chromium-'), 'chromium');
  await writeFile(browser, '');
  const calls: string[] = [];
  await ensureChromium(silent, { path: browser, isRoot: true, run: async (c, a) => void calls.push(`${c} ${a.join(' ')}`) });
  assert.deepEqual(calls, []);
});

test('missing, as root: apt-get update, then apt-get install -y chromium', async (t) => {
  const browser = path.join(await tmpDir(t, 'xdrgate-chromium-'), 'chromium');
  const calls: string[] = [];
  const run = async (c: string, a: string[]) => {
    calls.push(`${c} ${a.join(' ')}`);
    if (a[0] === 'install') await writeFile(browser, '');
  };
  await ensureChromium(silent, { path: browser, isRoot: true, run });
  assert.deepEqual(calls, ['apt-get update', 'apt-get install -y chromium']);
});

test('missing, not root, or a failed install: the error says what to run', async (t) => {
  const browser = path.join(await tmpDir(t, 'xdrgate-chromium-'), 'chromium');
  await assert.rejects(ensureChromium(silent, { path: browser, isRoot: false, run: async () => assert.fail('must not run') }), /not root.*apt-get update && apt-get install -y chromium/);
  await assert.rejects(
    ensureChromium(silent, { path: browser, isRoot: true, run: async () => { throw new Error('E: Unable to locate package chromium'); } }),
    /installing chromium failed; install it yourself as root: apt-get update && apt-get install -y chromium\nE: Unable to locate package/,
  );
});
