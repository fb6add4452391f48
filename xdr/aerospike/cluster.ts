/**
 * What the service port tells clients about the cluster: this node's id, the
 * nodes of the region (peers), and which node holds which partition of each
 * namespace. Today a region is one node that owns all 4096 partitions of
 * every namespace; the answers (peers, replicas, the generations clients
 * watch) are built from this view, so a region of several nodes changes what
 * the view holds, not the info commands.
 */
import { createHash } from 'node:crypto';
import { PARTITIONS, partitionBitmap, peersValue, replicasValue, type NamespaceReplicas, type PeerNode } from '../../aerospike-protocol/index.js';

export interface ClusterNode {
  nodeId: string;
  /** Where clients reach it: `host:port`. */
  address: string;
}

export interface ClusterViewOptions {
  /** This node (its id never changes for the life of the node: clients drop a node whose id changes). */
  self: ClusterNode;
  /** The other nodes of the region. @default [] */
  peers?: ClusterNode[];
  namespaces: string[];
  /** The port peers listen on unless their address says otherwise. */
  servicePort: number;
  /** Which node holds partition `pid` of `ns` as master (default: this node holds every partition). */
  owner?: (ns: string, pid: number) => string;
}

/**
 * A node id as Aerospike clients expect it: upper-case hex, stable for the life
 * of the node. Derived from what identifies a gateway (its region and data
 * directory), so a restart keeps it and two gateways differ.
 */
export function deriveNodeId(region: string, dataDir: string): string {
  return createHash('sha256').update(`xdrgate\u0000${region}\u0000${dataDir}`).digest('hex').slice(0, 12).toUpperCase();
}

export class ClusterView {
  readonly self: ClusterNode;
  private readonly peerNodes: ClusterNode[];
  private readonly namespaceNames: string[];
  private readonly servicePort: number;
  private readonly owner: (ns: string, pid: number) => string;
  /** Bumped when partition ownership changes; clients then re-read `replicas`. */
  partitionGeneration = 1;
  /** Bumped when the node list changes; clients then re-read peers. */
  peersGeneration = 1;
  private replicasCache: string | null = null;

  constructor(options: ClusterViewOptions) {
    this.self = options.self;
    this.peerNodes = options.peers ?? [];
    this.namespaceNames = [...options.namespaces];
    this.servicePort = options.servicePort;
    this.owner = options.owner ?? (() => options.self.nodeId);
  }

  namespaces(): readonly string[] {
    return this.namespaceNames;
  }

  nodeCount(): number {
    return 1 + this.peerNodes.length;
  }

  ownsPartition(ns: string, pid: number): boolean {
    return this.owner(ns, pid) === this.self.nodeId;
  }

  /** The value of `replicas`: one master bitmap per namespace (replication inside a region: factor 1). */
  replicas(): string {
    if (this.replicasCache === null) {
      const list: NamespaceReplicas[] = this.namespaceNames.map((ns) => ({
        ns,
        regime: 0,
        replicas: [partitionBitmap((pid) => this.ownsPartition(ns, pid))],
      }));
      this.replicasCache = replicasValue(list);
    }
    return this.replicasCache;
  }

  /** The value of `replicas-master` (older clients): `<ns>:<b64>` per namespace. */
  replicasMaster(): string {
    return this.namespaceNames
      .map((ns) => `${ns}:${Buffer.from(partitionBitmap((pid) => this.ownsPartition(ns, pid))).toString('base64')}`)
      .join(';');
  }

  /** The value of `peers-clear-std` and its kin: the other nodes of the region. */
  peers(): string {
    const list: PeerNode[] = this.peerNodes.map((p) => ({ nodeId: p.nodeId, hosts: [p.address] }));
    return peersValue(this.peersGeneration, this.servicePort, list);
  }

  /** Bumps the generations after ownership or membership changed. */
  changed(): void {
    this.partitionGeneration++;
    this.peersGeneration++;
    this.replicasCache = null;
  }

  static readonly PARTITIONS = PARTITIONS;
}
