package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.driftline.alertquality.AlertEvent;
import io.driftline.alertquality.AlertWatch;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.drift.ConceptDrift;
import io.driftline.features.RollingFeatures;
import io.driftline.label.DeviceSilence;
import io.driftline.learn.FeatureVector;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.Learned;
import io.driftline.learn.Observation;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.Scored;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.Scenario;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model rebuilt from a snapshot and the journal of what was done to it since is the live model:
 * over 100,000 readings of the simulated fleet with rolling features, every kind of operation (test
 * then train, scores of held-back readings, delayed labels scored in prediction order), a sensor
 * that appears half-way, missing and non-finite values, and new nominal values; the anomaly
 * detector scores and learns every predicted reading, and the remaining-life regressor learns the
 * readings whose labels arrive later. Snapshots are made
 * as the store makes them in the background: decode the last one, replay the segments since, encode.
 * The model restored half-way then runs beside the live one and predicts exactly what it predicts,
 * and at the end the live, the restored and the follower model serialise to the same bytes.
 */
class ModelStateReplayTest {

    private static final int READINGS = 100_001;
    private static final int OPERATIONS_PER_COMMIT = 300;

    @Test
    void shouldTakeOnlyTheOperationsAfterTheJournalWasDiscarded() {
        PipelineSettings pipeline = new DriftlineConfig(Map.of()).pipeline();
        Workload workload = new Workload(pipeline);
        ModelState state = new ModelCheckpoints(pipeline).create();
        for (int i = 0; i < 100; i++) {
            workload.step(state, null);
        }
        state.discardJournal();
        assertThat(state.takeJournal(Integer.MAX_VALUE)).isEmpty();
        workload.step(state, null);
        assertThat(state.takeJournal(Integer.MAX_VALUE)).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"trees.HoeffdingTree", "trees.HoeffdingAdaptiveTree"})
    void shouldRebuildTheLiveModelExactlyFromItsSnapshotAndJournal(String learner) {
        PipelineSettings pipeline = new DriftlineConfig(Map.of(DriftlineConfig.LEARNER, learner,
                DriftlineConfig.FEATURE_WINDOW, "*:10", DriftlineConfig.RUL_ENABLED, true)).pipeline();
        ModelCheckpoints codec = new ModelCheckpoints(pipeline);
        Workload workload = new Workload(pipeline);
        ModelState live = codec.create();
        ModelState follower = null;
        byte[] snapshot = codec.encode(live);
        List<byte[]> segments = new ArrayList<>();
        long journalBytes = 0;
        int snapshots = 0;
        for (int i = 1; i <= READINGS; i++) {
            workload.step(live, follower);
            if (i % OPERATIONS_PER_COMMIT == 0) {
                // Small segments, so that many cuts are made.
                for (byte[] segment : live.takeJournal(8 * 1024)) {
                    segments.add(segment);
                    journalBytes += segment.length;
                }
                if (follower != null) {
                    follower.takeJournal(Integer.MAX_VALUE);
                }
                // Rarer than the store's snapshots, to keep the test quick; each is made as the store makes them.
                if (journalBytes >= 8L * snapshot.length) {
                    snapshot = codec.encode(restore(codec, snapshot, segments));
                    segments.clear();
                    journalBytes = 0;
                    snapshots++;
                }
                if (follower == null && i >= READINGS / 2) {
                    follower = restore(codec, snapshot, segments);
                }
            }
        }
        // The operations since the last commit, as the next commit would write them.
        segments.addAll(live.takeJournal(8 * 1024));
        follower.takeJournal(Integer.MAX_VALUE);
        ModelState restored = restore(codec, snapshot, segments);

        assertThat(snapshots).as("snapshots made from snapshot and journal").isGreaterThan(10);
        assertThat(workload.counts.values()).as("every kind of operation").allSatisfy(count -> assertThat(count)
                .isGreaterThan(1_000));
        assertThat(live.model().instancesTrained()).isGreaterThan(READINGS * 9L / 10);
        assertThat(workload.anomalyScores).as("distinct anomaly scores").hasSizeGreaterThan(1_000);
        assertThat(live.snapshot().remainingLife().instances()).as("remaining-life targets").isGreaterThan(20_000);
        byte[] expected = normalised(live.model());
        assertThat(normalised(restored.model())).isEqualTo(expected);
        assertThat(normalised(follower.model())).isEqualTo(expected);
        assertThat(restored.heldBack()).isEqualTo(live.heldBack()).isNotEmpty();
        assertThat(follower.heldBack()).isEqualTo(live.heldBack());
        assertSameSnapshot(restored, live);
    }

    /**
     * Under {@code learner.adaptation=background} a model holds a second learner while its detector is in
     * a warning zone, and swaps learners at a drift, both decided in the order of its operations (delayed
     * labels trained before their predictions are scored included): rebuilt from snapshot and journal
     * while a warning zone is open, after learners were swapped, it is the live model; and so are the
     * snapshots made from snapshot and journal along the way, some of them holding a background learner.
     */
    @Test
    void shouldRebuildABackgroundLearnerInAnOpenWarningZone() {
        PipelineSettings pipeline = new DriftlineConfig(Map.of(DriftlineConfig.ADAPTATION, "background",
                DriftlineConfig.CONCEPT_DRIFT_DETECTOR, "DDM -n 100", DriftlineConfig.CONCEPT_DRIFT_WARMUP, "0",
                DriftlineConfig.FEATURE_WINDOW, "*:10")).pipeline();
        ModelCheckpoints codec = new ModelCheckpoints(pipeline);
        Workload workload = new Workload(pipeline);
        ModelState live = codec.create();
        byte[] snapshot = codec.encode(live);
        List<byte[]> segments = new ArrayList<>();
        int readings = 0;
        int snapshotsWithBackground = 0;
        while (readings < READINGS && !(readings > READINGS / 3 && live.model().snapshot().conceptDrifts() > 0
                && live.model().inWarningZone() && live.model().backgroundTrained() > 10)) {
            workload.step(live, null);
            readings++;
            if (readings % OPERATIONS_PER_COMMIT == 0) {
                segments.addAll(live.takeJournal(8 * 1024));
                if (live.model().backgroundTrained() > 0 || readings % (20 * OPERATIONS_PER_COMMIT) == 0) {
                    ModelState rebuilt = restore(codec, snapshot, segments);
                    assertThat(normalised(rebuilt.model())).as("at reading %d", readings)
                            .isEqualTo(normalised(live.model()));
                    snapshotsWithBackground += rebuilt.model().backgroundTrained() > 0 ? 1 : 0;
                    snapshot = codec.encode(rebuilt);
                    segments.clear();
                }
            }
        }
        segments.addAll(live.takeJournal(8 * 1024));
        ModelState restored = restore(codec, snapshot, segments);

        assertThat(snapshotsWithBackground).as("snapshots holding a background learner").isPositive();
        assertThat(live.model().snapshot().conceptDrifts()).as("learners swapped").isPositive();
        assertThat(live.model().backgroundTrained()).as("a background learner in an open warning zone").isPositive();
        assertThat(restored.model().inWarningZone()).isTrue();
        assertThat(restored.model().backgroundTrained()).isEqualTo(live.model().backgroundTrained());
        assertThat(normalised(restored.model())).isEqualTo(normalised(live.model()));
        assertSameSnapshot(restored, live);
    }

    /**
     * Challengers, a promotion and a rollback: rebuilt from snapshots and journals (a new version is
     * snapshotted whole, as the store does with a replaced model), the model is the live one, with the
     * same challengers, evaluations and versions; and challengers' predictions journaled in format 3.
     */
    @Test
    void shouldRebuildChallengersAndVersionsAcrossAPromotionAndARollback() {
        PipelineSettings pipeline = new DriftlineConfig(Map.of(DriftlineConfig.FEATURE_WINDOW, "*:10",
                DriftlineConfig.CHALLENGERS, "bayes.NaiveBayes,trees.HoeffdingAdaptiveTree",
                DriftlineConfig.PROMOTION_METRIC, "none")).pipeline();
        ModelCheckpoints codec = new ModelCheckpoints(pipeline);
        Workload workload = new Workload(pipeline);
        ModelState live = codec.create();
        byte[] snapshot = codec.encode(live);
        List<byte[]> segments = new ArrayList<>();
        for (int i = 1; i <= 12_000; i++) {
            workload.step(live, null);
            if (i == 4_000) {
                live = live.promote("bayes.NaiveBayes", pipeline.model(), i, "test");
            } else if (i == 8_000) {
                live = live.rollBack(1, pipeline.model(), i, "test");
            }
            if (i == 4_000 || i == 8_000) {
                live.takeJournal(Integer.MAX_VALUE);
                snapshot = codec.encode(live);
                segments.clear();
            } else if (i % OPERATIONS_PER_COMMIT == 0) {
                segments.addAll(live.takeJournal(8 * 1024));
                if (i % (10 * OPERATIONS_PER_COMMIT) == 0) {
                    snapshot = codec.encode(restore(codec, snapshot, segments));
                    segments.clear();
                }
            }
        }
        segments.addAll(live.takeJournal(8 * 1024));
        assertThat(segments).allSatisfy(segment -> assertThat(segment[0]).isEqualTo(ModelJournal.VERSION));
        ModelState restored = restore(codec, snapshot, segments);

        assertThat(live.version()).isEqualTo(3);
        assertThat(live.model().championSpec()).isEqualTo("trees.HoeffdingTree");
        assertThat(live.snapshot().challengers()).hasSize(2)
                .allSatisfy(challenger -> assertThat(challenger.evaluation().instances()).isGreaterThan(1_000));
        assertThat(normalised(restored.model())).isEqualTo(normalised(live.model()));
        assertThat(restored.versionHistory()).isEqualTo(live.versionHistory());
        assertSameSnapshot(restored, live);
    }

    /** Segments written before challengers' predictions were journaled (format 2) still replay. */
    /**
     * Replayed observations are vectors, one layout per sequence of features for all the segments
     * replayed onto a state, equal to the live ones; one whose map held a feature as null stays a map
     * that holds it so (the feature space counts it as an invalid value, an absent slot it would not).
     */
    @Test
    void shouldReplayObservationsAsVectorsOnOneLayoutPerSequenceOfFeaturesAndNullFeaturesAsMaps() {
        ModelCheckpoints codec = new ModelCheckpoints(new DriftlineConfig(Map.of()).pipeline());
        ModelState live = codec.create();
        ModelState replayed = codec.decode(codec.encode(live));
        Map<String, Double> withNull = new LinkedHashMap<>();
        withNull.put("torque", 3.0);
        withNull.put("gauge", null);
        List<Observation> observations = List.of(observation("torque", 1.0, "speed", 2.0),
                new Observation(withNull, Map.of()), observation("speed", 4.0, "torque", Double.NaN),
                observation("torque", 5.0, "speed", 6.0));
        ReplayLayouts layouts = new ReplayLayouts();
        for (Observation observation : observations) {
            live.holdBack(observation, "ok");
            live.takeJournal(Integer.MAX_VALUE).forEach(segment -> replayed.replay(segment, layouts));
        }

        List<LabelledObservation> heldBack = replayed.heldBack();
        assertThat(heldBack).isEqualTo(live.heldBack());
        assertThat(heldBack.get(1).observation().numeric()).isNotInstanceOf(FeatureVector.class).containsEntry("gauge", null);
        List<FeatureVector> vectors = List.of(vector(heldBack.get(0)), vector(heldBack.get(2)), vector(heldBack.get(3)));
        assertThat(vectors.get(0).layout()).isSameAs(vectors.get(2).layout()).isNotSameAs(vectors.get(1).layout());
        assertThat(vectors.get(1).keySet()).containsExactly("speed", "torque");
        assertThat(layouts.size()).isEqualTo(2);
    }

    private static Observation observation(String first, double firstValue, String second, double secondValue) {
        Map<String, Double> numeric = new LinkedHashMap<>();
        numeric.put(first, firstValue);
        numeric.put(second, secondValue);
        return new Observation(numeric, Map.of("firmware", "v1"));
    }

    private static FeatureVector vector(LabelledObservation held) {
        assertThat(held.observation().numeric()).isInstanceOf(FeatureVector.class);
        return (FeatureVector) held.observation().numeric();
    }

    @Test
    void shouldReplayAJournalSegmentOfTheFormatBeforeChallengers() {
        ModelCheckpoints codec = new ModelCheckpoints(new DriftlineConfig(Map.of()).pipeline());
        ModelState live = codec.create();
        live.score("failure", new Scored("normal", 0, new double[] {1, 0}, 0, 0, List.of(), null, null));
        byte[] current = live.takeJournal(Integer.MAX_VALUE).get(0);
        // Format 2 wrote the same operation without the count of slots (0) that ends it now.
        byte[] before = Arrays.copyOf(current, current.length - 1);
        before[0] = ModelJournal.PREVIOUS_VERSION;

        ModelState replayed = codec.create();
        replayed.replay(before, new ReplayLayouts());

        assertThat(current[0]).isEqualTo(ModelJournal.VERSION);
        assertThat(current[current.length - 1]).isZero();
        assertThat(replayed.snapshot().evaluation().confusion()).isDeepEqualTo(live.snapshot().evaluation().confusion())
                .isDeepEqualTo(new long[][] {{0, 0}, {1, 0}});
    }

    /** Each detector's classes pass the snapshot's allow-list, and its state survives the round trip. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ADWINChangeDetector", "DDM", "EDDM", "PageHinkleyDM", "HDDM_A_Test", "HDDM_W_Test"})
    void shouldReadBackAModelWatchedByEachDetector(String detector) {
        PipelineSettings pipeline = new DriftlineConfig(Map.of(DriftlineConfig.ADAPTATION, "background",
                DriftlineConfig.CONCEPT_DRIFT_DETECTOR, detector, DriftlineConfig.CONCEPT_DRIFT_WARMUP, "0")).pipeline();
        ModelCheckpoints codec = new ModelCheckpoints(pipeline);
        Workload workload = new Workload(pipeline);
        ModelState live = codec.create();
        for (int i = 0; i < 3_000; i++) {
            workload.step(live, null);
        }

        assertThat(normalised(codec.decode(codec.encode(live)).model())).isEqualTo(normalised(live.model()));
    }

    @Test
    void shouldReplayASegmentOfTheVersionBeforeAlertQualityAndRefuseAnUnknownOne() {
        PipelineSettings pipeline = new DriftlineConfig(Map.of()).pipeline();
        ModelCheckpoints codec = new ModelCheckpoints(pipeline);
        Workload workload = new Workload(pipeline);
        ModelState live = codec.create();
        byte[] snapshot = codec.encode(live);
        for (int i = 0; i < 50; i++) {
            workload.step(live, null);
        }
        // Version 2 wrote every operation but ALERT_QUALITY as version 3 does: the same segment without them.
        ModelState before = codec.create();
        for (int i = 0; i < 50; i++) {
            SensorReading reading = workload.nextReading();
            Observation observation = new Observation(reading.getSensors(), reading.getAttributes());
            before.predict(observation, reading.getSensors(), reading.getDeviceId(), reading.getEventTime().toEpochMilli());
        }
        byte[] version2 = before.takeJournal(Integer.MAX_VALUE).get(0);
        version2[0] = ModelJournal.PREVIOUS_VERSION;
        byte[] unknown = version2.clone();
        unknown[0] = ModelJournal.VERSION + 1;

        ModelState restored = restore(codec, snapshot, live.takeJournal(Integer.MAX_VALUE));
        codec.decode(snapshot).replay(version2, new ReplayLayouts());

        assertThat(restored.alertQuality()).isEqualTo(live.alertQuality()).isNotEmpty();
        assertThatThrownBy(() -> codec.decode(snapshot).replay(unknown, new ReplayLayouts()))
                .isInstanceOf(CheckpointCodec.CheckpointDecodingException.class).hasMessageContaining("reads 2 and 3");
    }

    /**
     * Settings changed since the snapshot: the segments after it are read past, operation by operation,
     * every kind of them, and only their alert-quality events are counted, onto the snapshot's, so the
     * key's next version has the live model's alert quality.
     */
    @Test
    void shouldCountTheAlertQualityOfEveryJournalSegmentWhenTheSettingsChanged() {
        PipelineSettings pipeline = new DriftlineConfig(Map.of(DriftlineConfig.RUL_ENABLED, true)).pipeline();
        PipelineSettings otherLearner = new DriftlineConfig(Map.of(DriftlineConfig.RUL_ENABLED, true,
                DriftlineConfig.LEARNER, "trees.HoeffdingAdaptiveTree")).pipeline();
        ModelCheckpoints codec = new ModelCheckpoints(pipeline);
        Workload workload = new Workload(pipeline);
        ModelState live = codec.create();
        for (int i = 0; i < 1_000; i++) {
            workload.step(live, null);
        }
        byte[] snapshot = codec.encode(live);
        live.takeJournal(Integer.MAX_VALUE);
        workload.counts.clear();
        List<byte[]> segments = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            workload.step(live, null);
            if (i % OPERATIONS_PER_COMMIT == 0) {
                segments.addAll(live.takeJournal(8 * 1024));
            }
        }
        segments.addAll(live.takeJournal(8 * 1024));

        ModelCheckpoints.SettingsChanged changed = catchThrowableOfType(ModelCheckpoints.SettingsChanged.class,
                () -> new ModelCheckpoints(otherLearner).decode(snapshot));
        segments.forEach(changed.retired()::replayAlertQuality);
        ModelState next = ModelState.afterSettingsChange(changed.retired(), otherLearner.model(), 0,
                changed.getMessage());

        assertThat(workload.counts).as("every kind of operation in the segments").hasSize(12)
                .allSatisfy((operation, count) -> assertThat(count).isPositive());
        assertThat(next.alertQuality()).isEqualTo(live.alertQuality()).isNotEmpty();
        assertThat(next.version()).isEqualTo(2);
    }

    /** The snapshot with the segments since replayed onto it: what a restore and a background snapshot build. */
    private static ModelState restore(ModelCheckpoints codec, byte[] snapshot, List<byte[]> segments) {
        ModelState state = codec.decode(snapshot);
        ReplayLayouts layouts = new ReplayLayouts();
        segments.forEach(segment -> state.replay(segment, layouts));
        return state;
    }

    /**
     * The model's serialisation after one round trip, with equal strings and boxed numbers as one
     * object each ({@link CanonicalSerialisation}). And a deserialised hash map's capacity depends only
     * on its size. Normalised so, models equal in content serialise equally. (The held-back readings are
     * compared by content: a replay holds them in insertion-ordered maps.)
     */
    private static byte[] normalised(OnlineModel model) {
        return CanonicalSerialisation.of(deserialise(CanonicalSerialisation.of(model)));
    }

    private static OnlineModel deserialise(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (OnlineModel) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The model stage's operations on a fleet model, applied to the live model and, once it exists, to
     * the follower, whose every answer must equal the live one's.
     */
    private static final class Workload {
        private final FleetSimulator fleet = new FleetSimulator(new FleetSimulator.Settings(40, 11,
                Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMinutes(1), 2.0, Duration.ofHours(2),
                Duration.ofHours(1), Scenario.RECALIBRATION, Duration.ofHours(30), Duration.ofHours(1)));
        private final PipelineSettings pipeline;
        private final Map<String, RollingFeatures> features = new HashMap<>();
        private final Deque<Waiting> waiting = new ArrayDeque<>();
        private final Map<String, Integer> counts = new HashMap<>();
        private final Set<Double> anomalyScores = new HashSet<>();
        private int readings;

        private record Waiting(Observation observation, String label, Scored scored, long time) {
        }

        Workload(PipelineSettings pipeline) {
            this.pipeline = pipeline;
        }

        void step(ModelState live, ModelState follower) {
            SensorReading reading = nextReading();
            readings++;
            long time = reading.getEventTime().toEpochMilli();
            Map<String, Double> sensors = new HashMap<>(reading.getSensors());
            if (readings > READINGS / 3) {
                sensors.put("vibration.extra", (double) (readings % 17));
            }
            if (readings % 97 == 0) {
                sensors.put("torque", Double.NaN);
            }
            // The device's vector, as the model stage gives it, or now and then a map of other values.
            Map<String, Double> vector = features.computeIfAbsent(reading.getDeviceId(), id -> new RollingFeatures(10))
                    .update(time, sensors);
            Map<String, Double> numeric = readings % 89 == 0 ? new HashMap<>(vector) : vector;
            if (readings % 89 == 0) {
                numeric.put("air_temperature", 1e300 * readings);
            }
            if (readings % 101 == 0) {
                sensors.put("gauge", null);
            }
            Map<String, String> nominal = new HashMap<>(reading.getAttributes());
            nominal.put("firmware", "v" + (readings / 20_000));
            Observation observation = new Observation(numeric, nominal);
            String label = reading.getLabel() != null ? reading.getLabel() : pipeline.negativeClass();

            if (readings % 4 == 1) {
                apply("trainHeldBack", live, follower, state -> {
                    state.trainHeldBack(3);
                    return state.heldBack().size();
                });
            }
            Scored scored = apply("predict", live, follower, state -> state.predict(observation, sensors, reading.getDeviceId(), time));
            anomalyScores.add(scored.anomaly().score());
            switch (readings % 4) {
                case 0 -> apply("learn", live, follower, state -> learned(state.learn(observation, label, scored)));
                case 1 -> {
                    apply("score", live, follower, state -> state.score(label, scored));
                    apply("holdBack", live, follower, state -> {
                        state.holdBack(observation, label);
                        return state.heldBack().size();
                    });
                }
                case 2 -> waiting.addLast(new Waiting(new Observation(new HashMap<>(numeric), nominal), label, scored,
                        time));
                default -> apply("learn a copy", live, follower, state -> learned(state.learn(
                        new Observation(new HashMap<>(numeric), new HashMap<>(nominal)), label, scored)));
            }
            if (readings % 10 == 0) {
                for (int i = 0; i < 3 && !waiting.isEmpty(); i++) {
                    Waiting due = waiting.removeFirst();
                    // Mostly this version's predictions; now and then one of an earlier version, or of none known.
                    long madeBy = readings % 70 == 0 ? 0 : readings % 110 == 0 ? DeviceState.PendingReading.UNKNOWN_VERSION
                            : 1;
                    apply("learnDeferred", live, follower, state -> {
                        state.learnDeferred(due.observation(), due.label(), due.scored(), due.time(), madeBy);
                        return state.model().deferredScores();
                    });
                    // A time to failure as the model stage derives it, capped at a horizon of an hour.
                    double target = Math.min(time - due.time() + (readings % 13) * 60_000.0, 3_600_000.0);
                    apply("learnRemainingLife", live, follower, state -> {
                        state.learnRemainingLife(due.observation(), target);
                        return state.model().expectedTimeToFailure(observation) + " " + state.snapshot().remainingLife();
                    });
                }
                List<ConceptDrift> drifts = apply("releaseScores", live, follower, state -> state.releaseScores(
                        reading.getDeviceId(), time, Duration.ofMinutes(2).toMillis(), Duration.ofMinutes(1).toMillis()));
                assertThat(drifts).isNotNull();
            }
            apply("heard", live, follower, state -> state.heard(reading.getDeviceId(), time,
                    Duration.ofMinutes(10).toMillis()));
            boolean failure = label.equals(pipeline.model().positiveClass());
            apply("alertQuality", live, follower, state -> {
                state.alertQuality(reading.getMachineType(), AlertEvent.scored(failure, scored.positiveProbability()));
                if (readings % 7 == 0) {
                    // Every other kind of event in turn, on every track in turn.
                    AlertEvent.Kind kind = AlertEvent.Kind.values()[1 + (int) (readings / 7 % (AlertEvent.Kind.values().length - 1))];
                    state.alertQuality(reading.getMachineType(), AlertEvent.of(kind, (int) (readings % AlertWatch.TRACKS),
                            kind == AlertEvent.Kind.OBSERVED ? Duration.ofDays(30).toMillis() : readings % 5 * 60_000L));
                }
                return readings % 1000 == 0 ? state.alertQuality() : null;
            });
            if (readings % 53 == 0) {
                apply("forgetDevice", live, follower, state -> {
                    state.forgetDevice(reading.getDeviceId());
                    return null;
                });
            }
        }

        SensorReading nextReading() {
            while (true) {
                if (fleet.next() instanceof FleetSimulator.Reading reading) {
                    return reading.reading();
                }
            }
        }

        private static String learned(Learned learned) {
            return learned.correct() + " " + learned.conceptDrift() + " " + learned.instancesTrained();
        }

        /** The operation on the live model and on the follower; their answers must be equal. */
        private <T> T apply(String name, ModelState live, ModelState follower, Function<ModelState, T> operation) {
            counts.merge(name, 1, Integer::sum);
            T result = operation.apply(live);
            if (follower != null) {
                T other = operation.apply(follower);
                if (result instanceof Scored scored) {
                    Scored followed = (Scored) other;
                    assertThat(followed.probabilities()).as("votes at reading %d", readings)
                            .containsExactly(scored.probabilities());
                    assertThat(Arrays.asList(followed.predictedIndex(), followed.modelVersion(), followed.dataDrifts(),
                            followed.anomaly())).isEqualTo(Arrays.asList(scored.predictedIndex(), scored.modelVersion(),
                            scored.dataDrifts(), scored.anomaly()));
                } else if (result instanceof Optional<?> || result instanceof List<?> || result instanceof String
                        || result instanceof Integer || result instanceof DeviceSilence.Heard) {
                    assertThat(other).as("%s at reading %d", name, readings).isEqualTo(result);
                }
            }
            return result;
        }
    }

    /**
     * Equal snapshots, but for the whole model's size: it is measured, not state (see
     * {@code learn/ModelSize}), and a restored model's may differ by a few bytes.
     */
    private static void assertSameSnapshot(ModelState actual, ModelState expected) {
        assertThat(actual.snapshot()).usingRecursiveComparison().ignoringFields("modelBytes")
                .withComparatorForType(Double::compare, Double.class).isEqualTo(expected.snapshot());
    }
}
