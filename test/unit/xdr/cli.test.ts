import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { buildProgram } from '../../../xdr/cli/index.js';

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
