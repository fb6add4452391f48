/** `xdrgate verify` and the partition admin endpoints behind it (docs/operations.md). */
export { VERIFY_ERRORS, VerifyError, isVerifyError, type VerifyErrorCode } from './errors.js';
export { enginePartitionSource, type PartitionSource } from './source.js';
export { registerPartitionRoutes, type PartitionRoutesOptions } from './routes.js';
export { differingPartitions, diffRecords, describeDiff, type RecordDiff } from './compare.js';
export { verifyRegions, type RegionEndpoint, type VerifyOptions, type VerifyReport, type NamespaceReport } from './verify.js';
export { addVerifyCommand, formatReport, resolveRegionUrl, urlEnvName } from './command.js';
