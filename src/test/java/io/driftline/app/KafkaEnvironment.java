package io.driftline.app;

import io.driftline.cli.Main;
import io.driftline.config.DriftlineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker and a real schema registry for one test class: register it with
 * {@code @RegisterExtension static final KafkaEnvironment environment = new KafkaEnvironment();}.
 *
 * <p>Where they run is chosen by one switch, the system property or environment variable
 * {@value #SWITCH} ({@code DRIFTLINE_IT_ENVIRONMENT}): {@code embedded} (default: the in-process
 * KRaft broker and the Apicurio registry) or {@code containers} (Kafka and Confluent Schema
 * Registry under Testcontainers). With {@code containers} and no Docker engine the test class is
 * skipped with the reason, never run on the embedded servers instead.
 */
final class KafkaEnvironment implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    static final String SWITCH = "driftline.it.environment";

    enum Kind { EMBEDDED, CONTAINERS }

    private Servers servers;
    Path dir;

    /** The switch's value; an unknown one fails every test that uses the environment rather than guessing. */
    static Kind selected() {
        String value = System.getProperty(SWITCH, "");
        if (value.isBlank()) {
            value = System.getenv().getOrDefault(SWITCH.toUpperCase(Locale.ROOT).replace('.', '_'), "");
        }
        if (value.isBlank()) {
            return Kind.EMBEDDED;
        }
        try {
            return Kind.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(SWITCH + "=" + value + ": expected embedded or containers");
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Kind kind = selected();
        if (kind == Kind.CONTAINERS && !ContainerServers.dockerAvailable()) {
            String reason = SWITCH + "=containers, but no Docker engine is reachable: "
                    + context.getDisplayName() + " skipped (unset the switch to run it on the embedded broker and registry)";
            System.err.println(reason);
            return ConditionEvaluationResult.disabled(reason);
        }
        return ConditionEvaluationResult.enabled(SWITCH + "=" + kind.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("driftline-it");
        servers = selected() == Kind.CONTAINERS ? new ContainerServers() : new EmbeddedServers(dir);
    }

    String bootstrapServers() {
        return servers.bootstrapServers();
    }

    String registryUrl() {
        return servers.registryUrl();
    }

    Infrastructure infrastructure() {
        return Infrastructure.existing(bootstrapServers(), registryUrl());
    }

    /**
     * The embedded servers, for a test that stops and restarts the broker or the registry on the
     * same address and data; skips the test in the containers environment, where a restarted
     * container gets new ports.
     */
    EmbeddedServers restartableServers() {
        Assumptions.assumeTrue(servers instanceof EmbeddedServers, () -> SWITCH + "=containers: restarting a server "
                + "on the same address and data needs the embedded servers; skipped");
        return (EmbeddedServers) servers;
    }

    /**
     * Driftline as an operator runs it, {@code driftline run} in its own JVM against this broker and
     * registry, with {@code config}'s settings; its output goes to {@code name}.out/.err in {@code logDir}.
     */
    Process startDriftline(DriftlineConfig config, Path logDir, String name) throws IOException {
        return startDriftline(config, logDir, name, List.of());
    }

    /** As {@link #startDriftline(DriftlineConfig, Path, String)}, with {@code jvmOptions} (e.g. a test hook's system property). */
    Process startDriftline(DriftlineConfig config, Path logDir, String name, List<String> jvmOptions)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "--bootstrap-servers", bootstrapServers(),
                "--registry-url", registryUrl(),
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
        if (servers != null) {
            servers.close();
        }
    }
}
