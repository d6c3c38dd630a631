package io.driftline.config;

import io.driftline.alert.RiskThresholds;
import io.driftline.drift.DataDriftSettings;
import io.driftline.drift.ErrorRateMonitor;
import io.driftline.features.RollingFeatures;
import io.driftline.label.LabelPolicy;
import io.driftline.learn.Adaptation;
import io.driftline.learn.AnomalyDetector;
import io.driftline.learn.FeatureDef;
import io.driftline.learn.Lifecycle;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.RemainingLife;
import io.driftline.tls.StoreFile;
import io.driftline.tls.TlsContexts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
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
    public static final String CHECKPOINT_CHUNK_BYTES = "checkpoint.chunk.bytes";
    public static final String MODEL_MAX_BYTES = "model.max.bytes";
    public static final String TOPIC_PARTITIONS = "topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
    public static final String TOPIC_READINGS = "topic.readings";
    public static final String TOPIC_MAINTENANCE = "topic.maintenance";
    public static final String TOPIC_PREDICTIONS = "topic.predictions";
    public static final String TOPIC_ALERTS = "topic.alerts";
    public static final String TOPIC_DEAD_LETTER = "topic.dead.letter";
    public static final String TOPIC_MODEL_STATUS = "topic.model.status";
    public static final String TOPIC_COMMANDS = "topic.commands";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_ADVERTISED_HOST = "http.advertised.host";
    public static final String HTTP_TOKEN = "http.token";
    public static final String HTTP_SSL_KEYSTORE_LOCATION = "http.ssl.keystore.location";
    public static final String HTTP_SSL_KEYSTORE_PASSWORD = "http.ssl.keystore.password";
    public static final String HTTP_SSL_KEYSTORE_TYPE = "http.ssl.keystore.type";
    public static final String HTTP_SSL_KEY_PASSWORD = "http.ssl.key.password";
    public static final String HTTP_SSL_TRUSTSTORE_LOCATION = "http.ssl.truststore.location";
    public static final String HTTP_SSL_TRUSTSTORE_PASSWORD = "http.ssl.truststore.password";
    public static final String HTTP_SSL_TRUSTSTORE_TYPE = "http.ssl.truststore.type";
    public static final String STATUS_INTERVAL_MS = "status.interval.ms";
    public static final String DATA_DRIFT_MIN_SHIFT = "data.drift.min.shift";
    public static final String DATA_DRIFT_EXCLUDE = "data.drift.exclude";
    public static final String CONCEPT_DRIFT_COOLDOWN = "concept.drift.cooldown";
    public static final String CONCEPT_DRIFT_MIN_INCREASE = "concept.drift.min.increase";
    public static final String CONCEPT_DRIFT_DETECTOR = "concept.drift.detector";
    public static final String CONCEPT_DRIFT_WARMUP = "concept.drift.warmup";
    public static final String CONCEPT_DRIFT_INPUT_SHIFT = "concept.drift.input.shift";
    public static final String MODEL_SCOPE = "model.scope";
    public static final String MACHINE_TYPES = "machine.types";
    public static final String LEARNER = "learner";
    public static final String ADAPTATION = "learner.adaptation";
    public static final String CHALLENGERS = "learner.challengers";
    public static final String PROMOTION_METRIC = "learner.promotion.metric";
    public static final String PROMOTION_MARGIN = "learner.promotion.margin";
    public static final String PROMOTION_MIN_LABELLED = "learner.promotion.min.labelled";
    public static final String VERSIONS_KEPT = "model.versions.kept";
    static final int MAX_CHALLENGERS = 5;
    public static final String CLASSES = "classes";
    public static final String POSITIVE_CLASS = "positive.class";
    public static final String FEATURES = "features";
    public static final String CONCEPT_DRIFT_DELTA = "concept.drift.delta";
    public static final String DATA_DRIFT_DELTA = "data.drift.delta";
    public static final String DATA_DRIFT_BASELINE_MS = "data.drift.baseline.ms";
    public static final String DATA_DRIFT_MIN_DEVICES = "data.drift.min.devices";
    public static final String EVALUATION_WINDOW = "evaluation.window";
    public static final String LABEL_HORIZON_MS = "label.horizon.ms";
    public static final String LABEL_GRACE_MS = "label.grace.ms";
    public static final String LABEL_MAX_PENDING = "label.max.pending";
    public static final String LABEL_PENDING_MARGIN_MS = "label.pending.margin.ms";
    public static final String LABEL_ON_REPAIR = "label.on.repair";
    public static final String LABEL_DELAY = "label.delay";
    public static final String FEATURE_WINDOW = "features.window";
    public static final String INPUT_MAX_CLOCK_SKEW_MS = "input.max.clock.skew.ms";
    public static final String ORDER_MAX_DELAY_MS = "order.max.delay.ms";
    public static final String RISK_THRESHOLDS = "risk.thresholds";
    public static final String ANOMALY_ENABLED = "anomaly.enabled";
    public static final String ANOMALY_DETECTOR = "anomaly.detector";
    public static final String ANOMALY_THRESHOLDS = "anomaly.thresholds";
    public static final String ANOMALY_WARMUP = "anomaly.warmup";
    public static final String RUL_ENABLED = "rul.enabled";
    public static final String RUL_LEARNER = "rul.learner";
    public static final String DEVICE_SILENCE_MS = "device.silence.ms";
    /** In per-machine-type lists, the entry for every type not listed. */
    public static final String ANY_TYPE = "*";

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
                    DriftlineConfig::requireExactlyOnce, Importance.HIGH,
                    "Kafka Streams processing guarantee; exactly_once_v2 is the only one accepted: it keeps "
                            + "predictions, alerts and model state consistent across crashes. at_least_once is "
                            + "refused at start-up (docs/reliability.md).")
            .define(COMMIT_INTERVAL_MS, Type.LONG, 100L, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "How often Kafka Streams commits; what changed of every model and device is written at each commit.")
            .define(NUM_STREAM_THREADS, Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Stream threads per instance.")
            .define(NUM_STANDBY_REPLICAS, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Standby replicas of the model store kept warm on other instances.")
            .define(CHECKPOINT_CHUNK_BYTES, Type.INT, 512 * 1024, ConfigDef.Range.atLeast(1024), Importance.LOW,
                    "Longest record written to a state changelog: a model snapshot or device checkpoint longer than "
                            + "this is split into chunks of this size, written in the same transaction; a model's journal "
                            + "since the last commit into segments no longer than this; a model bundle imported through "
                            + "the API into parts of this size on the commands topic. Keep it below the changelog's "
                            + "and the commands topic's max.message.bytes and the producer's max.request.size "
                            + "(1 MiB by default).")
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
            .define(TOPIC_MODEL_STATUS, Type.STRING, "model-status", Importance.LOW,
                    "Output: ModelStatus records keyed by model key (accuracy, kappa, drift counts, features).")
            .define(TOPIC_COMMANDS, Type.STRING, "driftline-commands", Importance.LOW,
                    "Input: ModelCommand records (e.g. reset) keyed by model key, written by the HTTP API.")
            .define(HTTP_HOST, Type.STRING, "127.0.0.1", Importance.MEDIUM,
                    "Address the HTTP API (health, metrics, models, dashboard) binds to. The default keeps it "
                            + "private to the machine; 0.0.0.0 exposes it (set http.token then).")
            .define(HTTP_PORT, Type.INT, 8080, ConfigDef.Range.between(-1, 65535), Importance.MEDIUM,
                    "Port of the HTTP API (0: any free port; -1: no HTTP API, and no interactive queries).")
            .define(HTTP_ADVERTISED_HOST, Type.STRING, "", Importance.MEDIUM,
                    "Host name other instances use to reach this one's HTTP API (Kafka Streams' application.server). "
                            + "Empty: http.host, or this machine's host name when http.host is 0.0.0.0.")
            .define(HTTP_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                    "Bearer token required by the HTTP API's write operations (model reset). Unset: write "
                            + "operations need no token, so keep http.host on loopback.")
            .define(HTTP_SSL_KEYSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM,
                    "Key store with the HTTP API's certificate and key. Set: the API serves HTTPS only (and instances "
                            + "forward model queries to each other over HTTPS); empty: plain HTTP.")
            .define(HTTP_SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of http.ssl.keystore.location.")
            .define(HTTP_SSL_KEYSTORE_TYPE, Type.STRING, "JKS", Importance.LOW,
                    "Type of the HTTP API's key store: JKS or PKCS12 (either reads both formats).")
            .define(HTTP_SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of the HTTP API's key in its key store; unset: the key store's password.")
            .define(HTTP_SSL_TRUSTSTORE_LOCATION, Type.STRING, "", Importance.MEDIUM,
                    "With HTTPS: the certificates trusted when this instance forwards a model query to another "
                            + "instance's API (e.g. the CA that signed their certificates); empty: the JVM's trust store.")
            .define(HTTP_SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                    "Password of http.ssl.truststore.location (optional for reading certificates).")
            .define(HTTP_SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW,
                    "Type of http.ssl.truststore.location: JKS or PKCS12.")
            .define(STATUS_INTERVAL_MS, Type.LONG, 5_000L, ConfigDef.Range.atLeast(100), Importance.LOW,
                    "How often (wall clock) the status of every model that changed is published.")
            .define(MODEL_SCOPE, Type.STRING, ModelScope.MACHINE_TYPE.configValue(),
                    ValidString.in(ModelScope.configValues()), Importance.HIGH,
                    "Which readings share a model: device, machine-type or fleet.")
            .define(MACHINE_TYPES, Type.LIST, List.of("L", "M", "H"), Importance.MEDIUM,
                    "Known machine types; a reading of another type goes to the dead-letter topic.")
            .define(LEARNER, Type.STRING, "trees.HoeffdingTree", new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "MOA classifier as a MOA CLI spec, e.g. trees.HoeffdingTree or "
                            + "trees.HoeffdingAdaptiveTree -l NBAdaptive. Shapes every model's state: a change resets "
                            + "each model once at the restart (MODEL_RESET naming it).")
            .define(ADAPTATION, Type.STRING, "reset", ValidString.in("reset", "background", "none"), Importance.MEDIUM,
                    "reset: replace the learner by a fresh one when concept drift is detected, as "
                            + "MOA's DriftDetectionMethodClassifier with ADWINChangeDetector does; background: "
                            + "while concept.drift.detector is in a warning zone a fresh learner trains beside the "
                            + "model, and replaces it when the drift is confirmed (MOA's DriftDetectionMethodClassifier "
                            + "with any detector; the same as reset with a detector that never warns, such as ADWIN); "
                            + "none: report drift and keep the learner "
                            + "(e.g. for learners that adapt by themselves such as "
                            + "HoeffdingAdaptiveTree, or to reproduce plain MOA figures).")
            .define(CHALLENGERS, Type.LIST, List.of(), Importance.MEDIUM,
                    "Up to " + MAX_CHALLENGERS + " MOA classifier specs (comma-separated, e.g. "
                            + "trees.HoeffdingAdaptiveTree,bayes.NaiveBayes) that learn beside each model on the same "
                            + "readings and are scored on the same delayed labels, each with its own prequential "
                            + "evaluation; only the serving model's (the champion's) predictions are published. A "
                            + "challenger that wins by the promotion rule, or that an operator promotes, serves from "
                            + "then on as the model key's next version.")
            .define(PROMOTION_METRIC, Type.STRING, "kappa",
                    ValidString.in("kappa", "window-kappa", "accuracy", "window-accuracy", "f1", "none"),
                    Importance.MEDIUM, "The prequential figure on which a challenger must beat the champion to be "
                            + "promoted: kappa (default: failures are rare, and accuracy rewards predicting none), "
                            + "window-kappa, accuracy, window-accuracy, f1 (of the positive class); none: only "
                            + "an operator promotes.")
            .define(PROMOTION_MARGIN, Type.DOUBLE, 2.0, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Points (percent) of learner.promotion.metric by which a challenger must lead the champion.")
            .define(PROMOTION_MIN_LABELLED, Type.LONG, 1_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Labelled readings on which both the champion and a challenger must have been scored before "
                            + "the challenger can be promoted by the rule.")
            .define(VERSIONS_KEPT, Type.INT, 3, ConfigDef.Range.between(0, 20), Importance.LOW,
                    "Retired versions of each model key kept frozen (learner and evaluation), so that "
                            + "POST /api/models/{key}/rollback can make one serve again; older ones keep only "
                            + "their history. Bounds a model's checkpoint to about this many times more models.")
            .define(CLASSES, Type.LIST, List.of("normal", "failure"), Importance.MEDIUM,
                    "Class values in order (the MOA class attribute). A label outside this list "
                            + "goes to the dead-letter topic. Shapes every model's state: a change (also of the order) "
                            + "resets each model once at the restart (MODEL_RESET naming it).")
            .define(POSITIVE_CLASS, Type.STRING, "failure", Importance.MEDIUM,
                    "The class whose probability is published as failureProbability.")
            .define(FEATURES, Type.LIST, List.of(), Importance.LOW,
                    "Declared features in order: name for a numeric sensor, name:{a|b|c} for a "
                            + "nominal attribute. Empty: features are learned on first sight, in "
                            + "name order, and grow as new sensors appear. Shapes every model's state: a change resets "
                            + "each model once at the restart (MODEL_RESET naming it).")
            .define(MODEL_MAX_BYTES, Type.LONG, 64L * 1024 * 1024, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Largest size of each learner a model holds, each on its own: the champion, each "
                            + "challenger, the background learner and the remaining-life regressor (its Java "
                            + "serialisation, measured on its own schedule of instances trained: about one measurement "
                            + "per eighth of growth). A larger Hoeffding tree stops growing (no more splits; its leaves "
                            + "keep learning), as MOA's own memory limit would with -z; any other learner starts afresh "
                            + "(a challenger with a new evaluation; the champion's evaluation and the regressor's "
                            + "figures go on). Either raises an alert naming the learner (MODEL_CAPPED, MODEL_RESET). "
                            + "0: unbounded. MOA's own limit (-m) never fires without the sizeofag agent. The anomaly "
                            + "detector's size is fixed by its options.")
            .define(CONCEPT_DRIFT_DETECTOR, Type.STRING, "ADWINChangeDetector", new ChangeDetectorSpec(),
                    Importance.LOW, "MOA change detector on each model's 0/1 error stream, as a MOA CLI spec: "
                            + "ADWINChangeDetector, DDM, EDDM, PageHinkleyDM, HDDM_A_Test, HDDM_W_Test, with options "
                            + "(e.g. DDM -n 30). DDM, EDDM and the HDDM tests also signal a warning zone, which "
                            + "learner.adaptation=background trains a new learner in. A change starts each model's "
                            + "detector afresh at the restart.")
            .define(CONCEPT_DRIFT_DELTA, Type.DOUBLE, 0.002, ConfigDef.Range.between(1e-9, 1.0),
                    Importance.LOW, "ADWIN confidence on each model's 0/1 error stream (ADWINChangeDetector's -a, "
                            + "unless concept.drift.detector sets it).")
            .define(CONCEPT_DRIFT_WARMUP, Type.INT, 1000, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Scored readings of a new model (fresh, or replaced at a drift or by model.max.bytes) during "
                            + "which no concept drift or warning is reported or acted on: a new model's error rate "
                            + "falls, and its early noise is no drift. 0 is MOA's behaviour.")
            .define(CONCEPT_DRIFT_COOLDOWN, Type.INT, 1000, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Scored readings after a concept drift during which no other is reported (or resets the "
                            + "model): while an error rate climbs ADWIN cuts every few dozen readings. 0 is MOA's "
                            + "behaviour.")
            .define(CONCEPT_DRIFT_MIN_INCREASE, Type.DOUBLE, 0.02, ConfigDef.Range.between(0, 1), Importance.LOW,
                    "Smallest rise of a model's error rate (absolute, e.g. 0.02 = 2 points) reported as concept "
                            + "drift, across ADWIN's cut (ADWINChangeDetector only: the other detectors carry their "
                            + "own thresholds in their spec). 0 is MOA's behaviour.")
            .define(CONCEPT_DRIFT_INPUT_SHIFT, Type.DOUBLE, 3.0, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "A DATA_DRIFT whose mean moved by at least this many normal spreads, on a sensor the "
                            + "model's Hoeffding tree splits on, is a concept drift too (cause INPUT_SHIFT): the "
                            + "tree's thresholds are in the sensor's old units, and a change confined to failures "
                            + "barely moves the error rate. Not during warm-up or cool-down. 0: off, as in MOA.")
            .define(DATA_DRIFT_DELTA, Type.DOUBLE, 0.002, ConfigDef.Range.between(1e-9, 1.0),
                    Importance.LOW, "ADWIN confidence on each sensor's deviations from its normal, across the "
                            + "model's devices.")
            .define(DATA_DRIFT_BASELINE_MS, Type.LONG, Duration.ofDays(1).toMillis(), ConfigDef.Range.atLeast(1),
                    Importance.LOW, "Event time, from a sensor's first reading in a model, over which its normal "
                            + "(mean and spread) is learnt before data drift is watched. A day or more learns a "
                            + "normal per hour of day (UTC), so that daily cycles are not drift; shorter pools "
                            + "all hours. Also how long a silent device still counts.")
            .define(DATA_DRIFT_MIN_SHIFT, Type.DOUBLE, 1.0, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Smallest shift of a sensor's mean deviation from normal across the model's devices, in "
                            + "normal standard deviations, reported as data drift: with many readings ADWIN "
                            + "finds shifts too small to matter.")
            .define(DATA_DRIFT_MIN_DEVICES, Type.INT, 3, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Devices whose own recent values must each have moved the same way (by at least half "
                            + "the minimum shift) for a shift to be reported: one machine degrading is not "
                            + "data drift.")
            .define(DATA_DRIFT_EXCLUDE, Type.LIST, List.of(), Importance.LOW,
                    "Sensors not watched for data drift, e.g. counters such as tool wear that drift by design.")
            .define(EVALUATION_WINDOW, Type.INT, 1000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Width of the sliding-window accuracy and kappa.")
            .define(LABEL_HORIZON_MS, Type.LONG, Duration.ofHours(24).toMillis(), ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM, "Delayed labels: a reading at time t is labelled failure when its device "
                            + "has a FAILURE event in (t, t + horizon], normal when the horizon passes without one.")
            .define(LABEL_GRACE_MS, Type.LONG, Duration.ofMinutes(5).toMillis(), ConfigDef.Range.atLeast(0),
                    Importance.LOW, "How late (event time) a reading or maintenance event may arrive and still be "
                            + "labelled correctly; later maintenance events go to the dead-letter topic (LATE_EVENT).")
            .define(INPUT_MAX_CLOCK_SKEW_MS, Type.LONG, Duration.ofMinutes(5).toMillis(), ConfigDef.Range.atLeast(0),
                    Importance.LOW, "How far in the future (event time against this machine's clock) a reading or "
                            + "maintenance event may be stamped; later ones go to the dead-letter topic (FUTURE_EVENT), "
                            + "so that one device with a wrong clock cannot move its stream time ahead.")
            .define(ORDER_MAX_DELAY_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0),
                    Importance.LOW, "Models get their inputs in event-time order across the device stage's "
                            + "partitions: the model stage holds an input back until every device-stage partition has "
                            + "passed its event time, except a partition that is idle (until it advances again): one "
                            + "that stands still read to its end (its committed offsets reached the end of its input, "
                            + "asked of the broker every commit interval) at once if live or without any input, after "
                            + "this long if replaying history; one with input left after this long if live, 12 times as "
                            + "long if replaying (wall clock, while its task runs; live: its latest input was less than "
                            + "this behind the wall clock). Bounds the tail of a replay whose partitions end at "
                            + "different times. 0 (the default): no ordering (inputs reach the models as they arrive, several "
                            + "partitions interleaved up to hours apart in a full-speed replay). Set it (e.g. 5000) for "
                            + "a replay or backfill of several partitions: it costs throughput, latency and bytes "
                            + "written (README).")
            .define(LABEL_MAX_PENDING, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Most unlabelled readings kept per device; beyond it the oldest is labelled normal early "
                            + "and counted (driftline_labels_resolved_total, cause EVICTED).")
            .define(LABEL_PENDING_MARGIN_MS, Type.LONG, Duration.ofHours(6).toMillis(), ConfigDef.Range.atLeast(0),
                    Importance.LOW, "How much longer than label.horizon.ms + label.grace.ms + "
                            + "input.max.clock.skew.ms a reading waiting for its label is kept from when it came, in "
                            + "event time as the newest readings of its task count it: a device may stop reporting, "
                            + "or fall further behind the newest readings of its task while its readings wait, by "
                            + "this long and still have every reading it had waiting trained on when it reports "
                            + "again (a steady lag costs nothing); readings that waited longer expire, "
                            + "untrained and counted (driftline_labels_resolved_total, cause EXPIRED). Costs disk "
                            + "only: the pending store and its changelog keep readings this much longer.")
            .define(LABEL_ON_REPAIR, Type.STRING, "censor", ValidString.in("censor", "negative"), Importance.LOW,
                    "What a REPAIR does to the device's readings still waiting for a label: censor drops them "
                            + "unlabelled (counted), negative labels them normal.")
            .define(LABEL_DELAY, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "In-band labels only: train on a reading's label K readings later (per model), as MOA's "
                            + "EvaluatePrequentialDelayed -k K does; predictions are scored at once.")
            .define(FEATURE_WINDOW, Type.LIST, List.of("*:10"), Importance.MEDIUM,
                    "Rolling features per device (mean, std, min, max, slope, delta of each sensor over its "
                            + "last N readings), as machineType:N; * for every other type; N = 0 disables them, "
                            + "at most 1048576. Shapes every model's state: a change (of any type's window) resets each "
                            + "model once at the restart (MODEL_RESET naming it), and the rolling features of the "
                            + "devices whose window changed start afresh.")
            .define(RISK_THRESHOLDS, Type.LIST, List.of("*:0.6:0.4:3"), Importance.MEDIUM,
                    "FAILURE_RISK alerts per machine type, as machineType:raise:clear:debounce: raised when the "
                            + "failure probability stays >= raise for debounce readings, cleared when it stays "
                            + "< clear as long; * for every other type.")
            .define(ANOMALY_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Score every reading with its model's unsupervised anomaly detector (Prediction.anomalyScore) "
                            + "and raise ANOMALY alert episodes; needs no label, so it works from the first reading.")
            .define(ANOMALY_DETECTOR, Type.STRING, "oneclass.HSTrees -t 10 -h 8", new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM, "The anomaly detector of each model, as a MOA one-class learner CLI spec "
                            + "(moa.classifiers.oneclass: HSTrees, Autoencoder, NearestNeighbourDescription). It sees "
                            + "the reading's sensors scaled into [0,1] by their z-scores against the model's running means (5 "
                            + "standard deviations either side span it). Sized for one "
                            + "detector per model key: 10 half-space trees of depth 8 hold about 140 KB of heap and "
                            + "20 KB of deflated snapshot (110 KB serialised) and add a few microseconds per reading; MOA's own "
                            + "defaults (25 trees of depth 15) about 45 MB of heap, 2 MB deflated (34 MB serialised) "
                            + "and 40 to 55 us. A change starts each model's detector afresh at the restart; the classifier "
                            + "is kept.")
            .define(ANOMALY_THRESHOLDS, Type.LIST, List.of("*:0.55:0.45:5"), Importance.MEDIUM,
                    "ANOMALY alerts per machine type, as machineType:raise:clear:debounce: raised when the "
                            + "anomaly score stays >= raise for debounce readings, cleared when it stays < clear as "
                            + "long (as risk.thresholds for FAILURE_RISK); * for every other type. The default is "
                            + "the measured knee on the simulated fleet: lower raises add episodes for little more "
                            + "lead time, higher ones lose lead time (README, Anomaly scores).")
            .define(ANOMALY_WARMUP, Type.LONG, 500L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Readings a model's anomaly detector learns before its scores count towards ANOMALY episodes "
                            + "(they are published from the first). HSTrees scores high until its reference mass "
                            + "holds a full window: two windows (-p, 250 by default) after its start.")
            .define(DEVICE_SILENCE_MS, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "A device of a model that has not reported for longer than this, in the model's stream time "
                            + "(the newest event time of its readings), raises DEVICE_SILENT once, and "
                            + "DEVICE_SILENT_CLEARED when it reports again. 0: off. Measured in event time, so a "
                            + "silence shows once the model's other devices report past it.")
            .define(RUL_ENABLED, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Learn each model's remaining useful life: a regressor of the time from a reading to its "
                            + "device's next FAILURE (Prediction.expectedTimeToFailureMs; prequential MAE, RMSE and R2 in "
                            + "model-status). Targets come from the maintenance events: a FAILURE within the horizon gives "
                            + "its readings their time to it; a reading whose horizon passes without one is censored at the "
                            + "horizon (its target is label.horizon.ms); a REPAIR censors (not trained on).")
            .define(RUL_LEARNER, Type.STRING, "trees.FIMTDD", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "The remaining-useful-life regressor of each model, as a MOA regressor CLI spec (trees.FIMTDD, "
                            + "rules.AMRulesRegressor, meta.AdaptiveRandomForestRegressor, any moa.classifiers.Regressor). "
                            + "A change starts each model's regressor afresh at the restart; the classifier is kept.");

    public DriftlineConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        if (!getList(CLASSES).contains(getString(POSITIVE_CLASS))) {
            throw new ConfigException(POSITIVE_CLASS, getString(POSITIVE_CLASS),
                    "must be one of " + CLASSES + " " + getList(CLASSES));
        }
        if (getBoolean(ANOMALY_ENABLED)) {
            try {
                AnomalyDetector.newLearner(getString(ANOMALY_DETECTOR));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ANOMALY_DETECTOR, getString(ANOMALY_DETECTOR), e.getMessage());
            }
        }
        if (getList(CHALLENGERS).size() > MAX_CHALLENGERS) {
            throw new ConfigException(CHALLENGERS, getList(CHALLENGERS), "at most " + MAX_CHALLENGERS + " challengers");
        }
        for (String challenger : getList(CHALLENGERS)) {
            try {
                OnlineModel.newLearner(challenger);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(CHALLENGERS, challenger, e.getMessage());
            }
        }
        if (getBoolean(RUL_ENABLED)) {
            try {
                RemainingLife.newRegressor(getString(RUL_LEARNER));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(RUL_LEARNER, getString(RUL_LEARNER), e.getMessage());
            }
        }
        pipeline();
        httpServerTls(); // reads the stores now rather than when the API starts
    }

    /** The HTTP API's TLS (its certificate), or null: it serves plain HTTP. */
    public SSLContext httpServerTls() {
        StoreFile keyStore = StoreFile.configured(this, HTTP_SSL_KEYSTORE_LOCATION, HTTP_SSL_KEYSTORE_PASSWORD,
                HTTP_SSL_KEYSTORE_TYPE);
        if (keyStore == null) {
            return null;
        }
        Password keyPassword = getPassword(HTTP_SSL_KEY_PASSWORD);
        return TlsContexts.create(keyStore, keyPassword == null ? null : keyPassword.value(), null);
    }

    /** With HTTPS, what this instance trusts when it forwards a query to another one; null with plain HTTP. */
    public SSLContext httpClientTls() {
        if (httpServerTls() == null) {
            return null;
        }
        return TlsContexts.create(null, null, StoreFile.configured(this, HTTP_SSL_TRUSTSTORE_LOCATION,
                HTTP_SSL_TRUSTSTORE_PASSWORD, HTTP_SSL_TRUSTSTORE_TYPE));
    }

    /**
     * Loads the layers in precedence order: defaults, then {@code file} (may be null), then the
     * environment, then {@code overrides} (command-line flags).
     */
    public static DriftlineConfig load(Path file, Map<String, String> environment,
                                       Map<String, ?> overrides) {
        return load(Map.of(), file, environment, overrides);
    }

    /** As {@link #load(Path, Map, Map)}, with a command's own defaults between Driftline's and the file's. */
    public static DriftlineConfig load(Map<String, ?> commandDefaults, Path file, Map<String, String> environment,
                                       Map<String, ?> overrides) {
        Map<String, Object> merged = new HashMap<>(commandDefaults);
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
                adaptation(getString(ADAPTATION)),
                getString(CONCEPT_DRIFT_DETECTOR),
                getDouble(CONCEPT_DRIFT_DELTA),
                getInt(CONCEPT_DRIFT_COOLDOWN),
                getDouble(CONCEPT_DRIFT_MIN_INCREASE),
                getInt(CONCEPT_DRIFT_WARMUP),
                getDouble(CONCEPT_DRIFT_INPUT_SHIFT),
                new DataDriftSettings(getDouble(DATA_DRIFT_DELTA), Duration.ofMillis(getLong(DATA_DRIFT_BASELINE_MS)),
                        getDouble(DATA_DRIFT_MIN_SHIFT), getInt(DATA_DRIFT_MIN_DEVICES),
                        Set.copyOf(getList(DATA_DRIFT_EXCLUDE))),
                getInt(EVALUATION_WINDOW),
                getLong(MODEL_MAX_BYTES),
                getBoolean(ANOMALY_ENABLED) ? getString(ANOMALY_DETECTOR) : "",
                getBoolean(RUL_ENABLED) ? getString(RUL_LEARNER) : "",
                new Lifecycle(getList(CHALLENGERS), new Lifecycle.Promotion(
                        Lifecycle.Promotion.Metric.fromConfigValue(getString(PROMOTION_METRIC)),
                        getDouble(PROMOTION_MARGIN), getLong(PROMOTION_MIN_LABELLED)), getInt(VERSIONS_KEPT)));
    }

    private static Adaptation adaptation(String configValue) {
        switch (configValue) {
            case "reset":
                return Adaptation.RESET_ON_DRIFT;
            case "background":
                return Adaptation.BACKGROUND;
            default:
                return Adaptation.NONE;
        }
    }

    /** A concept-drift detector spec MOA can build: a bad one fails start-up, naming MOA's complaint. */
    private static final class ChangeDetectorSpec implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                ErrorRateMonitor.newDetector((String) value, 0.002);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "a MOA ChangeDetector spec";
        }
    }

    /** Everything the topology's stages are built with, typed. */
    public PipelineSettings pipeline() {
        List<String> classes = getList(CLASSES);
        String positive = getString(POSITIVE_CLASS);
        return new PipelineSettings(
                modelScope(),
                Set.copyOf(getList(MACHINE_TYPES)),
                modelSettings(),
                new LabelPolicy(Duration.ofMillis(getLong(LABEL_HORIZON_MS)), Duration.ofMillis(getLong(LABEL_GRACE_MS)),
                        getInt(LABEL_MAX_PENDING), getString(LABEL_ON_REPAIR).equals("negative")
                                ? LabelPolicy.RepairPolicy.NEGATIVE : LabelPolicy.RepairPolicy.CENSOR),
                classes.stream().filter(c -> !c.equals(positive)).findFirst().orElseThrow(),
                getInt(LABEL_DELAY),
                perMachineType(FEATURE_WINDOW, value -> {
                    int window = Integer.parseInt(value);
                    if (window < 0 || window == 1 || window > RollingFeatures.MAX_WINDOW) {
                        throw new NumberFormatException("a window is 0 (off) or 2 to " + RollingFeatures.MAX_WINDOW
                                + " readings");
                    }
                    return window;
                }),
                perMachineType(RISK_THRESHOLDS, DriftlineConfig::parseThresholds),
                perMachineType(ANOMALY_THRESHOLDS, DriftlineConfig::parseThresholds),
                getLong(ANOMALY_WARMUP),
                getLong(DEVICE_SILENCE_MS),
                Duration.ofMillis(getLong(STATUS_INTERVAL_MS)),
                getInt(CHECKPOINT_CHUNK_BYTES),
                Duration.ofMillis(getLong(INPUT_MAX_CLOCK_SKEW_MS)),
                Duration.ofMillis(getLong(LABEL_PENDING_MARGIN_MS)),
                new InputOrder(getInt(TOPIC_PARTITIONS), Duration.ofMillis(getLong(ORDER_MAX_DELAY_MS))));
    }

    /** A raise:clear:debounce triple of {@link #RISK_THRESHOLDS} or {@link #ANOMALY_THRESHOLDS}. */
    private static RiskThresholds parseThresholds(String value) {
        String[] parts = value.split(":");
        if (parts.length != 3) {
            throw new NumberFormatException("expected raise:clear:debounce");
        }
        return new RiskThresholds(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                Integer.parseInt(parts[2]));
    }

    /**
     * Refuses every guarantee but exactly_once_v2. Under at_least_once the model stage's stores reach
     * their changelogs at different points (pending readings as written, device and model checkpoints
     * at commit) and a commit is atomic across none of them: after a crash a restored device can
     * list pending readings that are gone (the model stage then fails on the same record for ever),
     * and the readings replayed from the last committed offsets are learned a second time.
     */
    private static void requireExactlyOnce(String name, Object value) {
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(value)) {
            throw new ConfigException(name, value, "Driftline runs under " + StreamsConfig.EXACTLY_ONCE_V2
                    + " only: its model, device and pending-reading stores stay consistent with each other and "
                    + "with the committed offsets only inside Kafka transactions (see docs/reliability.md)");
        }
    }

    /** Parses a {@code machineType:value} list; {@code *} must be present and covers unlisted types. */
    private <T> PerMachineType<T> perMachineType(String key, Function<String, T> parse) {
        Map<String, T> values = new HashMap<>();
        for (String entry : getList(key)) {
            int colon = entry.indexOf(':');
            if (colon < 1) {
                throw new ConfigException(key, entry, "expected machineType:value");
            }
            try {
                values.put(entry.substring(0, colon).trim(), parse.apply(entry.substring(colon + 1).trim()));
            } catch (RuntimeException e) {
                throw new ConfigException(key, entry, e.getMessage());
            }
        }
        if (!values.containsKey(ANY_TYPE)) {
            throw new ConfigException(key, getList(key), "needs an entry for * (every other machine type)");
        }
        return new PerMachineType<>(values);
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

    /** Every Kafka client's settings for {@code bootstrapServersToConnect()}: bootstrap servers and the pass-through keys. */
    public Map<String, Object> kafkaClientSettings() {
        Map<String, Object> result = kafkaClientOverrides();
        result.put(BOOTSTRAP_SERVERS, bootstrapServersToConnect());
        return result;
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

    /** The settings given (defaults left out), sorted, secrets hidden ({@link SecretSettings}): safe to log. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        originals().forEach((key, value) -> shown.put(key, SecretSettings.shown(key, value)));
        return "DriftlineConfig" + shown;
    }

    /** The same configuration with {@code overrides} applied on top. */
    public DriftlineConfig with(Map<String, ?> overrides) {
        Map<String, Object> merged = new HashMap<>(originals());
        merged.putAll(overrides);
        return new DriftlineConfig(merged);
    }
}
