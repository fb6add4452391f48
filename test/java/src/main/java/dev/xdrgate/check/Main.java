package dev.xdrgate.check;

import com.aerospike.client.AerospikeClient;
import com.aerospike.client.AerospikeException;
import com.aerospike.client.Host;
import com.aerospike.client.policy.AuthMode;
import com.aerospike.client.policy.ClientPolicy;
import java.util.HashMap;
import java.util.Map;

/**
 * The official Aerospike Java client (com.aerospike:aerospike-client-jdk8),
 * unchanged, against an xdrgate service port. Prints one JSON line per step;
 * test/integration/xdr/aerospike/java-client.test.ts runs it and asserts on them.
 *
 * Usage: Main <mode> --hosts host:port[,host:port] [--user U --password P]
 *             [--ns NS] [--set SET] [--prefix P] [--wait-ms MS]
 *   walk   every single-region step (Walk.java)
 *   write  writes the two-region record under the prefix (Regions.java)
 *   read   waits until that record is readable, then prints it (Regions.java)
 */
public final class Main {
  private Main() {}

  public static void main(String[] argv) {
    if (argv.length == 0) usage("no mode");
    String mode = argv[0];
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < argv.length; i += 2) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) usage("bad argument " + argv[i]);
      opts.put(argv[i].substring(2), argv[i + 1]);
    }
    String hosts = opts.get("hosts");
    if (hosts == null) usage("--hosts is required");
    Options o = new Options(opts.getOrDefault("ns", "test"), opts.getOrDefault("set", "java"), opts.getOrDefault("prefix", "j"), Long.parseLong(opts.getOrDefault("wait-ms", "30000")));
    int exit = 0;
    try (AerospikeClient client = new AerospikeClient(clientPolicy(opts), Host.parseHosts(hosts, 3000))) {
      switch (mode) {
        case "walk": new Walk(client, o).run(); break;
        case "write": Regions.write(client, o); break;
        case "read": Regions.read(client, o); break;
        default: usage("unknown mode " + mode);
      }
    } catch (AerospikeException e) {
      Map<String, Object> line = Out.step("error");
      line.put("resultCode", e.getResultCode());
      line.put("message", e.getMessage());
      Out.print(line);
      exit = 2;
    }
    System.exit(exit);
  }

  private static ClientPolicy clientPolicy(Map<String, String> opts) {
    ClientPolicy policy = new ClientPolicy();
    policy.timeout = 5000;
    policy.loginTimeout = 5000;
    policy.failIfNotConnected = true;
    if (opts.containsKey("user")) {
      policy.user = opts.get("user");
      policy.password = opts.get("password");
      policy.authMode = AuthMode.INTERNAL;
    }
    return policy;
  }

  private static void usage(String why) {
    System.err.println("java-client-check: " + why + "\nusage: Main walk|write|read --hosts host:port [--user U --password P] [--ns NS] [--set SET] [--prefix P] [--wait-ms MS]");
    System.exit(64);
  }

  /** What every mode needs besides the client. */
  static final class Options {
    final String ns;
    final String set;
    final String prefix;
    final long waitMs;

    Options(String ns, String set, String prefix, long waitMs) {
      this.ns = ns;
      this.set = set;
      this.prefix = prefix;
      this.waitMs = waitMs;
    }
  }
}
