import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { buildProgram } from '../../../xdr/cli/index.js';
import { parseWhere, queryFilter } from '../../../xdr/cli/commands-query.js';

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

test('every command has a description and --help', () => {
  const program = buildProgram();
  const names = allCommands(program).map((c) => c.name());
  for (const expected of ['up', 'serve', 'route', 'add', 'list', 'pause', 'resume', 'rewind', 'rm', 'put', 'get', 'stats', 'latencies', 'alerts']) {
    assert.ok(names.includes(expected), `missing command ${expected}`);
  }
  for (const c of allCommands(program)) {
    assert.ok(c.description().length > 10, `${c.name()} needs a description`);
    const help = c.helpInformation();
    assert.match(help, /-h, --help/, `${c.name()} --help`);
  }
});

test('lag and verify have landed (issues 6 and 7); lag offers --once and --json for scripts', () => {
  const names = allCommands(buildProgram()).map((c) => c.name());
  assert.ok(names.includes('lag') && names.includes('verify'));
  const help = buildProgram().commands.find((c) => c.name() === 'lag')!.helpInformation();
  for (const flag of ['--once', '--json', '--interval']) assert.ok(help.includes(flag), flag);
});

test('up documents its ports and the --load option', () => {
  const up = buildProgram().commands.find((c) => c.name() === 'up')!;
  const help = up.helpInformation();
  for (const flag of ['--tokyo-port', '--virginia-port', '--load', '--redis-url', '--data-dir']) assert.ok(help.includes(flag), flag);
  assert.match(help, /4100/);
  assert.match(help, /4200/);
});

test("aql's data jobs are commands: query, scan, batch-get, operate, index list/create/drop, each with --url in its help", () => {
  const program = buildProgram();
  const names = allCommands(program).map((c) => c.name());
  for (const expected of ['query', 'scan', 'batch-get', 'operate', 'index', 'create', 'drop']) assert.ok(names.includes(expected), `missing command ${expected}`);
  // --url picks the region: every command's help shows it.
  for (const cmd of allCommands(program)) assert.match(cmd.helpInformation(), /--url <url>/, `${cmd.name()} --help shows --url`);
});

test('query filters: aql-like --where forms and the geo options, with clear refusals', () => {
  assert.deepEqual(parseWhere('views=3'), { bin: 'views', equals: 3 });
  assert.deepEqual(parseWhere("name='Ada Lovelace'"), { bin: 'name', equals: 'Ada Lovelace' });
  assert.deepEqual(parseWhere('plan = gold'), { bin: 'plan', equals: 'gold' });
  assert.deepEqual(parseWhere('views between 1 and 10'), { bin: 'views', between: [1, 10] });
  assert.deepEqual(parseWhere('views=-5..7'), { bin: 'views', between: [-5, 7] });
  assert.deepEqual(parseWhere('big=9223372036854775807'), { bin: 'big', equals: { $int: '9223372036854775807' } });
  assert.deepEqual(parseWhere('blob={"$bytes":"AQI="}'), { bin: 'blob', equals: { $bytes: 'AQI=' } });
  assert.throws(() => parseWhere('views > 3'), /not "bin=value" or "bin between lo and hi"/);
  const point = '{"type":"Point","coordinates":[139.69,35.69]}';
  assert.deepEqual(queryFilter({ bin: 'area', geoContains: point }), { bin: 'area', geoContains: JSON.parse(point) });
  assert.throws(() => queryFilter({ geoWithin: point }), /need --bin/);
  assert.throws(() => queryFilter({}), /exactly one of --where, --geo-within and --geo-contains/);
  assert.throws(() => queryFilter({ where: 'a=1', geoWithin: point, bin: 'a' }), /exactly one/);
  assert.throws(() => queryFilter({ bin: 'a', geoWithin: '{nope' }), /--geo-within: not valid JSON/);
});
