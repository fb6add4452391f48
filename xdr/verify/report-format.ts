/** A verify report as the lines `xdrgate verify` prints. */
import { describeDiff } from './compare.js';
import type { VerifyReport } from './verify.js';

export function formatReport(r: VerifyReport): string {
  const lines: string[] = [];
  for (const ns of r.namespaces) {
    const head = `${ns.ns}: ${r.from} ${ns.records.from} records, ${r.to} ${ns.records.to} records`;
    if (ns.differingPartitions.length === 0) {
      lines.push(`${head}: identical`);
      continue;
    }
    lines.push(`${head}: ${ns.differingPartitions.length} partition(s) differ, ${ns.diffCount} record difference(s)`);
    for (const d of ns.diffs) lines.push(`  ${describeDiff(ns.ns, d, { from: r.from, to: r.to })}`);
    if (ns.diffCount > ns.diffs.length) lines.push(`  ... and ${ns.diffCount - ns.diffs.length} more`);
    if (ns.unlistedPartitions > 0) lines.push(`  ... and ${ns.unlistedPartitions} more differing partition(s) not listed record by record`);
    if (ns.diffCount === 0 && ns.unlistedPartitions === 0) lines.push(`  (partitions ${ns.differingPartitions.slice(0, 20).join(', ')} changed while being listed: replication still applying)`);
  }
  if (r.verdict === 'in-flight') {
    lines.push(`IN FLIGHT: no record differs between ${r.from} and ${r.to}, but some partitions kept changing while compared (replication still applying under load); run verify again in a quieter moment or with more --rechecks`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(r.identical ? `identical: ${r.from} and ${r.to} hold the same data` : `DIFFERENT: ${r.from} and ${r.to} do not hold the same data`);
  if (!r.identical) {
    lines.push(`\`xdrgate verify --repair\` has each region re-ship its version of what differs (anti-entropy does the same in the background);`
      + ` replication still in flight settles with --rechecks (docs/operations.md)`);
  }
  return `${lines.join('\n')}\n`;
}
