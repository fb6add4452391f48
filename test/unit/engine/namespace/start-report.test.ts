// What a namespace's start reports about its previous stop (engine/start-report.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStartReport, FLUSH_SLACK_MS, startReport, type StartFacts } from '../../../../engine/namespace/start-report.js';

const MS = 1024;
const T = 1_800_000_000_000 * MS;

function facts(over: Partial<StartFacts>): StartFacts {
  return {
    ns: 'user_data', mode: 'buffered', flushMaxMs: 100, source: 'cold-start', persisted: false, records: 10,
    maxLut: T, logHeadSeq: 100, logLastLut: T, cursorSeqMax: 100, seqsRecoveredFromDevices: 0, lastDiskWriteMs: 1_800_000_000_050,
    ...over,
  };
}

test('a saved index means a clean stop with nothing lost', () => {
  const r = startReport(facts({ source: 'saved-index' }));
  assert.equal(r.lastStop, 'clean');
  assert.equal(r.lost, undefined);
  assert.match(describeStartReport(r), /clean restart, 10 records/);
});

test('nothing on the devices and no change-log history is a first start', () => {
  const r = startReport(facts({ source: 'empty', records: 0, logHeadSeq: 0, cursorSeqMax: 0, maxLut: 0, logLastLut: 0 }));
  assert.equal(r.lastStop, 'first-start');
  assert.equal(r.lost, undefined);
});

test('a buffered cold start may have lost the writes of the last flush-max-ms (plus slack) before the newest survivor', () => {
  const r = startReport(facts({ maxLut: T + 500 * MS, logLastLut: T }));
  assert.equal(r.lastStop, 'unclean');
  assert.deepEqual(r.lost, { everything: false, sinceLut: T + 500 * MS - (100 + FLUSH_SLACK_MS) * MS, entriesAtLeast: 0, afterSeq: 100, lastDiskWriteMs: 1_800_000_000_050 });
  assert.match(describeStartReport(r), /may be missing here/);
});

test('entries a cursor had committed past the recovered head count as lost, minus versions the devices kept', () => {
  const r = startReport(facts({ logHeadSeq: 8325, cursorSeqMax: 8332, seqsRecoveredFromDevices: 2 }));
  assert.equal(r.lost?.entriesAtLeast, 5);
  assert.equal(r.lost?.afterSeq, 8325);
  assert.match(describeStartReport(r), /at least 5 acknowledged change\(s\) after change-log seq 8325/);
});

test('commit-to-device after a crash: nothing acknowledged was lost, unless the log says otherwise', () => {
  const clean = startReport(facts({ mode: 'commit-to-device' }));
  assert.equal(clean.lastStop, 'unclean');
  assert.equal(clean.lost, undefined);
  assert.match(describeStartReport(clean), /nothing acknowledged was lost/);
  const odd = startReport(facts({ mode: 'commit-to-device', cursorSeqMax: 103 }));
  assert.equal(odd.lost?.entriesAtLeast, 3);
});

test('a memory namespace restarted without its data has lost everything here', () => {
  const crashed = startReport(facts({ mode: 'memory', persisted: true, records: 0, maxLut: 0 }));
  assert.equal(crashed.lastStop, 'unclean');
  assert.equal(crashed.lost?.everything, true);
  assert.equal(crashed.lost?.sinceLut, 0);
  const notPersisted = startReport(facts({ mode: 'memory', persisted: false, records: 0, maxLut: 0 }));
  assert.equal(notPersisted.lastStop, 'unknown');
  assert.equal(notPersisted.lost?.everything, true);
  assert.match(describeStartReport(notPersisted), /its data is not here/);
  // A persisted memory namespace that was closed cleanly loads its image.
  assert.equal(startReport(facts({ mode: 'memory', persisted: true, source: 'saved-index' })).lost, undefined);
});
