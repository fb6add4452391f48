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
  const shipped = async <R>(ns: string, result: Promise<R>): Promise<R> => {
    const value = await result;
    // The head after the write is at or past the write's own entry (entries are appended
    // in the synchronous part of the write); waiting for a later one only waits longer.
    await acks.waitShipped(ns, engine.changeLog(ns).headSeq());
    return value;
  };
  // Not async: a write of a namespace that is not `shipped` returns the engine's own promise,
  // without another promise and its turns of the microtask queue.
  const wrap = <A extends [RecordKey, ...unknown[]], R>(write: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const ns = (args[0] as RecordKey | undefined)?.ns;
      try {
        if (typeof ns !== 'string' || !acks.applies(ns)) return write(...args);
        acks.checkBeforeWrite(ns);
        return shipped(ns, write(...args));
      } catch (err) {
        return Promise.reject(err);
      }
    };
  const overrides = new Map<PropertyKey, unknown>(WRITES.map((name) => [name, wrap((engine[name] as (...a: [RecordKey, ...unknown[]]) => Promise<unknown>).bind(engine))]));
  // Methods are bound once, not on every access (each request reads one); a method replaced on
  // the engine since (a test's mock) is bound anew.
  const bound = new Map<PropertyKey, { value: unknown; fn: unknown }>();
  return new Proxy(engine, {
    get(target, prop) {
      const override = overrides.get(prop);
      if (override !== undefined) return override;
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      const cached = bound.get(prop);
      if (cached !== undefined && cached.value === value) return cached.fn;
      const fn = value.bind(target);
      bound.set(prop, { value, fn });
      return fn;
    },
  });
}
