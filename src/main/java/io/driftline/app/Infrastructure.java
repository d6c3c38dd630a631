package io.driftline.app;

import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.EmbeddedKafkaBroker;
import io.driftline.registry.AvroSerdeConfig;
import io.driftline.registry.RegistryServer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka cluster and schema registry Driftline talks to: the configured ones, or embedded ones
 * started here when none are configured. Closing stops only what was started here.
 */
public final class Infrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    private final String bootstrapServers;
    private final String registryUrl;
    private final Map<String, Object> kafkaClientOverrides;
    private final Deque<AutoCloseable> started;

    private Infrastructure(String bootstrapServers, String registryUrl, Map<String, Object> kafkaClientOverrides,
                           Deque<AutoCloseable> started) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.kafkaClientOverrides = kafkaClientOverrides;
        this.started = started;
    }

    /** Connects to what {@code config} names and starts embedded servers for what it leaves empty. */
    public static Infrastructure start(DriftlineConfig config) {
        log.info("Starting with {}", config);
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            String bootstrap = config.getString(DriftlineConfig.BOOTSTRAP_SERVERS);
            if (config.embeddedBroker()) {
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config.dataDir().resolve("kafka"),
                        config.getInt(DriftlineConfig.EMBEDDED_BROKER_PORT),
                        config.getInt(DriftlineConfig.EMBEDDED_CONTROLLER_PORT));
                started.push(broker);
                bootstrap = broker.bootstrapServers();
            }
            String registry = config.getString(DriftlineConfig.SCHEMA_REGISTRY_URL);
            if (config.embeddedRegistry()) {
                RegistryServer server = RegistryServer.start(config.getInt(DriftlineConfig.EMBEDDED_REGISTRY_PORT),
                        config.dataDir().resolve("registry"));
                started.push(server);
                registry = server.url();
            }
            Infrastructure infrastructure = new Infrastructure(bootstrap, registry, config.kafkaClientOverrides(), started);
            log.info("{}", infrastructure);
            return infrastructure;
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /** Uses servers that already run (tests that manage their own broker and registry). */
    public static Infrastructure existing(String bootstrapServers, String registryUrl) {
        return existing(bootstrapServers, registryUrl, Map.of());
    }

    /** Uses servers that already run, with {@code kafkaClientOverrides} ({@code kafka.*} keys, prefix removed) for every client. */
    public static Infrastructure existing(String bootstrapServers, String registryUrl,
                                          Map<String, Object> kafkaClientOverrides) {
        return new Infrastructure(bootstrapServers, registryUrl, Map.copyOf(kafkaClientOverrides), new ArrayDeque<>());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** Settings every Kafka client needs: bootstrap servers and the pass-through security/tuning keys. */
    public Map<String, Object> clientSettings() {
        Map<String, Object> settings = new HashMap<>(kafkaClientOverrides);
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return settings;
    }

    /** Where Kafka and the registry are, registry credentials hidden: safe to log and print. */
    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers + ", schema registry at " + AvroSerdeConfig.mask(registryUrl);
    }

    @Override
    public void close() {
        closeAll(started);
    }

    private static void closeAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                log.warn("Error while stopping {}", next, e);
            }
        }
    }
}
