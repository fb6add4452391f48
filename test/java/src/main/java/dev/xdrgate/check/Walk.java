package dev.xdrgate.check;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.AerospikeException;
import com.aerospike.client.Bin;
import com.aerospike.client.Key;
import com.aerospike.client.Operation;
import com.aerospike.client.Record;
import com.aerospike.client.Value;
import com.aerospike.client.cdt.ListOperation;
import com.aerospike.client.cdt.MapOperation;
import com.aerospike.client.cdt.MapPolicy;
import com.aerospike.client.cluster.Node;
import com.aerospike.client.cluster.Partitions;
import com.aerospike.client.policy.GenerationPolicy;
import com.aerospike.client.policy.RecordExistsAction;
import com.aerospike.client.policy.WritePolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every single-region step, in order; each prints what it observed (the test decides what is right). */
final class Walk {
  private final AerospikeClient client;
  private final Main.Options o;
  private final WritePolicy write = new WritePolicy();

  Walk(AerospikeClient client, Main.Options o) {
    this.client = client;
    this.o = o;
    write.sendKey = true;
  }

  static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private Key key(String name) {
    return new Key(o.ns, o.set, o.prefix + "-" + name);
  }

  void run() {
    cluster();
    records();
    operate();
    batch();
    Queries.run(client, o);
    touch();
    policies();
  }

  /** What the client learnt by itself from the seed: nodes (peers) and the partition map of the namespace. */
  private void cluster() {
    Map<String, Object> line = Out.step("cluster");
    List<Object> nodes = new ArrayList<>();
    for (Node n : client.getNodes()) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("name", n.getName());
      node.put("host", n.getHost().toString());
      node.put("partitionGeneration", n.getPartitionGeneration());
      nodes.add(node);
    }
    line.put("nodes", nodes);
    Partitions p = client.getCluster().partitionMap.get(o.ns);
    int owned = 0;
    if (p != null) {
      for (int i = 0; i < p.replicas[0].length(); i++) if (p.replicas[0].get(i) != null) owned++;
    }
    line.put("namespace", o.ns);
    line.put("partitionsMapped", owned);
    Out.print(line);
  }

  private void records() {
    Key k = key("ada");
    client.put(write, k, new Bin("name", "Ada"), new Bin("age", 36L), new Bin("tags", Arrays.asList("a", "b")), new Bin("prefs", Map.of("lang", "en")));
    Record r = client.get(null, k);
    Map<String, Object> line = Out.step("get");
    line.put("bins", r.bins);
    line.put("generation", r.generation);
    Out.print(line);

    line = Out.step("select");
    line.put("bins", client.get(null, k, "name", "age").bins);
    Out.print(line);

    line = Out.step("exists");
    line.put("present", client.exists(null, k));
    line.put("absent", client.exists(null, key("nobody")));
    Out.print(line);

    WritePolicy durable = new WritePolicy();
    durable.durableDelete = true;
    Key gone = key("gone");
    client.put(write, gone, new Bin("x", 1L));
    line = Out.step("delete");
    line.put("deleted", client.delete(durable, gone));
    line.put("existsAfter", client.exists(null, gone));
    line.put("deletedAgain", client.delete(durable, gone));
    Out.print(line);
  }

  private void operate() {
    Key k = key("ada");
    Record r = client.operate(write, k,
        Operation.add(new Bin("age", 1L)),
        Operation.append(new Bin("name", " Lovelace")),
        ListOperation.append("tags", Value.get("c")),
        MapOperation.put(MapPolicy.Default, "prefs", Value.get("theme"), Value.get("dark")),
        Operation.get("age"),
        Operation.get("name"));
    Map<String, Object> line = Out.step("operate");
    line.put("bins", r.bins);
    line.put("generation", r.generation);
    Out.print(line);

    line = Out.step("operate-read");
    Record after = client.operate(write, k, ListOperation.size("tags"), MapOperation.getByKey("prefs", Value.get("theme"), com.aerospike.client.cdt.MapReturnType.VALUE));
    line.put("bins", after.bins);
    line.put("record", client.get(null, k).bins);
    Out.print(line);
  }

  private void batch() {
    Key[] keys = new Key[4];
    for (int i = 0; i < 3; i++) {
      keys[i] = key("b" + i);
      client.put(write, keys[i], new Bin("n", (long) i));
    }
    keys[3] = key("b-missing");
    Record[] rows = client.get(null, keys);
    List<Object> out = new ArrayList<>();
    for (Record r : rows) out.add(r == null ? null : r.bins);
    Map<String, Object> line = Out.step("batch");
    line.put("rows", out);
    line.put("existsRows", toList(client.exists(null, keys)));
    Out.print(line);
  }

  private static List<Object> toList(boolean[] flags) {
    List<Object> out = new ArrayList<>();
    for (boolean f : flags) out.add(f);
    return out;
  }

  private void touch() {
    Key k = key("touched");
    client.put(write, k, new Bin("v", 1L));
    WritePolicy ttl = new WritePolicy();
    ttl.expiration = 3600;
    client.touch(ttl, k);
    Record h = client.getHeader(null, k);
    Map<String, Object> line = Out.step("touch");
    line.put("generation", h.generation);
    line.put("ttl", h.getTimeToLive());
    line.put("bins", client.get(null, k).bins);
    Out.print(line);
  }

  /** Policy refusals come back as AerospikeException with the server's result code. */
  private void policies() {
    Key k = key("ada");
    WritePolicy gen = new WritePolicy();
    gen.generationPolicy = GenerationPolicy.EXPECT_GEN_EQUAL;
    gen.generation = 99;
    Out.print(refusal("generation", () -> client.put(gen, k, new Bin("age", 0L))));

    WritePolicy create = new WritePolicy();
    create.recordExistsAction = RecordExistsAction.CREATE_ONLY;
    Out.print(refusal("create-only", () -> client.put(create, k, new Bin("age", 0L))));

    Map<String, Object> line = Out.step("after-refusals");
    line.put("bins", client.get(null, k, "age").bins);
    Out.print(line);
  }

  private static Map<String, Object> refusal(String step, Runnable write) {
    Map<String, Object> line = Out.step(step);
    try {
      write.run();
      line.put("refused", false);
    } catch (AerospikeException e) {
      line.put("refused", true);
      line.put("resultCode", e.getResultCode());
    }
    return line;
  }
}
