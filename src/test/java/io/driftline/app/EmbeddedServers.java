package io.driftline.app;

import io.driftline.kafka.EmbeddedKafkaBroker;
import io.driftline.registry.RegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.kafka.common.utils.Utils;

/**
 * The embedded KRaft broker (in this JVM, on free ports) and the Apicurio registry (a child
 * process): the integration tests' default environment. Each can be stopped and started again on
 * the same address and data, which {@link BrokerOutageIT} and {@link RegistryOutageIT} need.
 */
final class EmbeddedServers implements Servers {

    private final Path brokerDir;
    private final int port = EmbeddedKafkaBroker.freePort();
    private final int controllerPort = EmbeddedKafkaBroker.freePort();
    private final Path registryDir;
    private final int registryPort;
    private RegistryServer registry;
    private EmbeddedKafkaBroker broker;

    EmbeddedServers(Path dir) {
        brokerDir = dir.resolve("kafka");
        broker = EmbeddedKafkaBroker.start(brokerDir, port, controllerPort);
        registryDir = dir.resolve("registry");
        registry = RegistryServer.start(0, registryDir);
        registryPort = registry.port();
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public String registryUrl() {
        return registry.url();
    }

    void stopBroker() {
        broker.close();
    }

    /** Starts the broker again, on the same ports and data, after {@link #stopBroker()}. */
    void startBroker() {
        broker = EmbeddedKafkaBroker.start(brokerDir, port, controllerPort);
    }

    void stopRegistry() {
        registry.close();
    }

    /** Starts the registry again, on the same port and data (its schemas and ids), after {@link #stopRegistry()}. */
    void startRegistry() {
        registry = RegistryServer.start(registryPort, registryDir);
    }

    @Override
    public void close() {
        registry.close();
        broker.close();
        // The broker's data is large and useless afterwards; the registry's and apps' logs stay.
        try {
            Utils.delete(brokerDir.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
