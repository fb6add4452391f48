/**
 * The Maven project that pulls Apache Kafka from Maven Central. Kafka's own
 * release tarball is not on Maven Central, but its jars are: kafka_2.13 (the
 * broker, `kafka.Kafka`, and `kafka.tools.StorageTool`) and kafka-tools, both at
 * the same version, plus their runtime dependencies. Pure text, so it is easy to
 * test and nothing depends on where the repository is checked out.
 */

/** The Kafka version used when nothing else is asked for; it resolves with everything it needs. */
export const KAFKA_VERSION_DEFAULT = '4.3.1';

const VERSION_PATTERN = /^[0-9]+\.[0-9]+\.[0-9]+([.-][A-Za-z0-9.-]+)?$/;

export function assertKafkaVersion(version: string): void {
  if (!VERSION_PATTERN.test(version)) {
    throw new TypeError(`not a Kafka version: ${JSON.stringify(version)} (expected e.g. ${KAFKA_VERSION_DEFAULT})`);
  }
}

export function kafkaPom(version: string): string {
  assertKafkaVersion(version);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by xdrgate (xdr/infra/kafka-pom.ts); only used to download jars. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.xdrgate</groupId>
  <artifactId>xdrgate-kafka-dist</artifactId>
  <version>${version}</version>
  <packaging>pom</packaging>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_2.13</artifactId>
      <version>${version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka-tools</artifactId>
      <version>${version}</version>
    </dependency>
  </dependencies>
</project>
`;
}

/**
 * Kafka 4 logs through SLF4J to Log4j 2 but leaves the SLF4J binding to the
 * distribution (its tarball ships one; Maven does not pull it). The binding must
 * match both sides: log4j-slf4j-impl for SLF4J 1.x, log4j-slf4j2-impl for SLF4J
 * 2.x, at the exact Log4j version of the log4j-core jar Kafka brought along.
 * Given the jar file names of the copied dependencies, returns the binding's
 * Maven coordinate, or undefined when Kafka brought no Log4j 2 (then there is
 * nothing to bind).
 */
export function slf4jBindingArtifact(jarNames: readonly string[]): string | undefined {
  const log4jCore = jarNames.map((n) => /^log4j-core-([0-9][^/]*)\.jar$/.exec(n)?.[1]).find((v) => v !== undefined);
  const slf4jApi = jarNames.map((n) => /^slf4j-api-([0-9]+)\.[^/]*\.jar$/.exec(n)?.[1]).find((v) => v !== undefined);
  if (log4jCore === undefined || slf4jApi === undefined) return undefined;
  const artifact = Number(slf4jApi) >= 2 ? 'log4j-slf4j2-impl' : 'log4j-slf4j-impl';
  return `org.apache.logging.log4j:${artifact}:${log4jCore}`;
}
