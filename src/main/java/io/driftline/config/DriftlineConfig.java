package io.driftline.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import io.driftline.learn.Adaptation;
import io.driftline.learn.FeatureDef;
import io.driftline.learn.ModelSettings;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Driftline's whole configuration, defined once: name, type, default, validator and doc together
 * (as Kafka's own {@code StreamsConfig}). Values come, in increasing precedence, from the defaults,
 * a properties file, {@code DRIFTLINE_*} environment variables and command-line overrides.
 *
 * <p>Keys that are not Driftline's own and start with a Kafka client prefix ({@code kafka.}) are
 * passed to the Kafka clients unchanged (without the prefix), e.g. {@code kafka.security.protocol}.
 * Keys starting with {@code schema.registry.} or {@code basic.auth.} / {@code bearer.auth.} are
 * passed to the registry serdes.
 */
public final class DriftlineConfig extends AbstractConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String APPLICATION_ID = "application.id";
    public static final String DATA_DIR = "data.dir";
    public static final String EMBEDDED_BROKER_PORT = "embedded.broker.port";
    public static final String EMBEDDED_CONTROLLER_PORT = "embedded.controller.port";
    public static final String EMBEDDED_REGISTRY_PORT = "embedded.registry.port";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String NUM_STANDBY_REPLICAS = "num.standby.replicas";
    public static final String TOPIC_PARTITIONS = "topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
    public static final String TOPIC_READINGS = "topic.readings";
    public static final String TOPIC_MAINTENANCE = "topic.maintenance";
    public static final String TOPIC_PREDICTIONS = "topic.predictions";
    public static final String TOPIC_ALERTS = "topic.alerts";
    public static final String TOPIC_DEAD_LETTER = "topic.dead.letter";
    public static final String MODEL_SCOPE = "model.scope";
    public static final String MACHINE_TYPES = "machine.types";
    public static final String LEARNER = "learner";
    public static final String ADAPTATION = "learner.adaptation";
    public static final String CLASSES = "classes";
    public static final String POSITIVE_CLASS = "positive.class";
    public static final String FEATURES = "features";
    public static final String CONCEPT_DRIFT_DELTA = "concept.drift.delta";
    public static final String DATA_DRIFT_DELTA = "data.drift.delta";
    public static final String DATA_DRIFT_WARMUP = "data.drift.warmup";
    public static final String EVALUATION_WINDOW = "evaluation.window";

    /** Prefix of pass-through Kafka client settings (security, tuning). */
    public static final String KAFKA_PREFIX = "kafka.";
    private static final String ENV_PREFIX = "DRIFTLINE_";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.STRING, "", Importance.HIGH,
                    "Kafka bootstrap servers. Empty: start an embedded KRaft broker on "
                            + "embedded.broker.port with its data under data.dir.")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, "", Importance.HIGH,
                    "Confluent-compatible schema registry URL(s), comma-separated. Empty: start the "
                            + "embedded registry on embedded.registry.port. mock://<scope> uses an "
                            + "in-memory registry (tests).")
            .define(APPLICATION_ID, Type.STRING, "driftline", Importance.HIGH,
                    "Kafka Streams application id: consumer group, prefix of internal topics, and "
                            + "the identity shared by all instances of one deployment.")
            .define(DATA_DIR, Type.STRING, "data", Importance.MEDIUM,
                    "Directory for local state: Kafka Streams state stores, and the embedded "
                            + "broker's and registry's data when they are used.")
            .define(EMBEDDED_BROKER_PORT, Type.INT, 9092, ConfigDef.Range.between(0, 65535),
                    Importance.LOW, "Client port of the embedded broker (0: any free port).")
            .define(EMBEDDED_CONTROLLER_PORT, Type.INT, 9093, ConfigDef.Range.between(0, 65535),
                    Importance.LOW, "KRaft controller port of the embedded broker (0: any free port).")
            .define(EMBEDDED_REGISTRY_PORT, Type.INT, 8081, ConfigDef.Range.between(0, 65535),
                    Importance.LOW, "Port of the embedded schema registry (0: any free port).")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
                    Importance.HIGH, "Kafka Streams processing guarantee. exactly_once_v2 keeps "
                            + "predictions, alerts and model state consistent across crashes.")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "How often Kafka Streams commits; dirty models are checkpointed at each commit.")
            .define(NUM_STREAM_THREADS, Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Stream threads per instance.")
            .define(NUM_STANDBY_REPLICAS, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Standby replicas of the model store kept warm on other instances.")
            .define(TOPIC_PARTITIONS, Type.INT, 4, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Partitions of the topics Driftline creates when they are missing.")
            .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) 1, Importance.MEDIUM,
                    "Replication factor of the topics Driftline creates and of its internal topics.")
            .define(TOPIC_READINGS, Type.STRING, "sensor-readings", Importance.MEDIUM,
                    "Input: SensorReading records keyed by device id.")
            .define(TOPIC_MAINTENANCE, Type.STRING, "maintenance-events", Importance.MEDIUM,
                    "Input: MaintenanceEvent records keyed by device id.")
            .define(TOPIC_PREDICTIONS, Type.STRING, "predictions", Importance.MEDIUM,
                    "Output: one Prediction per reading, keyed by device id.")
            .define(TOPIC_ALERTS, Type.STRING, "alerts", Importance.MEDIUM,
                    "Output: Alert records keyed by model key.")
            .define(TOPIC_DEAD_LETTER, Type.STRING, "driftline-dlq", Importance.MEDIUM,
                    "Output: input records that could not be processed, unchanged, with the reason "
                            + "and source coordinates in headers.")
            .define(MODEL_SCOPE, Type.STRING, ModelScope.MACHINE_TYPE.configValue(),
                    ValidString.in(ModelScope.configValues()), Importance.HIGH,
                    "Which readings share a model: device, machine-type or fleet.")
            .define(MACHINE_TYPES, Type.LIST, List.of("L", "M", "H"), Importance.MEDIUM,
                    "Known machine types; a reading of another type goes to the dead-letter topic.")
            .define(LEARNER, Type.STRING, "trees.HoeffdingTree", new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "MOA classifier as a MOA CLI spec, e.g. trees.HoeffdingTree or "
                            + "trees.HoeffdingAdaptiveTree -l NBAdaptive.")
            .define(ADAPTATION, Type.STRING, "reset", ValidString.in("reset", "none"), Importance.MEDIUM,
                    "reset: replace the learner by a fresh one when concept drift is detected, as "
                            + "MOA's DriftDetectionMethodClassifier with ADWINChangeDetector does; none: "
                            + "report drift and keep the learner "
                            + "(e.g. for learners that adapt by themselves such as "
                            + "HoeffdingAdaptiveTree, or to reproduce plain MOA figures).")
            .define(CLASSES, Type.LIST, List.of("normal", "failure"), Importance.MEDIUM,
                    "Class values in order (the MOA class attribute). A label outside this list "
                            + "goes to the dead-letter topic.")
            .define(POSITIVE_CLASS, Type.STRING, "failure", Importance.MEDIUM,
                    "The class whose probability is published as failureProbability.")
            .define(FEATURES, Type.LIST, List.of(), Importance.LOW,
                    "Declared features in order: name for a numeric sensor, name:{a|b|c} for a "
                            + "nominal attribute. Empty: features are learned on first sight, in "
                            + "name order, and grow as new sensors appear.")
            .define(CONCEPT_DRIFT_DELTA, Type.DOUBLE, 0.002, ConfigDef.Range.between(1e-9, 1.0),
                    Importance.LOW, "ADWIN confidence on each model's 0/1 error stream.")
            .define(DATA_DRIFT_DELTA, Type.DOUBLE, 0.002, ConfigDef.Range.between(1e-9, 1.0),
                    Importance.LOW, "ADWIN confidence on each sensor's normalised values.")
            .define(DATA_DRIFT_WARMUP, Type.INT, 500, ConfigDef.Range.atLeast(2), Importance.LOW,
                    "Readings per sensor used to fix the normalisation before data-drift detection.")
            .define(EVALUATION_WINDOW, Type.INT, 1000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Width of the sliding-window accuracy and kappa.");

    public DriftlineConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        if (!getList(CLASSES).contains(getString(POSITIVE_CLASS))) {
            throw new ConfigException(POSITIVE_CLASS, getString(POSITIVE_CLASS),
                    "must be one of " + CLASSES + " " + getList(CLASSES));
        }
    }

    /**
     * Loads the layers in precedence order: defaults, then {@code file} (may be null), then the
     * environment, then {@code overrides} (command-line flags).
     */
    public static DriftlineConfig load(Path file, Map<String, String> environment,
                                       Map<String, ?> overrides) {
        Map<String, Object> merged = new HashMap<>();
        if (file != null) {
            merged.putAll(readProperties(file));
        }
        merged.putAll(fromEnvironment(environment));
        merged.putAll(overrides);
        return new DriftlineConfig(merged);
    }

    /** {@code DRIFTLINE_BOOTSTRAP_SERVERS} becomes {@code bootstrap.servers}. */
    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> result = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                result.put(key, value);
            }
        });
        return result;
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration file " + file, e);
        }
        Map<String, String> result = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> result.put(name, properties.getProperty(name)));
        return result;
    }

    /** The definition, for documentation (README's table is generated from it). */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    public boolean embeddedBroker() {
        return getString(BOOTSTRAP_SERVERS).isBlank();
    }

    public boolean embeddedRegistry() {
        return getString(SCHEMA_REGISTRY_URL).isBlank();
    }

    /** The configured bootstrap servers, or the address of the embedded broker a {@code run} starts. */
    public String bootstrapServersToConnect() {
        return embeddedBroker() ? "127.0.0.1:" + getInt(EMBEDDED_BROKER_PORT) : getString(BOOTSTRAP_SERVERS);
    }

    /** The configured registry, or the address of the embedded registry a {@code run} starts. */
    public String registryUrlToConnect() {
        return embeddedRegistry()
                ? "http://127.0.0.1:" + getInt(EMBEDDED_REGISTRY_PORT) + "/apis/ccompat/v7"
                : getString(SCHEMA_REGISTRY_URL);
    }

    public Path dataDir() {
        return Path.of(getString(DATA_DIR));
    }

    public ModelScope modelScope() {
        return ModelScope.fromConfigValue(getString(MODEL_SCOPE));
    }

    /** What every model is created with. */
    public ModelSettings modelSettings() {
        return new ModelSettings(
                getString(LEARNER),
                getList(CLASSES),
                getString(POSITIVE_CLASS),
                getList(FEATURES).stream().map(DriftlineConfig::parseFeature).toList(),
                getString(ADAPTATION).equals("reset") ? Adaptation.RESET_ON_DRIFT : Adaptation.NONE,
                getDouble(CONCEPT_DRIFT_DELTA),
                getDouble(DATA_DRIFT_DELTA),
                getInt(DATA_DRIFT_WARMUP),
                getInt(EVALUATION_WINDOW));
    }

    /** {@code temperature} is numeric; {@code firmware:{v1|v2}} is nominal with values v1, v2 in that order. */
    static FeatureDef parseFeature(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            return FeatureDef.numeric(spec.trim());
        }
        String domain = spec.substring(colon + 1).trim();
        if (!domain.startsWith("{") || !domain.endsWith("}") || domain.length() < 3) {
            throw new ConfigException(FEATURES, spec, "a nominal feature is written name:{a|b|c}");
        }
        List<String> values = List.of(domain.substring(1, domain.length() - 1).split("\\|"));
        return FeatureDef.nominal(spec.substring(0, colon).trim(), values);
    }

    /** Writes {@code features} back in the syntax {@link #parseFeature} reads. */
    public static String featureSpec(List<FeatureDef> features) {
        return features.stream()
                .map(feature -> feature.isNominal()
                        ? feature.name() + ":{" + String.join("|", feature.nominalValues()) + "}"
                        : feature.name())
                .collect(Collectors.joining(","));
    }

    /** Pass-through Kafka client settings, prefix removed. */
    public Map<String, Object> kafkaClientOverrides() {
        Map<String, Object> result = new HashMap<>();
        originalsWithPrefix(KAFKA_PREFIX).forEach((key, value) ->
                result.put(key, value instanceof Password password ? password.value() : value));
        return result;
    }

    /** Settings for the registry serdes: the URL plus any registry/auth keys given. */
    public Map<String, Object> registryClientSettings(String registryUrl) {
        Map<String, Object> result = new HashMap<>();
        originals().forEach((key, value) -> {
            if (key.startsWith("schema.registry.") || key.startsWith("basic.auth.")
                    || key.startsWith("bearer.auth.") || key.equals("auto.register.schemas")) {
                result.put(key, value);
            }
        });
        result.put(SCHEMA_REGISTRY_URL, registryUrl);
        return result;
    }

    /** The same configuration with {@code overrides} applied on top. */
    public DriftlineConfig with(Map<String, ?> overrides) {
        Map<String, Object> merged = new HashMap<>(originals());
        merged.putAll(overrides);
        return new DriftlineConfig(merged);
    }
}
