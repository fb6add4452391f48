/**
 * The engine as the client-facing fronts (HTTP, the Aerospike protocol) see it:
 * every client write of a namespace whose durability is `shipped` is checked
 * before it is applied and acknowledged only once it is in Kafka
 * (shipped-acks.ts). Reads and everything else go straight to the engine; the
 * receiver and the shippers keep using the engine itself (applying a remote
 * version must never wait for this region's own shipping).
 */
import type { ChangeLogApi, EngineApi, EngineOpsApi, RecordKey } from '../../engine/index.js';
import type { ShippedAcks } from './shipped-acks.js';

type ClientWrites = Pick<EngineApi, 'put' | 'remove' | 'touch'> & Pick<EngineOpsApi, 'operate'> & { changeLog(ns: string): Pick<ChangeLogApi, 'headSeq'> };

const WRITES = ['put', 'remove', 'touch', 'operate'] as const;

export function acknowledgingEngine<E extends ClientWrites>(engine: E, acks: ShippedAcks): E {
  const wrap = <A extends [RecordKey, ...unknown[]], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const ns = (args[0] as RecordKey | undefined)?.ns;
      if (typeof ns !== 'string' || !acks.applies(ns)) return write(...args);
      acks.checkBeforeWrite(ns);
      const result = await write(...args);
      // The head after the write is at or past the write's own entry (entries are appended
      // in the synchronous part of the write); waiting for a later one only waits longer.
      await acks.waitShipped(ns, engine.changeLog(ns).headSeq());
      return result;
    };
  const overrides = new Map<PropertyKey, unknown>(WRITES.map((name) => [name, wrap((engine[name] as (...a: [RecordKey, ...unknown[]]) => Promise<unknown>).bind(engine))]));
  return new Proxy(engine, {
    get(target, prop) {
      if (overrides.has(prop)) return overrides.get(prop);
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
