package org.careweave.platform;

/**
 * Where careweave's three backing services are: a Kafka cluster, a schema registry speaking the Confluent REST API,
 * and a PostgreSQL database. Every component asks this for endpoints and never cares which kind is behind it.
 */
public interface Platform extends AutoCloseable {

    /** embedded, external or testcontainers. */
    String kind();

    /** Kafka bootstrap servers, e.g. 127.0.0.1:9092. */
    String bootstrapServers();

    /** How every Kafka client reaches the cluster: its bootstrap servers and, when it is secured, TLS and SASL. */
    default KafkaConnection kafka() {
        return KafkaConnection.plaintext(bootstrapServers());
    }

    /** Base URL of the Confluent-compatible schema registry API, e.g. http://127.0.0.1:8081/apis/ccompat/v7. */
    String schemaRegistryUrl();

    String jdbcUrl();

    String jdbcUser();

    String jdbcPassword();

    /** Stops what this platform started; endpoints it only points at are left alone. */
    @Override
    void close();
}
