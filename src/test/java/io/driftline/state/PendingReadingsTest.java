package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.label.LabelPolicy;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.DeviceState.PendingReading;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pending store over a real Kafka Streams RocksDB window store, changelogged, in a TopologyTestDriver. */
class PendingReadingsTest {

    private static final String STORE = "pending";
    private static final String CHANGELOG = "pending-readings-test-" + STORE + "-changelog";
    private static final long MINUTE = PendingClock.QUANTUM_MS;
    private static final long HOUR = 60 * MINUTE;
    private static final Duration RETENTION = Duration.ofHours(3);
    private static final long T0 = 1_700_000_040L * 1000 / MINUTE * MINUTE;

    @TempDir
    Path stateDir;
    private final List<TopologyTestDriver> drivers = new ArrayList<>();

    @AfterEach
    void close() {
        drivers.forEach(TopologyTestDriver::close);
    }

    /** A fresh task's store, as Driftline builds it (its retention, fixed segments, changelog). */
    private WindowStore<Bytes, byte[]> openStore() {
        Topology topology = new Topology();
        topology.addSource("in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), "in");
        topology.addProcessor("uses-the-store", () -> new Processor<byte[], byte[], Object, Object>() {
            @Override
            public void process(Record<byte[], byte[]> record) {
            }
        }, "in");
        topology.addStateStore(PendingReadings.builder(STORE, RETENTION), "uses-the-store");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pending-readings-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("task-" + drivers.size()).toString());
        TopologyTestDriver driver = new TopologyTestDriver(topology, props);
        drivers.add(driver);
        return driver.getWindowStore(STORE);
    }

    /** What the first store wrote to its changelog since last asked. */
    private List<TestRecord<byte[], byte[]>> changelog() {
        TopologyTestDriver driver = drivers.get(0);
        // The driver hands on what a task produced after it processed a record: this one does nothing else.
        driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer()).pipeInput(new byte[0]);
        return driver.createOutputTopic(CHANGELOG, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    @Test
    void shouldFindAReadingByItsTimeAndWriteNothingWhenItIsTaken() {
        PendingReadings pending = new PendingReadings(openStore(), RETENTION);
        for (int i = 0; i < 3; i++) {
            pending.put("pump-1", new PendingId(i), T0 + 1 + i * 1000, reading(i));
        }
        assertThat(changelog()).as("the clock once, then one record per reading").hasSize(4)
                .allSatisfy(record -> assertThat(record.value()).isNotNull());

        for (int i = 0; i < 3; i++) {
            assertThat(found(pending.take("pump-1", new PendingId(i), T0 + 1 + i * 1000))).isEqualTo(i);
        }
        assertThat(changelog()).as("nothing written when a reading is taken").isEmpty();
        assertThat(pending.take("pump-2", new PendingId(0), T0)).isEqualTo(gone(PendingLookup.Reason.MISSING));
    }

    @Test
    void shouldWriteItsClockOncePerQuantumOfEventTime() {
        PendingReadings pending = new PendingReadings(openStore(), RETENTION);
        for (int i = 0; i < 600; i++) {
            pending.put("pump-" + i % 10, new PendingId(i / 10), T0 + 1 + i * 1000, reading(i));
        }

        assertThat(changelog()).as("600 readings over ten minutes").hasSize(600 + 10);
    }

    /**
     * A reading expires when the readings of its task have moved the clock past its event time by
     * the retention, whatever its own device's time: then it is gone, not found, and the store's
     * segments may drop it.
     */
    @Test
    void shouldExpireAReadingOnceItsTasksClockPassedItByTheRetention() {
        PendingReadings pending = new PendingReadings(openStore(), RETENTION);
        pending.put("quiet", new PendingId(0), T0, reading(0));
        pending.put("quiet", new PendingId(1), T0 + MINUTE + 1, reading(1));

        pending.put("busy", new PendingId(0), T0 + RETENTION.toMillis() - MINUTE, reading(2));
        assertThat(found(pending.take("quiet", new PendingId(0), T0))).isEqualTo(0);

        pending.put("busy", new PendingId(1), T0 + RETENTION.toMillis() + 1, reading(3));
        assertThat(pending.take("quiet", new PendingId(0), T0)).isEqualTo(gone(PendingLookup.Reason.EXPIRED));
        assertThat(found(pending.take("quiet", new PendingId(1), T0 + MINUTE + 1)))
                .as("passed by less than the retention").isEqualTo(1);
        assertThat(found(pending.take("busy", new PendingId(1), T0 + RETENTION.toMillis() + 1))).isEqualTo(3);
    }

    /**
     * A device that lags its task's newest readings by more than the retention (a partition of a
     * replay hours behind the others) keeps its readings as long as one that does not: each is kept
     * by its time plus its lag behind the clock when it came, found by the id the store returned, and
     * expires only once the clock has passed that by the retention.
     */
    @Test
    void shouldKeepTheReadingOfADeviceLaggingByMoreThanTheRetentionForTheRetentionFromWhenItCame() {
        PendingReadings pending = new PendingReadings(openStore(), RETENTION);
        long ahead = T0 + RETENTION.toMillis() + 2 * HOUR;
        pending.put("ahead", new PendingId(0), ahead, reading(0));
        changelog();

        PendingId kept = pending.put("behind", new PendingId(0), T0 + 1, reading(1));
        PendingId next = pending.put("behind", new PendingId(1), T0 + MINUTE + 1, reading(2));

        assertThat(kept).isEqualTo(new PendingId(0, ahead - (T0 + MINUTE)));
        assertThat(changelog()).as("both written").hasSize(2);
        assertThat(found(pending.take("behind", kept, T0 + 1))).isEqualTo(1);
        assertThat(pending.take("behind", new PendingId(0), T0 + 1)).as("by its event time alone")
                .isEqualTo(gone(PendingLookup.Reason.EXPIRED));

        pending.put("ahead", new PendingId(1), ahead + RETENTION.toMillis(), reading(3));
        assertThat(pending.take("behind", next, T0 + MINUTE + 1)).isEqualTo(gone(PendingLookup.Reason.EXPIRED));
    }

    /**
     * A device whose state was replaced (moved away and back, retyped, unreadable) numbers its
     * readings from 0 again while its earlier entries wait to expire: its lookups find its own, at
     * their own event times; an earlier entry of the same id and time is overwritten.
     */
    @Test
    void shouldFindTheReadingOfAnIdADeviceUsedAgain() {
        PendingReadings pending = new PendingReadings(openStore(), RETENTION);
        pending.put("pump-1", new PendingId(0), T0, reading(0));
        pending.put("pump-1", new PendingId(1), T0 + MINUTE, reading(1));
        pending.put("pump-1", new PendingId(0), T0 + MINUTE, reading(2));
        pending.put("pump-1", new PendingId(1), T0 + MINUTE, reading(3));

        assertThat(found(pending.take("pump-1", new PendingId(0), T0 + MINUTE))).isEqualTo(2);
        assertThat(found(pending.take("pump-1", new PendingId(1), T0 + MINUTE))).isEqualTo(3);
    }

    /**
     * A restarted task opens the store its predecessor left: Kafka's store forgets its stream time,
     * and the clock resumes from its own record, so that expiry is the same as if the task had never
     * stopped.
     */
    @Test
    void shouldResumeItsClockAfterARestart() {
        WindowStore<Bytes, byte[]> store = openStore();
        PendingReadings before = new PendingReadings(store, RETENTION);
        before.put("quiet", new PendingId(0), T0, reading(0));
        before.put("busy", new PendingId(0), T0 + RETENTION.toMillis(), reading(1));

        PendingReadings restarted = new PendingReadings(store, RETENTION);

        assertThat(restarted.take("quiet", new PendingId(0), T0)).as("before any reading of its own")
                .isEqualTo(gone(PendingLookup.Reason.EXPIRED));
        assertThat(found(restarted.take("busy", new PendingId(0), T0 + RETENTION.toMillis()))).isEqualTo(1);
    }

    /**
     * A store rebuilt from the changelog (a task restored after a crash, or a standby), its records
     * put back as they came, finds exactly what the live one finds: the same readings, the same
     * expired, and its clock where the live one's is.
     */
    @Test
    void shouldFindWhatTheLiveStoreFindsWhenRebuiltFromItsChangelog() {
        PendingReadings live = new PendingReadings(openStore(), RETENTION);
        List<long[]> puts = new ArrayList<>();
        for (int minute = 0; minute < 400; minute++) {
            // "late" stops reporting at 100 and reports again at 300, past the retention.
            for (String device : List.of("early", "late")) {
                if (device.equals("late") && minute >= 100 && minute < 300) {
                    continue;
                }
                long time = T0 + minute * MINUTE + (device.equals("late") ? -HOUR : 0);
                live.put(device, new PendingId(minute), time, reading(minute));
                puts.add(new long[] {device.equals("early") ? 0 : 1, minute, time});
            }
        }
        WindowStore<Bytes, byte[]> rebuiltStore = openStore();
        for (var record : changelog()) {
            byte[] windowed = record.key();
            Bytes key = Bytes.wrap(Arrays.copyOf(windowed, windowed.length - Long.BYTES - Integer.BYTES));
            long stamp = ByteBuffer.wrap(windowed, windowed.length - Long.BYTES - Integer.BYTES, Long.BYTES).getLong();
            rebuiltStore.put(key, record.value(), stamp);
        }
        PendingReadings rebuilt = new PendingReadings(rebuiltStore, RETENTION);

        int expired = 0;
        for (long[] put : puts) {
            String device = put[0] == 0 ? "early" : "late";
            PendingLookup fromLive = live.take(device, new PendingId(put[1]), put[2]);
            assertThat(describe(rebuilt.take(device, new PendingId(put[1]), put[2]))).as("%s %d", device, put[1])
                    .isEqualTo(describe(fromLive));
            expired += fromLive.equals(gone(PendingLookup.Reason.EXPIRED)) ? 1 : 0;
        }
        assertThat(expired).as("readings of both devices expired").isGreaterThan(100);
    }

    private static String describe(PendingLookup lookup) {
        return lookup instanceof PendingLookup.Found found ? "found " + found.reading().sequence() : lookup.toString();
    }

    private static PendingLookup gone(PendingLookup.Reason reason) {
        return new PendingLookup.Gone(reason);
    }

    /** The sequence number of the reading found, which each test sets to tell readings apart. */
    private static long found(PendingLookup lookup) {
        assertThat(lookup).isInstanceOf(PendingLookup.Found.class);
        return ((PendingLookup.Found) lookup).reading().sequence();
    }

    private static PendingReading reading(long sequence) {
        DeviceState device = new DeviceState("L", 0, new LabelPolicy(Duration.ofHours(1), Duration.ZERO, 100,
                LabelPolicy.RepairPolicy.CENSOR));
        Scored scored = new Scored("normal", 0, new double[] {0.9, 0.1}, 0.1, 1, List.of(), null, null);
        Observation observation = new Observation(device.features().update(0, Map.of("temperature", (double) sequence)),
                Map.of());
        return device.pending(observation, scored, sequence, 1);
    }
}
