package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.driftline.alertquality.AlertEvent;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import io.driftline.state.CheckpointCodec.CheckpointDecodingException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Random;
import java.util.function.LongSupplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model store's durable form over a real Kafka Streams byte store: what each commit writes,
 * snapshots made in the background and installed by a later commit, and every restore equal to
 * the live model.
 */
class SnapshotJournalTest {

    private static final PipelineSettings SETTINGS = new DriftlineConfig(Map.of()).pipeline();
    private static final ModelCheckpoints CODEC = new ModelCheckpoints(SETTINGS);
    private static final PipelineSettings OTHER_LEARNER = new DriftlineConfig(Map.of(DriftlineConfig.LEARNER,
            "trees.HoeffdingAdaptiveTree")).pipeline();

    @TempDir
    Path stateDir;
    private KeyValueStore<Bytes, byte[]> inner;
    private CheckpointStore<ModelState> store;
    // The background thread, run by hand.
    private final Queue<Runnable> background = new ArrayDeque<>();
    private final List<Integer> written = new ArrayList<>();
    private final List<String> onStreamThread = new ArrayList<>();
    private final Random random = new Random(3);
    // Run once at the next range read of the inner store: a commit landing in the middle of a read.
    private Runnable beforeNextRange;
    // What the jobs' decoding and replay are measured by.
    private LongSupplier cpuClock = System::nanoTime;
    // How long a read waits for jobs that fell behind; these tests run the jobs by hand, on the test's thread.
    private Duration maxStall = Duration.ZERO;
    private final List<Long> stalls = new ArrayList<>();
    private final List<RestoreCost> restores = new ArrayList<>();
    private final List<RestoreCost> jobCosts = new ArrayList<>();
    // From which snapshot size a job starts from the copy the last one kept.
    private int shadowMinBytes = SnapshotJournal.SHADOW_MIN_BYTES;

    private void open(boolean persistent, int chunkBytes) {
        KeyValueBytesStoreSupplier supplier = persistent ? Stores.persistentKeyValueStore("models")
                : Stores.inMemoryKeyValueStore("models");
        inner = racing(Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled().withCachingDisabled().build());
        store = storeOver(CODEC, chunkBytes);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "snapshot-journal-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(props, new TaskId(0, 0),
                stateDir.toFile());
        store.init(context.getStateStoreContext(), store);
    }

    /** Opens the store with records of 512 KiB and puts a new model under "L", committed: its first snapshot. */
    private ModelState openWithANewModel(boolean persistent) {
        open(persistent, 512 * 1024);
        ModelState live = CODEC.create();
        store.put("L", live);
        store.flushCache();
        return live;
    }

    /** A model store over {@code inner} reading and writing snapshots with {@code codec}: an instance under its settings. */
    private CheckpointStore<ModelState> storeOver(ModelCheckpoints codec, int chunkBytes) {
        return new CheckpointStore<>(inner, bytes -> new SnapshotJournal(bytes, codec, chunkBytes, background::add,
                new DurabilityEvents() {
                    @Override
                    public void written(int bytes) {
                        written.add(bytes);
                    }

                    @Override
                    public void snapshotOnStreamThread(String key) {
                        onStreamThread.add(key);
                    }

                    @Override
                    public void stalled(long nanos) {
                        stalls.add(nanos);
                    }

                    @Override
                    public void restored(String key, RestoreCost cost) {
                        restores.add(cost);
                    }

                    @Override
                    public void snapshotJobMeasured(String key, RestoreCost cost) {
                        jobCosts.add(cost);
                    }
                }, cpuClock, maxStall, shadowMinBytes));
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @ParameterizedTest(name = "persistent={0}")
    @ValueSource(booleans = {false, true})
    void shouldWriteOnlyTheOperationsOfEachCommitAndRestoreTheLiveModelFromSnapshotAndJournal(boolean persistent) {
        ModelState live = openWithANewModel(persistent);
        int snapshot = written.get(0);
        written.clear();

        for (int commit = 0; commit < 5; commit++) {
            feed(live, 20);
            store.markDirty("L");
            store.flushCache();
        }

        assertThat(keys()).containsExactly("L", "L/J0", "L/J1", "L/J2", "L/J3", "L/J4");
        assertThat(written).hasSize(5).allSatisfy(bytes -> assertThat(bytes).isLessThan(snapshot));
        assertThat(background).as("the journal is still smaller than the snapshot").isEmpty();
        assertRestoresTo(live);
        assertSameSnapshot(store.checkpointed("L"), live);
        assertThat(store.checkpointedKeys()).containsExactly("L");
    }

    @ParameterizedTest(name = "persistent={0}")
    @ValueSource(booleans = {false, true})
    void shouldInstallASnapshotMadeInTheBackgroundAtTheNextCommitAndDeleteWhatItSupersedes(boolean persistent) {
        ModelState live = openWithANewModel(persistent);
        int covered = commitUntilASnapshotIsDue(live);

        // More commits while the job waits: the job covers only the segments written when it was submitted.
        feed(live, 50);
        store.markDirty("L");
        store.flushCache();
        assertThat(background).hasSize(1);
        int firstSnapshot = head().length();
        long coveredJournal = journalBytes() - written.get(written.size() - 1);
        background.poll().run();
        assertThat(keys()).as("nothing changes before the next commit").hasSize(2 + covered);
        feed(live, 50);
        store.markDirty("L");
        store.flushCache();

        assertThat(keys()).containsExactly("L", "L/J" + covered, "L/J" + (covered + 1));
        assertThat(head().generation()).isEqualTo(1);
        assertThat(head().firstSegment()).isEqualTo(covered);
        assertThat(jobCosts).as("what the job decoded and replayed, which sets the next snapshot's due")
                .singleElement().satisfies(cost -> {
                    assertThat(cost.snapshotBytes()).isEqualTo(firstSnapshot);
                    assertThat(cost.journalBytes()).isEqualTo(coveredJournal);
                });
        long journal = journalBytes();
        assertRestoresTo(live);
        assertThat(restores).as("what the restore decoded and replayed").singleElement().satisfies(cost -> {
            assertThat(cost.snapshotBytes()).isEqualTo(head().length());
            assertThat(cost.journalBytes()).isEqualTo(journal);
        });
    }

    @Test
    void shouldReadAgainWhenACommitReplacesTheSnapshotInTheMiddleOfAnInteractiveRead() {
        ModelState live = openWithANewModel(false);
        commitUntilASnapshotIsDue(live);
        background.poll().run();
        feed(live, 50);
        store.markDirty("L");
        // The read has the old head; the commit installs the new snapshot and deletes the segments the old head needs.
        beforeNextRange = store::flushCache;

        ModelState read = store.checkpointed("L");

        assertThat(beforeNextRange).as("the commit raced the read").isNull();
        assertThat(head().generation()).isEqualTo(1);
        assertSameSnapshot(read, live);
    }

    /**
     * Once the input stops, the commit that installs the last job's snapshot writes no segment after it:
     * the snapshot covers every segment, so a read that has the old head finds none of the segments it
     * needs, with no gap to tell it. It must read again, not return the old snapshot alone.
     */
    @Test
    void shouldReadAgainWhenACommitAfterTheInputStoppedInstallsASnapshotInTheMiddleOfAnInteractiveRead() {
        ModelState live = openWithANewModel(false);
        commitUntilASnapshotIsDue(live);
        background.poll().run();
        // The read has the old head; the commit installs the new snapshot and deletes every segment.
        beforeNextRange = store::flushCache;

        ModelState read = store.checkpointed("L");

        assertThat(beforeNextRange).as("the commit raced the read").isNull();
        assertThat(keys()).as("the new snapshot covers every segment").containsExactly("L");
        assertSameSnapshot(read, live);
    }

    @Test
    void shouldStartEachJobFromTheCopyTheLastOneKeptAndDecodeAfreshEveryFewJobs() {
        shadowMinBytes = 0;
        ModelState live = openWithANewModel(true);

        List<Long> journalCovered = new ArrayList<>();
        // Up to a job that starts from a kept copy after one that decoded afresh: the restore reads its snapshot.
        for (int job = 0; job <= SnapshotJournal.PLANNING_JOBS + 1; job++) {
            commitUntilASnapshotIsDue(live);
            journalCovered.add(journalBytes());
            background.poll().run();
            process(live, 10);
        }

        assertThat(jobCosts).hasSize(SnapshotJournal.PLANNING_JOBS + 2);
        for (int job = 0; job < jobCosts.size(); job++) {
            RestoreCost cost = jobCosts.get(job);
            assertThat(cost.journalBytes()).as("job %d replayed the journal it covers, no more", job)
                    .isEqualTo(journalCovered.get(job));
            if (job % SnapshotJournal.PLANNING_JOBS == 0) {
                assertThat(cost.snapshotBytes()).as("job %d decoded the snapshot", job).isPositive();
                assertThat(cost.decodeNanos()).isPositive();
            } else {
                assertThat(cost.snapshotBytes()).as("job %d started from the copy the one before kept", job).isZero();
                assertThat(cost.decodeNanos()).isZero();
            }
        }
        assertThat(head().generation()).isEqualTo(SnapshotJournal.PLANNING_JOBS + 2);
        assertRestoresTo(live);
    }

    @Test
    void shouldDecodeAfreshAfterTheCommitReplacedTheSnapshotTheKeptCopyWasOf() {
        shadowMinBytes = 0;
        ModelState live = openWithANewModel(true);
        commitUntilASnapshotIsDue(live);
        background.poll().run();
        process(live, 10);

        ModelState reset = CODEC.create();
        feed(reset, 3);
        store.put("L", reset);
        store.flushCache();
        commitUntilASnapshotIsDue(reset);
        background.poll().run();
        store.markDirty("L");
        store.flushCache();

        assertThat(jobCosts).hasSize(2).allSatisfy(cost -> assertThat(cost.snapshotBytes()).isPositive());
        assertRestoresTo(reset);
    }

    @Test
    void shouldDecodeEveryJobOfAModelWhoseSnapshotIsSmall() {
        ModelState live = openWithANewModel(true);
        for (int job = 0; job < 3; job++) {
            commitUntilASnapshotIsDue(live);
            background.poll().run();
            process(live, 10);
        }

        assertThat(head().length()).isLessThan(SnapshotJournal.SHADOW_MIN_BYTES);
        assertThat(jobCosts).hasSize(3).allSatisfy(cost -> assertThat(cost.snapshotBytes()).isPositive());
        assertRestoresTo(live);
    }

    @Test
    void shouldDropABackgroundSnapshotOfAModelThatWasReplacedMeanwhile() {
        ModelState live = openWithANewModel(true);
        commitUntilASnapshotIsDue(live);
        ModelState reset = CODEC.create();
        feed(reset, 3);
        store.put("L", reset);
        store.flushCache();
        background.poll().run();
        store.flushCache();

        assertThat(keys()).containsExactly("L");
        assertThat(head().generation()).as("the reset's snapshot, not the job's").isEqualTo(1);
        assertRestoresTo(reset);
    }

    @Test
    void shouldSnapshotTheLiveModelItselfWhenTheBackgroundFallsFarBehind() {
        ModelState live = openWithANewModel(true);
        int snapshot = written.get(0);
        commitUntilASnapshotIsDue(live);
        while (onStreamThread.isEmpty()) {
            assertThat(journalBytes()).as("a commit past the journal at which the read waits")
                    .isLessThan((long) (SnapshotJournal.FALLBACK_RATIO * snapshot) * 2);
            process(live, 50);
        }

        assertThat(stalls).as("the read waited for the job first").hasSize(1);
        assertThat(keys()).containsExactly("L");
        assertThat(onStreamThread).as("counted").containsExactly("L");
        assertRestoresTo(live);
        background.poll().run();
        store.flushCache();
        assertThat(keys()).as("the late job's snapshot is dropped").containsExactly("L");
        assertRestoresTo(live);
    }

    /**
     * A write stall: once the journal outgrows a job still running, the stream thread's next read
     * waits for the job, and the commit after installs its snapshot instead of making one itself.
     */
    @Test
    void shouldHoldTheStreamThreadUntilTheBackgroundCatchesUpInsteadOfSnapshottingOnIt() throws Exception {
        maxStall = Duration.ofMinutes(1);
        ModelState live = openWithANewModel(true);
        commitUntilASnapshotIsDue(live);
        Runnable job = background.poll();
        Thread streamThread = Thread.currentThread();
        Thread worker = new Thread(() -> {
            // The job runs only once the stream thread waits for it.
            while (streamThread.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            job.run();
        });
        worker.setDaemon(true);
        worker.start();

        while (stalls.isEmpty()) {
            assertThat(onStreamThread).as("no snapshot made on the stream thread before the wait").isEmpty();
            process(live, 50);
        }
        worker.join();

        assertThat(onStreamThread).as("no snapshot made on the stream thread").isEmpty();
        assertThat(head().generation()).as("the job's snapshot, installed by the commit after the wait").isEqualTo(1);
        assertThat(stalls.get(0)).isLessThan(maxStall.toNanos());
        assertRestoresTo(live);
    }

    @Test
    void shouldPlanTheNextSnapshotByWhatAJobMeasuredEvenWhenTheCommitSupersededIt() {
        ModelState live = CODEC.create();
        // Run at the job's last read of the clock, once its replay is done: the commits it loses the race to.
        Runnable[] afterReplay = new Runnable[1];
        // Each read of a snapshot looks at the clock three times; decoding takes a second, replaying a nanosecond.
        cpuClock = new LongSupplier() {
            private long calls;

            @Override
            public long getAsLong() {
                long call = calls++;
                if (call % 3 == 2 && afterReplay[0] != null) {
                    Runnable race = afterReplay[0];
                    afterReplay[0] = null;
                    race.run();
                }
                return call / 3 * 2_000_000_000L + Math.min(call % 3, 1) * 1_000_000_000L + call % 3 / 2;
            }
        };
        open(true, 512 * 1024);
        store.put("L", live);
        store.flushCache();
        commitUntilASnapshotIsDue(live);
        afterReplay[0] = () -> {
            while (onStreamThread.isEmpty()) {
                process(live, 50);
            }
        };
        background.poll().run();
        assertThat(onStreamThread).as("the commit snapshotted the live model while the job ran").isNotEmpty();
        store.flushCache();
        int snapshot = head().length();

        while (journalBytes() < SnapshotJournal.MAX_RATIO / 2 * snapshot) {
            assertThat(background).as("journal bytes %d, snapshot %d", journalBytes(), snapshot).isEmpty();
            feed(live, 50);
            store.markDirty("L");
            store.flushCache();
        }
        commitUntilASnapshotIsDue(live);

        assertThat(journalBytes()).as("replay measured as cheap: the most journal a snapshot may cover")
                .isGreaterThanOrEqualTo((long) (SnapshotJournal.MAX_RATIO * snapshot));
        assertRestoresTo(live);
    }

    @Test
    void shouldChunkALargeSnapshotAndReplaceItsChunksWithTheNext() {
        open(true, 1024);
        ModelState live = CODEC.create();
        feed(live, 3000);
        store.put("L", live);
        store.flushCache();
        List<String> first = keys();
        assertThat(first).contains("L", "L/S0.0", "L/S0.1").allSatisfy(key -> assertThat(key).doesNotContain("/J"));

        commitUntilASnapshotIsDue(live);
        background.poll().run();
        store.markDirty("L");
        store.flushCache();

        assertThat(keys()).contains("L", "L/S1.0").noneMatch(key -> key.startsWith("L/S0."));
        try (KeyValueIterator<Bytes, byte[]> all = inner.all()) {
            all.forEachRemaining(record -> assertThat(record.value.length).as(name(record.key))
                    .isLessThanOrEqualTo(1024 + 32));
        }
        assertRestoresTo(live);
    }

    @Test
    void shouldRefuseAMissingSegment() {
        ModelState live = openWithANewModel(true);
        for (int commit = 0; commit < 3; commit++) {
            feed(live, 10);
            store.markDirty("L");
            store.flushCache();
        }
        inner.delete(SnapshotJournal.segmentKey(raw("L"), 1));
        store.clearCache();

        assertThatThrownBy(() -> store.get("L")).isInstanceOf(CheckpointDecodingException.class)
                .hasMessageContaining("journal segment 1 of L is missing");
    }

    @Test
    void shouldReportACheckpointOfAnEarlierDriftlineAsLegacyAndDeleteItAndItsChunksWithTheNewSnapshot() {
        open(true, 512 * 1024);
        byte[] key = raw("L");
        // What Driftline wrote before: the head of a chunked Java-serialised state, and its chunks.
        inner.put(Bytes.wrap(key), CheckpointChunks.head(2, new byte[10]));
        inner.put(CheckpointChunks.chunkKey(key, 0), new byte[5]);
        inner.put(CheckpointChunks.chunkKey(key, 1), new byte[5]);
        inner.put(Bytes.wrap(raw("M")), new byte[] {ModelCheckpoints.LEGACY_VERSION, 1, 2});

        assertThatThrownBy(() -> store.get("L")).isInstanceOf(ModelCheckpoints.LegacyFormat.class);
        assertThatThrownBy(() -> store.get("M")).isInstanceOf(ModelCheckpoints.LegacyFormat.class)
                .hasMessageContaining("starts the model afresh");
        ModelState fresh = CODEC.create();
        store.put("L", fresh);
        store.flushCache();

        assertThat(keys()).containsExactly("L", "M");
        assertRestoresTo(fresh);
    }

    @Test
    void shouldResetAModelBuiltUnderOtherClassesLearnerOrFeatureWindowAndNameTheChange() {
        open(true, 512 * 1024);
        ModelState live = CODEC.create();
        feed(live, 100);
        byte[] snapshot = CODEC.encode(live);

        ModelCheckpoints otherClasses = new ModelCheckpoints(new DriftlineConfig(Map.of(DriftlineConfig.CLASSES,
                "failure,normal")).pipeline());
        ModelCheckpoints otherLearner = new ModelCheckpoints(new DriftlineConfig(Map.of(DriftlineConfig.LEARNER,
                "trees.HoeffdingAdaptiveTree", DriftlineConfig.FEATURE_WINDOW, "*:10,H:5")).pipeline());
        ModelCheckpoints otherDrift = new ModelCheckpoints(new DriftlineConfig(Map.of(
                DriftlineConfig.CONCEPT_DRIFT_DELTA, "0.5", DriftlineConfig.LABEL_HORIZON_MS, "60000",
                DriftlineConfig.EVALUATION_WINDOW, "10")).pipeline());

        assertThatThrownBy(() -> otherClasses.decode(snapshot)).isInstanceOf(ModelCheckpoints.SettingsChanged.class)
                .hasMessage("settings changed: classes changed from [normal, failure] to [failure, normal]");
        assertThatThrownBy(() -> otherLearner.decode(snapshot)).isInstanceOf(ModelCheckpoints.SettingsChanged.class)
                .hasMessageContaining("learner changed from 'trees.HoeffdingTree' to 'trees.HoeffdingAdaptiveTree'")
                .hasMessageContaining("features.window changed from");
        ModelState continued = otherDrift.decode(snapshot);
        assertThat(continued.snapshot().instancesTrained()).isEqualTo(live.snapshot().instancesTrained());
        assertThat(continued.snapshot().evaluation().window()).isEqualTo(10);
        assertThat(continued.snapshot().evaluation().windowAccuracy()).as("a new window, empty yet").isNaN();
        assertThat(continued.snapshot().evaluation().accuracy()).isEqualTo(live.snapshot().evaluation().accuracy());
    }

    /**
     * A settings change is found in the snapshot, before the model replays any segment (a replay needs
     * the settings the model was built under); only the segments' alert quality is counted. The key's
     * next version is written as a new snapshot, which deletes the old one's segments.
     */
    @Test
    void shouldFindASettingsChangeBeforeTheJournalAndDeleteTheSegmentsWithTheNextVersionsSnapshot() {
        ModelState live = settingsChangedWithSegments();

        ModelCheckpoints.SettingsChanged changed = catchThrowableOfType(ModelCheckpoints.SettingsChanged.class,
                () -> store.get("L"));
        ModelState next = ModelState.afterSettingsChange(changed.retired(), OTHER_LEARNER.model(), 0,
                changed.getMessage());
        store.put("L", next);
        store.flushCache();

        assertThat(changed.getMessage()).doesNotContain("cannot be read");
        assertThat(next.alertQuality()).isEqualTo(live.alertQuality()).isNotEmpty();
        assertThat(keys()).containsExactly("L");
        store.clearCache();
        assertThat(store.get("L").versionHistory()).isEqualTo(next.versionHistory())
                .extracting(ModelVersions.VersionInfo::version).containsExactly(1L, 2L);
    }

    /** A segment missing: the version history goes on, the alert quality cannot be counted whole and starts afresh. */
    @Test
    void shouldStartTheAlertQualityAfreshWhenASegmentOfAModelWhoseSettingsChangedIsMissing() {
        settingsChangedWithSegments();
        inner.delete(SnapshotJournal.segmentKey(raw("L"), 1));

        ModelCheckpoints.SettingsChanged changed = catchThrowableOfType(ModelCheckpoints.SettingsChanged.class,
                () -> store.get("L"));
        ModelState next = ModelState.afterSettingsChange(changed.retired(), OTHER_LEARNER.model(), 0,
                changed.getMessage());

        assertThat(changed.getMessage()).endsWith("; the model's alert quality cannot be read (journal segment 1 of L "
                + "is missing (2 follows 0)) and starts afresh");
        assertThat(next.alertQuality()).isEmpty();
        assertThat(next.version()).isEqualTo(2);
    }

    /**
     * A model written with three journal segments, each counting alert-quality events, and the store
     * reopened under another learner; returns the live model.
     */
    private ModelState settingsChangedWithSegments() {
        ModelState live = openWithANewModel(true);
        for (int commit = 0; commit < 3; commit++) {
            feed(live, 20);
            live.alertQuality("L", AlertEvent.scored(commit == 1, 0.2 * commit));
            store.markDirty("L");
            store.flushCache();
        }
        assertThat(keys()).containsExactly("L", "L/J0", "L/J1", "L/J2");
        store = storeOver(new ModelCheckpoints(OTHER_LEARNER), 512 * 1024);
        return live;
    }

    @Test
    void shouldRefuseAClassOutsideTheModelClassesWithoutRunningItsReadObject() {
        open(true, 512 * 1024);
        inner.put(Bytes.wrap(raw("L")), Planted.modelHead(SETTINGS, new ArrayList<>(List.of(new Planted.SideEffect()))));

        assertThatThrownBy(() -> store.get("L")).isInstanceOf(CheckpointDecodingException.class)
                .hasMessageContaining("class " + Planted.SideEffect.class.getName() + " is not one a model may hold");
        assertThat(Planted.SideEffect.ran()).isFalse();
    }

    /** Commits 50 more readings of {@code live} at a time until a background snapshot is due; returns the commits. */
    private int commitUntilASnapshotIsDue(ModelState live) {
        int commits = 0;
        while (background.isEmpty()) {
            feed(live, 50);
            store.markDirty("L");
            store.flushCache();
            commits++;
        }
        return commits;
    }

    @SuppressWarnings("unchecked")
    private KeyValueStore<Bytes, byte[]> racing(KeyValueStore<Bytes, byte[]> store) {
        return (KeyValueStore<Bytes, byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("range") && beforeNextRange != null) {
                        Runnable race = beforeNextRange;
                        beforeNextRange = null;
                        race.run();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** What the model stage does with {@code live} between two commits: reads it, feeds it {@code readings}. */
    private void process(ModelState live, int readings) {
        assertThat(store.get("L")).isSameAs(live);
        feed(live, readings);
        store.markDirty("L");
        store.flushCache();
    }

    /** Test, then train, {@code readings} times, with the journal recording each. */
    private void feed(ModelState state, int readings) {
        for (int i = 0; i < readings; i++) {
            double a = random.nextGaussian();
            Map<String, Double> sensors = Map.of("a", a, "b", random.nextDouble());
            Observation observation = new Observation(sensors, Map.of("type", random.nextBoolean() ? "L" : "M"));
            Scored scored = state.predict(observation, sensors, "device-" + (i % 5), 60_000L * i);
            state.learn(observation, a > 0.5 ? "failure" : "normal", scored);
        }
    }

    /** A restore (snapshot and journal read back) equals the live model, and predicts as it does. */
    private void assertRestoresTo(ModelState live) {
        store.clearCache();
        ModelState restored = store.get("L");
        assertSameSnapshot(restored, live);
        // Predicting changes a model: copies predict.
        Observation probe = new Observation(Map.of("a", 0.7, "b", 0.1), Map.of("type", "L"));
        assertThat(copy(restored).model().predict(probe).probabilities())
                .containsExactly(copy(live).model().predict(probe).probabilities());
    }

    private static ModelState copy(ModelState state) {
        return CODEC.decode(CODEC.encode(state));
    }

    private SnapshotJournal.Head head() {
        return SnapshotJournal.Head.decode("L", inner.get(Bytes.wrap(raw("L"))));
    }

    private long journalBytes() {
        long bytes = 0;
        try (KeyValueIterator<Bytes, byte[]> all = inner.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> next = all.next();
                if (name(next.key).contains("/J")) {
                    bytes += next.value.length;
                }
            }
        }
        return bytes;
    }

    /** Stored keys, derived ones as key/J segment or key/S generation.chunk. */
    private List<String> keys() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = inner.all()) {
            all.forEachRemaining(entry -> keys.add(name(entry.key)));
        }
        return keys;
    }

    private static String name(Bytes key) {
        byte[] bytes = key.get();
        int mark = 0;
        while (mark < bytes.length && bytes[mark] != (byte) 0xFF) {
            mark++;
        }
        String name = new String(bytes, 0, mark, StandardCharsets.UTF_8);
        if (mark == bytes.length) {
            return name;
        }
        java.nio.ByteBuffer suffix = java.nio.ByteBuffer.wrap(bytes, mark + 1, bytes.length - mark - 1);
        byte kind = suffix.get();
        return kind == 'J' ? name + "/J" + suffix.getLong() : name + "/S" + suffix.getLong() + "." + suffix.getInt();
    }

    private static byte[] raw(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
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
