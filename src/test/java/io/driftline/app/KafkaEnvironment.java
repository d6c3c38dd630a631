package io.driftline.app;

import io.driftline.kafka.EmbeddedKafkaBroker;
import io.driftline.registry.RegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real broker and a real schema registry on free ports, for one test class. */
final class KafkaEnvironment implements AutoCloseable {

    final EmbeddedKafkaBroker broker;
    final RegistryServer registry;
    final Path dir;

    KafkaEnvironment() {
        try {
            dir = Files.createTempDirectory("driftline-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = EmbeddedKafkaBroker.startTemporary();
        registry = RegistryServer.start(0, dir.resolve("registry"));
    }

    Infrastructure infrastructure() {
        return Infrastructure.existing(broker.bootstrapServers(), registry.url());
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
    }
}
