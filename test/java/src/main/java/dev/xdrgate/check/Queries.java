package dev.xdrgate.check;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.Bin;
import com.aerospike.client.Key;
import com.aerospike.client.Record;
import com.aerospike.client.policy.WritePolicy;
import com.aerospike.client.query.Filter;
import com.aerospike.client.query.IndexType;
import com.aerospike.client.query.RecordSet;
import com.aerospike.client.query.Statement;
import com.aerospike.client.task.IndexTask;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A secondary index (created through the client), queries by equality and range, and a scan of the set. */
final class Queries {
  private Queries() {}

  static void run(AerospikeClient client, Main.Options o) {
    String set = o.set + "_" + o.prefix + "_q";
    WritePolicy write = new WritePolicy();
    write.sendKey = true;
    for (int i = 0; i < 10; i++) client.put(write, new Key(o.ns, set, "q" + i), new Bin("tier", (long) i), new Bin("i", (long) i));

    IndexTask task = client.createIndex(null, o.ns, set, "idx_" + set + "_tier", "tier", IndexType.NUMERIC);
    task.waitTillComplete(50, 10_000);
    Map<String, Object> line = Out.step("index");
    line.put("set", set);
    line.put("complete", task.isDone());
    Out.print(line);

    line = Out.step("query-equal");
    line.put("i", query(client, o.ns, set, Filter.equal("tier", 3L)));
    Out.print(line);

    line = Out.step("query-range");
    line.put("i", query(client, o.ns, set, Filter.range("tier", 2L, 5L)));
    Out.print(line);

    List<Long> scanned = Collections.synchronizedList(new ArrayList<>());
    client.scanAll(null, o.ns, set, (key, record) -> scanned.add(record.getLong("i")));
    List<Long> sorted = new ArrayList<>(scanned);
    Collections.sort(sorted);
    line = Out.step("scan");
    line.put("i", sorted);
    Out.print(line);
  }

  private static List<Long> query(AerospikeClient client, String ns, String set, Filter filter) {
    Statement stmt = new Statement();
    stmt.setNamespace(ns);
    stmt.setSetName(set);
    stmt.setFilter(filter);
    List<Long> out = new ArrayList<>();
    try (RecordSet rs = client.query(null, stmt)) {
      while (rs.next()) {
        Record r = rs.getRecord();
        out.add(r.getLong("i"));
      }
    }
    Collections.sort(out);
    return out;
  }
}
