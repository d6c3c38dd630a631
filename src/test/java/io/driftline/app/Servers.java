package io.driftline.app;

/** A Kafka broker and a Confluent-compatible schema registry that the integration tests talk to. */
interface Servers extends AutoCloseable {

    String bootstrapServers();

    String registryUrl();

    @Override
    void close();
}
