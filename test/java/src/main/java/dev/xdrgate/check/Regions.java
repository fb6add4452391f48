package dev.xdrgate.check;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.Bin;
import com.aerospike.client.Key;
import com.aerospike.client.Operation;
import com.aerospike.client.Record;
import com.aerospike.client.Value;
import com.aerospike.client.cdt.ListOperation;
import com.aerospike.client.policy.WritePolicy;
import java.util.Arrays;
import java.util.Map;

/** The two-region case: one run writes in one region, another reads in the other once replication brought it. */
final class Regions {
  private Regions() {}

  private static Key key(Main.Options o) {
    return new Key(o.ns, o.set, o.prefix + "-traveller");
  }

  static void write(AerospikeClient client, Main.Options o) {
    WritePolicy durable = new WritePolicy();
    durable.sendKey = true;
    client.put(durable, key(o), new Bin("name", "Grace"), new Bin("visits", 1L), new Bin("cities", Arrays.asList("tokyo")));
    client.operate(durable, key(o), ListOperation.append("cities", Value.get("osaka")), Operation.add(new Bin("visits", 2L)));
    Record r = client.get(null, key(o));
    Map<String, Object> line = Out.step("write");
    line.put("bins", r.bins);
    line.put("generation", r.generation);
    Out.print(line);
  }

  static void read(AerospikeClient client, Main.Options o) {
    long deadline = System.currentTimeMillis() + o.waitMs;
    Record r = client.get(null, key(o));
    // Replication is asynchronous: poll (bounded by --wait-ms) until the second write of the record has arrived.
    while ((r == null || !Long.valueOf(3).equals(r.getValue("visits"))) && System.currentTimeMillis() < deadline) {
      Walk.pause(200);
      r = client.get(null, key(o));
    }
    Map<String, Object> line = Out.step("read");
    line.put("found", r != null);
    if (r != null) {
      line.put("bins", r.bins);
      line.put("generation", r.generation);
    }
    Out.print(line);
  }
}
