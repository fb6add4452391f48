package dev.xdrgate.check;

import java.util.LinkedHashMap;
import java.util.Map;

/** One JSON line per step: {"step": name, ...fields}. */
final class Out {
  private Out() {}

  static Map<String, Object> step(String name) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("step", name);
    return line;
  }

  static void print(Map<String, Object> line) {
    System.out.println(Json.of(line));
    System.out.flush();
  }
}
