package io.driftline.app;

import io.driftline.cli.Main;
import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.EmbeddedKafkaBroker;
import io.driftline.registry.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker and a real schema registry on free ports, for one test class: register it with
 * {@code @RegisterExtension static final KafkaEnvironment environment = new KafkaEnvironment();}.
 */
final class KafkaEnvironment implements BeforeAllCallback, AfterAllCallback {

    EmbeddedKafkaBroker broker;
    RegistryServer registry;
    Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("driftline-it");
        broker = EmbeddedKafkaBroker.startTemporary();
        registry = RegistryServer.start(0, dir.resolve("registry"));
    }

    Infrastructure infrastructure() {
        return Infrastructure.existing(broker.bootstrapServers(), registry.url());
    }

    /**
     * Driftline as an operator runs it, {@code driftline run} in its own JVM against this broker and
     * registry, with {@code config}'s settings; its output goes to {@code name}.out/.err in {@code logDir}.
     */
    Process startDriftline(DriftlineConfig config, Path logDir, String name) throws IOException {
        return startDriftline(config, broker.bootstrapServers(), registry.url(), logDir, name);
    }

    /** As {@link #startDriftline(DriftlineConfig, Path, String)}, against the given broker and registry. */
    static Process startDriftline(DriftlineConfig config, String bootstrapServers, String registryUrl, Path logDir,
                                  String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "--bootstrap-servers", bootstrapServers,
                "--registry-url", registryUrl,
                // A killed member leaves the group only when its session times out.
                "--set", "kafka.session.timeout.ms=6000", "--set", "kafka.heartbeat.interval.ms=1000"));
        Map<String, Object> settings = new HashMap<>(config.originals());
        settings.remove(DriftlineConfig.BOOTSTRAP_SERVERS);
        settings.remove(DriftlineConfig.SCHEMA_REGISTRY_URL);
        // Several instances on one machine: each its own HTTP port.
        settings.putIfAbsent(DriftlineConfig.HTTP_PORT, "0");
        settings.forEach((key, value) -> {
            command.add("--set");
            command.add(key + "=" + value);
        });
        return new ProcessBuilder(command)
                .redirectOutput(logDir.resolve(name + ".out").toFile())
                .redirectError(logDir.resolve(name + ".err").toFile())
                .start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        registry.close();
        broker.close();
    }
}
