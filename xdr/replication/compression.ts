/**
 * Record-batch compression codecs of route topics. kafkajs compresses gzip
 * itself; lz4 and zstd come from npm packages that ship prebuilt binaries in the
 * registry (nothing is downloaded or compiled at install), declared as optional
 * dependencies: a platform without them still runs every uncompressed or gzip
 * route, and a route that asks for a missing codec is a configuration error
 * naming the package (docs/config.md, routes).
 *
 * Every codec that loads is registered in kafkajs at start, whatever this
 * region's routes use: a receiver must decode batches that another region's
 * route compressed (a topic's batches can be mixed, e.g. after a route changed
 * its compression).
 */
import { createRequire } from 'node:module';
import type { RouteCompression } from '../../replication-protocol/index.js';

export const ROUTE_COMPRESSIONS: readonly RouteCompression[] = Object.freeze(['none', 'gzip', 'lz4', 'zstd']);

/** The npm package behind each codec kafkajs does not have built in. */
export const CODEC_PACKAGES = Object.freeze({ lz4: 'lz4-napi', zstd: '@mongodb-js/zstd' } as const);

/** zstd level: 3 is zstd's own default, the usual speed/ratio point for streams of small records. */
const ZSTD_LEVEL = 3;

interface Lz4Napi {
  compressFrame(data: Buffer): Promise<Buffer>;
  decompressFrame(data: Buffer): Promise<Buffer>;
}
interface MongoZstd {
  compress(data: Buffer, level?: number): Promise<Buffer>;
  decompress(data: Buffer): Promise<Buffer>;
}

/** A kafkajs codec: compress gets kafkajs's Encoder (its bytes in .buffer). */
interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

export interface CodecStatus {
  compression: RouteCompression;
  available: boolean;
  /** The package the codec needs (none for none and gzip). */
  package?: string;
  /** Why it is not available (the loader's message). */
  reason?: string;
}

const requireHere = createRequire(import.meta.url);
/** kafkajs is CommonJS and its codec table is not among the exports Node's ESM loader detects. */
const { CompressionCodecs, CompressionTypes } = requireHere('kafkajs') as typeof import('kafkajs');

/** Loads a codec package; null with the reason when it is not installed or does not load on this platform. */
export type PackageLoader = (name: string) => unknown;

function codecOf(compression: 'lz4' | 'zstd', mod: unknown): KafkaCodec {
  if (compression === 'lz4') {
    // Kafka's lz4 is the LZ4 frame format (KIP-57), which lz4-napi's *Frame functions write and read.
    const lz4 = mod as Lz4Napi;
    return { compress: (encoder) => lz4.compressFrame(encoder.buffer), decompress: (buffer) => lz4.decompressFrame(buffer) };
  }
  const zstd = mod as MongoZstd;
  return { compress: (encoder) => zstd.compress(encoder.buffer, ZSTD_LEVEL), decompress: (buffer) => zstd.decompress(buffer) };
}

interface Probe {
  statuses: CodecStatus[];
  codecs: Map<'lz4' | 'zstd', KafkaCodec>;
}

function probe(load: PackageLoader): Probe {
  const statuses: CodecStatus[] = [
    { compression: 'none', available: true },
    { compression: 'gzip', available: true },
  ];
  const codecs = new Map<'lz4' | 'zstd', KafkaCodec>();
  for (const compression of ['lz4', 'zstd'] as const) {
    const pkg = CODEC_PACKAGES[compression];
    try {
      codecs.set(compression, codecOf(compression, load(pkg)));
      statuses.push({ compression, available: true, package: pkg });
    } catch (err) {
      statuses.push({ compression, available: false, package: pkg, reason: (err as Error).message.split('\n')[0]! });
    }
  }
  return { statuses, codecs };
}

let installed: Probe | null = null;

/** Which codecs this process can use (probed once: the packages are loaded then). */
export function codecStatuses(load: PackageLoader = requireHere): CodecStatus[] {
  if (load !== requireHere) return probe(load).statuses;
  installed ??= probe(requireHere);
  return installed.statuses;
}

export function availableCompressions(load: PackageLoader = requireHere): RouteCompression[] {
  return codecStatuses(load)
    .filter((s) => s.available)
    .map((s) => s.compression);
}

/** What to tell an operator whose route asks for a codec that is not available (`statuses`: what this process has). */
export function missingCodecMessage(status: CodecStatus, statuses: readonly CodecStatus[]): string {
  const usable = statuses.filter((s) => s.available).map((s) => s.compression);
  return `${status.compression} needs the npm package ${status.package}, which does not load here (${status.reason}); install it (npm install ${status.package}) or use one of: ${usable.join(', ')}`;
}

/** Registers every available codec in kafkajs (idempotent). Called before any Kafka client of the pipeline runs. */
export function registerCompressionCodecs(): void {
  installed ??= probe(requireHere);
  const codes = { lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD } as const;
  for (const [compression, codec] of installed.codecs) {
    (CompressionCodecs as Record<number, () => KafkaCodec>)[codes[compression]] = () => codec;
  }
}
