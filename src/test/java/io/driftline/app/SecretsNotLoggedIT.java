package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.MoaStreams;
import io.driftline.topology.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Driftline starts with secrets configured (Kafka SSL passwords and a JAAS password that a
 * PLAINTEXT broker ignores, registry Basic credentials in the settings and in the URL, the store
 * passwords of the registry client and of the HTTP API), processes a
 * few readings and stops, with every logger at DEBUG: no log line, Kafka's own config dumps
 * included, contains any secret.
 */
class SecretsNotLoggedIT {

    private static final String STREAM = "generators.SEAGenerator -f 1";
    private static final int READINGS = 200;
    private static final String MARKER = "marker-" + UUID.randomUUID();
    private static final List<String> LOGGERS = List.of(Logger.ROOT_LOGGER_NAME, "org.apache.kafka", "kafka",
            "state.change.logger", "io.driftline");

    @RegisterExtension
    static final KafkaEnvironment environment = new KafkaEnvironment();

    @Test
    void shouldNeverLogASecret() throws Exception {
        Map<String, Object> secrets = new HashMap<>();
        secrets.put(DriftlineConfig.BOOTSTRAP_SERVERS, environment.bootstrapServers());
        secrets.put(DriftlineConfig.SCHEMA_REGISTRY_URL,
                environment.registryUrl().replaceFirst("//", "//driftline:" + MARKER + "@"));
        secrets.put("basic.auth.credentials.source", "USER_INFO");
        secrets.put("basic.auth.user.info", "driftline:" + MARKER);
        secrets.put("kafka.security.protocol", "PLAINTEXT");
        secrets.put("kafka.ssl.truststore.password", MARKER);
        secrets.put("kafka.ssl.keystore.password", MARKER);
        secrets.put("kafka.ssl.key.password", MARKER);
        secrets.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"driftline\" password=\"" + MARKER + "\";");
        secrets.put(DriftlineConfig.DATA_DIR, Files.createTempDirectory(environment.dir, "secrets").toString());
        secrets.put(DriftlineConfig.HTTP_PORT, "0");
        secrets.put(DriftlineConfig.HTTP_TOKEN, MARKER);
        // Store passwords without stores: read by nobody, logged by nobody.
        secrets.put("schema.registry.ssl.truststore.password", MARKER);
        secrets.put("schema.registry.ssl.keystore.password", MARKER);
        secrets.put("schema.registry.ssl.key.password", MARKER);
        secrets.put(DriftlineConfig.HTTP_SSL_KEYSTORE_PASSWORD, MARKER);
        secrets.put(DriftlineConfig.HTTP_SSL_KEY_PASSWORD, MARKER);
        secrets.put(DriftlineConfig.HTTP_SSL_TRUSTSTORE_PASSWORD, MARKER);
        DriftlineConfig config = Evaluation.configFor(new DriftlineConfig(secrets), MoaStreams.open(STREAM),
                "trees.HoeffdingTree", "none");

        List<ILoggingEvent> events = captureAtDebug(() -> {
            try (Infrastructure infrastructure = Infrastructure.start(config);
                 DriftlineService service = DriftlineService.start(config, infrastructure)) {
                assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
                Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
                Replays.publish(infrastructure, topics, STREAM, READINGS, 1);
                assertThat(Evaluation.readCommitted(infrastructure, topics.predictions(), READINGS)).hasSize(READINGS);
            }
        });

        List<String> lines = events.stream().map(SecretsNotLoggedIT::text).toList();
        assertThat(lines).as("the settings and Kafka's config dumps were logged")
                .anyMatch(line -> line.contains("Starting with DriftlineConfig{") && line.contains("[hidden]"))
                .anyMatch(line -> line.contains("schema registry at http://[hidden]@"))
                .anyMatch(line -> line.contains("StreamsConfig values"))
                .anyMatch(line -> line.contains("ProducerConfig values") && line.contains("ssl.truststore.password = [hidden]"))
                .anyMatch(line -> line.contains("ConsumerConfig values") && line.contains("sasl.jaas.config = [hidden]"))
                .anyMatch(line -> line.contains("AdminClientConfig values"));
        assertThat(lines).as("%d log lines", lines.size()).noneMatch(line -> line.contains(MARKER));
    }

    /** The message with its arguments, and the stack trace of any exception. */
    private static String text(ILoggingEvent event) {
        return event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Every log event {@code action} causes, with Driftline's and Kafka's loggers at DEBUG meanwhile. */
    private static List<ILoggingEvent> captureAtDebug(Action action) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Map<String, Level> levels = new HashMap<>();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        // The console would get tens of thousands of DEBUG lines: only the list gets them meanwhile.
        List<Appender<ILoggingEvent>> console = new ArrayList<>();
        root.iteratorForAppenders().forEachRemaining(console::add);
        console.forEach(root::detachAppender);
        root.addAppender(appender);
        for (String name : LOGGERS) {
            levels.put(name, context.getLogger(name).getLevel());
            context.getLogger(name).setLevel(Level.DEBUG);
        }
        try {
            action.run();
        } finally {
            levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
            root.detachAppender(appender);
            console.forEach(root::addAppender);
        }
        return List.copyOf(appender.list);
    }
}
