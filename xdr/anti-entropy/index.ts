/** Anti-entropy: route pairs compared and repaired in the background, and the repair `xdrgate verify --repair` runs (docs/operations.md). */
export { AntiEntropy, type AntiEntropyOptions, type AntiEntropyRoutes } from './anti-entropy.js';
export type { AntiEntropyPairStats } from './stats.js';
export { decideRepair, type RepairDecision } from './decide.js';
export { RecordBudget, nextRangeSize } from './budget.js';
export { leadsPair, nextPassDelayMs, type ScheduleInput } from './schedule.js';
export { planPairs, type PairPlan, type KnownRoute } from './pairs.js';
export { runPass, type PassOptions, type PassResult } from './pass.js';
export { httpSide, localSide, type PairSide } from './sides.js';
export { repairRegions, type RepairOptions, type RepairRegion, type NamespaceRepair } from './repair.js';
export { RestartRepair, peerMayAnswerLater, planPeerRewinds, startReports, type PeerRewindRequest, type RestartRepairOptions } from './restart-repair.js';
