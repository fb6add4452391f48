/** `xdrgate verify` and the partition admin endpoints behind it (docs/operations.md). */
export { VERIFY_ERRORS, VerifyError, isVerifyError, type VerifyErrorCode } from './errors.js';
export { enginePartitionSource, type PartitionSource } from './source.js';
export { registerPartitionRoutes, type PartitionRoutesOptions } from './routes.js';
export { differingPartitions, diffRecords, describeDiff, type RecordDiff } from './compare.js';
export { verifyRegions, verdictOf, type VerifyVerdict, type RegionEndpoint, type VerifyOptions, type VerifyReport, type NamespaceReport } from './verify.js';
export { formatReport } from './report-format.js';
export { resolveRegionUrl, urlEnvName } from './region-url.js';
// The `xdrgate verify` command (./command.js) composes verify with anti-entropy's repair: the CLI imports it itself.
