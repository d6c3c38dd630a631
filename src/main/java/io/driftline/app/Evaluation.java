package io.driftline.app;

import java.util.function.Function;
import java.util.function.Consumer;
import io.driftline.learn.FeatureDef;
import io.driftline.avro.SensorReading;
import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.Prediction;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.EvaluationSnapshot;
import io.driftline.learn.MoaStreams;
import io.driftline.learn.RegressionEvaluator;
import io.driftline.learn.RegressionFigures;
import io.driftline.learn.PrequentialEvaluator;
import io.driftline.sim.MoaReplay;
import io.driftline.sim.RecordPublisher;
import io.driftline.topology.Topic;
import io.driftline.topology.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Prequential evaluation of a learner on a MOA stream through the real topology: the stream is
 * replayed into Kafka, Driftline predicts and trains, and the figures are computed from what
 * Driftline published (the predictions topic, read committed) — so they measure the whole path,
 * not the learner alone. With one partition and one model they equal MOA's own
 * {@code EvaluatePrequential} on the same stream.
 */
public final class Evaluation {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private Evaluation() {
    }

    /** The outcome, as MOA prints it: accuracy and kappa in percent. */
    public record Result(long instances, double accuracy, double kappa, List<Long> conceptDrifts) {
    }

    /**
     * The configuration an evaluation runs with: one partition and one model so that the model
     * sees the stream in order, the stream's own classes and attributes declared so that the
     * MOA header is the generator's, and the learner and adaptation given.
     */
    public static DriftlineConfig configFor(DriftlineConfig base, MoaStreams.Source source, String learner,
                                            String adaptation) {
        List<String> classes = source.classes();
        Map<String, Object> overrides = batchRun(source.features());
        overrides.put(DriftlineConfig.CLASSES, String.join(",", classes));
        overrides.put(DriftlineConfig.POSITIVE_CLASS, classes.get(classes.size() - 1));
        overrides.put(DriftlineConfig.LEARNER, learner);
        overrides.put(DriftlineConfig.ADAPTATION, adaptation);
        // MOA's drift rule, unmodified.
        overrides.put(DriftlineConfig.CONCEPT_DRIFT_COOLDOWN, "0");
        overrides.put(DriftlineConfig.CONCEPT_DRIFT_MIN_INCREASE, "0");
        overrides.put(DriftlineConfig.CONCEPT_DRIFT_WARMUP, "0");
        overrides.put(DriftlineConfig.CONCEPT_DRIFT_INPUT_SHIFT, "0");
        return base.with(overrides);
    }

    /** A regression evaluation's outcome, as MOA's {@code BasicRegressionPerformanceEvaluator} computes it. */
    public record RegressionResult(long instances, double mae, double rmse, double r2) {
    }

    /**
     * The configuration a regression evaluation runs with: as {@link #configFor}, the remaining-life
     * regressor on with {@code learner}, the stream's attributes declared, anomaly scores off (they
     * change nothing the regressor sees, and cost time).
     */
    public static DriftlineConfig configForRegression(DriftlineConfig base, MoaStreams.RegressionSource source,
                                                      String learner) {
        Map<String, Object> overrides = batchRun(source.features());
        overrides.put(DriftlineConfig.RUL_ENABLED, "true");
        overrides.put(DriftlineConfig.RUL_LEARNER, learner);
        overrides.put(DriftlineConfig.ANOMALY_ENABLED, "false");
        return base.with(overrides);
    }

    /**
     * What every evaluation runs with: one partition and one model, so that the model sees the
     * stream in order, and the stream's attributes declared, so that the MOA header is the generator's.
     */
    private static Map<String, Object> batchRun(List<FeatureDef> features) {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(DriftlineConfig.APPLICATION_ID, "driftline-evaluate-" + UUID.randomUUID());
        overrides.put(DriftlineConfig.TOPIC_PARTITIONS, "1");
        overrides.put(DriftlineConfig.MODEL_SCOPE, "fleet");
        overrides.put(DriftlineConfig.MACHINE_TYPES, "L");
        overrides.put(DriftlineConfig.FEATURES, DriftlineConfig.featureSpec(features));
        // The generator's attributes only: rolling features would change what the learner sees.
        overrides.put(DriftlineConfig.FEATURE_WINDOW, "*:0");
        // A batch run: nobody queries it, and tests run several side by side.
        overrides.put(DriftlineConfig.HTTP_PORT, "-1");
        return overrides;
    }

    /**
     * Runs the topology, replays {@code instances} of the regression stream {@code streamSpec} with
     * in-band targets, and scores the published {@code expectedTimeToFailureMs} against them (a
     * prediction without one is not scored, as MOA does not score an empty prediction).
     */
    public static RegressionResult runRegression(DriftlineConfig config, Infrastructure infrastructure,
                                                 String streamSpec, long instances) throws InterruptedException {
        Map<Long, Double> targets = new HashMap<>();
        MoaReplay readings = MoaReplay.regression(MoaStreams.openRegression(streamSpec), instances, 1, "L",
                System::currentTimeMillis);
        return replay(config, infrastructure, readings, reading -> targets.put(reading.getSequence(),
                reading.getTarget()), topics -> {
            RegressionEvaluator evaluator = new RegressionEvaluator();
            for (Prediction prediction : readCommitted(infrastructure, topics.predictions(), targets.size())) {
                if (prediction.getExpectedTimeToFailureMs() != null) {
                    evaluator.add(targets.get(prediction.getSequence()), prediction.getExpectedTimeToFailureMs());
                }
            }
            RegressionFigures figures = evaluator.figures();
            return new RegressionResult(figures.instances(), figures.mae(), figures.rmse(), figures.r2());
        });
    }

    /** Runs the topology on {@code infrastructure}, replays {@code instances} of {@code streamSpec}, and scores the predictions. */
    public static Result run(DriftlineConfig config, Infrastructure infrastructure, String streamSpec, long instances)
            throws InterruptedException {
        MoaReplay readings = new MoaReplay(MoaStreams.open(streamSpec), instances, 1, "L", System::currentTimeMillis);
        return replay(config, infrastructure, readings, reading -> { }, topics -> score(
                config.getList(DriftlineConfig.CLASSES), readCommitted(infrastructure, topics.predictions(), instances),
                readCommitted(infrastructure, topics.alerts(), -1)));
    }

    /**
     * Starts the topology on {@code infrastructure}, publishes every reading of {@code readings}
     * (each shown to {@code published} first), and returns what {@code scoring} makes of the topics
     * while the topology still runs.
     */
    private static <T> T replay(DriftlineConfig config, Infrastructure infrastructure, MoaReplay readings,
                                Consumer<SensorReading> published, Function<Topics, T> scoring)
            throws InterruptedException {
        Topics topics = Topics.from(config, config.registryClientSettings(infrastructure.registryUrl()));
        try (DriftlineService service = DriftlineService.start(config, infrastructure)) {
            if (!service.awaitRunning(TIMEOUT)) {
                throw new IllegalStateException("Kafka Streams did not reach RUNNING within " + TIMEOUT);
            }
            try (RecordPublisher<String, SensorReading> publisher =
                         new RecordPublisher<>(infrastructure.clientSettings(), topics.readings(), 0)) {
                while (readings.hasNext()) {
                    SensorReading reading = readings.next();
                    published.accept(reading);
                    publisher.publish(reading.getDeviceId(), reading, reading.getEventTime().toEpochMilli());
                }
            }
            return scoring.apply(topics);
        }
    }

    static Result score(List<String> classes, List<Prediction> predictions, List<Alert> alerts) {
        PrequentialEvaluator evaluator = new PrequentialEvaluator(classes.size());
        for (Prediction prediction : predictions) {
            double[] votes = new double[classes.size()];
            votes[classes.indexOf(prediction.getPredictedClass())] = 1;
            evaluator.add(classes.indexOf(prediction.getLabel()), votes);
        }
        EvaluationSnapshot snapshot = evaluator.snapshot(classes);
        List<Long> drifts = new ArrayList<>();
        for (Alert alert : alerts) {
            if (alert.getKind() == AlertKind.CONCEPT_DRIFT) {
                drifts.add(Long.parseLong(alert.getDetails().get("instancesSeen")));
            }
        }
        return new Result(snapshot.instances(), snapshot.accuracy(), snapshot.kappa(), drifts);
    }

    /**
     * Reads {@code topic} from the beginning, committed records only: until {@code expected}
     * records arrived, or, when {@code expected} is negative, up to the current end.
     */
    static <V> List<V> readCommitted(Infrastructure infrastructure, Topic<String, V> topic, long expected) {
        Map<String, Object> settings = new HashMap<>(infrastructure.clientSettings());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<V> values = new ArrayList<>();
        Instant deadline = Instant.now().plus(TIMEOUT);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(settings, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = expected < 0 ? consumer.endOffsets(partitions) : Map.of();
            while (expected < 0 ? !reached(consumer, end) : values.size() < expected) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("only " + values.size() + " records on " + topic.name()
                            + " after " + TIMEOUT);
                }
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(entry -> consumer.position(entry.getKey()) >= entry.getValue());
    }
}
