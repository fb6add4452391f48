/**
 * docs/errors.md, rendered from the tables (`npm run docs:errors` writes it;
 * test/unit/errors-doc.test.ts checks the checked-in page equals this).
 */
import { SECTIONS } from './catalog.js';
import { resultCodeName } from './result-codes.js';

const HEADER = `# Error codes

<!-- Generated from errors/*.ts by \`npm run docs:errors\`; edit the tables, not this page. -->

Every error xdrgate reports carries a stable \`code\`, a \`message\` that says what to
fix, and a \`retriable\` flag. Each code is declared once, in a table under \`errors/\`,
with its HTTP status (over HTTP an error is \`{ "code": "...", "message": "..." }\`),
the Aerospike result code a client of the service port receives (\`—\`: no client
request meets the code; a stray one answers 1, UNKNOWN), and whether retrying can
succeed: the retry loops of the shipper, the receiver and the gateway decide from
that flag. This page is generated from those tables.
`;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderErrorsDoc(): string {
  const parts = [HEADER];
  for (const s of SECTIONS) {
    parts.push(`## ${s.title} (\`${s.file}\`)\n`);
    const raised = `${s.errorClass}, raised by \`${s.raisedBy}\`.`;
    parts.push(s.intro === undefined ? `${raised}\n` : `${raised} ${s.intro}\n`);
    parts.push('| code | retriable | HTTP | result | meaning | what to do |\n|---|---|---|---|---|---|');
    for (const [code, spec] of Object.entries(s.table)) {
      const result = spec.resultCode === undefined ? '—' : `${spec.resultCode} (${resultCodeName(spec.resultCode)})`;
      parts.push(`| ${code} | ${spec.retriable ? 'yes' : 'no'} | ${spec.status} | ${result} | ${cell(spec.message)} | ${cell(spec.fix)} |`);
    }
    parts.push('');
  }
  return parts.join('\n');
}
