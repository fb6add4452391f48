/**
 * Codes of the local infrastructure launcher (InfraError: Kafka provisioning,
 * KRaft brokers, Redis). Not on the request path. The messages say what to
 * install or look at, because the reader is usually a developer or a CI log.
 */
import { defineErrors } from './define.js';

export const INFRA_ERRORS = defineErrors({
  XDR_ERR_INFRA_JAVA_MISSING: {
    message: 'no java executable was found to run Kafka',
    status: 500,
    retriable: false,
    fix: 'install Java 17+ (`apt-get install openjdk-17-jre-headless`) or set JAVA_HOME',
  },
  XDR_ERR_INFRA_MAVEN_MISSING: {
    message: 'no mvn executable was found to download Kafka',
    status: 500,
    retriable: false,
    fix: 'install Maven (`apt-get install maven`) or set XDRGATE_MVN to the mvn executable',
  },
  XDR_ERR_INFRA_PROVISION_FAILED: {
    message: 'downloading the Kafka jars from Maven Central failed',
    status: 503,
    retriable: true,
    fix: "check that https://repo.maven.apache.org is reachable (proxy settings in ~/.m2/settings.xml) and that XDRGATE_KAFKA_VERSION names a released version; the message quotes Maven's output",
  },
  XDR_ERR_INFRA_BROKER_FORMAT_FAILED: {
    message: 'formatting the KRaft storage of a broker failed',
    status: 500,
    retriable: false,
    fix: 'read the quoted StorageTool output; a data dir formatted by another cluster must be removed',
  },
  XDR_ERR_INFRA_BROKER_START_FAILED: {
    message: 'a Kafka broker exited or did not answer within its start timeout',
    status: 503,
    retriable: true,
    fix: 'read the quoted broker log tail (`broker.log` in the data dir); a port taken by another process or too little memory are the usual causes',
  },
  XDR_ERR_INFRA_REDIS_MISSING: {
    message: 'no Redis answered and no redis-server executable was found to start one',
    status: 500,
    retriable: false,
    fix: 'install Redis (`apt-get install redis-server`) or point XDRGATE_REDIS_URL at a running Redis',
  },
  XDR_ERR_INFRA_REDIS_START_FAILED: {
    message: 'a redis-server started by xdrgate exited or did not answer in time',
    status: 503,
    retriable: true,
    fix: 'read the quoted stderr; usually the port is taken by something that is not Redis',
  },
});
