package io.driftline.bench;

import com.yahoo.labs.samoa.instances.Instance;
import io.driftline.avro.SensorReading;
import io.driftline.core.Observations;
import io.driftline.label.LabelPolicy;
import io.driftline.learn.FeatureSpace;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import io.driftline.state.DeviceState;
import io.driftline.state.DeviceState.PendingReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A reading through the model stage's feature work, as {@code ModelCore} does it, over the bench
 * fleet's 1,000 devices (rolling window 10, full after the set-up's first pass): the reading to its
 * observation (sensor values and rolling statistics); the observation and its MOA instance; the
 * observation packed as a pending reading; and a pending reading back to its observation and
 * instance when its label comes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FeaturesBenchmark {

    private static final int READINGS = 50_000;
    private static final LabelPolicy LABELS = new LabelPolicy(Duration.ofHours(2), Duration.ofMinutes(5), 10_000,
            LabelPolicy.RepairPolicy.CENSOR);
    private static final Scored SCORED = new Scored("normal", 0, new double[] {0.9, 0.1}, 0.1, 0, List.of(), null,
            null);

    private List<SensorReading> readings;
    private final Map<String, DeviceState> devices = new HashMap<>();
    private final List<PendingReading> pending = new ArrayList<>(READINGS);
    private FeatureSpace space;
    private int next;

    @Setup
    public void setUp() {
        readings = BenchFleet.readings(READINGS);
        space = new FeatureSpace(BenchFleet.MODEL.declaredFeatures(), BenchFleet.MODEL.classes());
        for (SensorReading reading : readings) {
            DeviceState device = device(reading);
            Observation observation = Observations.of(reading, device.features());
            space.grow(observation);
            pending.add(device.pending(observation, SCORED, reading.getSequence(), 1));
        }
    }

    @Benchmark
    public Observation readingToObservation() {
        SensorReading reading = readings.get(advance());
        return Observations.of(reading, device(reading).features());
    }

    @Benchmark
    public Instance readingToInstance() {
        SensorReading reading = readings.get(advance());
        return space.toInstance(Observations.of(reading, device(reading).features()), -1);
    }

    @Benchmark
    public PendingReading readingToPending() {
        SensorReading reading = readings.get(advance());
        DeviceState device = device(reading);
        return device.pending(Observations.of(reading, device.features()), SCORED, reading.getSequence(), 1);
    }

    @Benchmark
    public Instance pendingToInstance() {
        int i = advance();
        return space.toInstance(device(readings.get(i)).observation(pending.get(i)), 0);
    }

    private DeviceState device(SensorReading reading) {
        return devices.computeIfAbsent(reading.getDeviceId(), id -> new DeviceState(reading.getMachineType(), 10,
                LABELS));
    }

    private int advance() {
        int i = next;
        next = (next + 1) % READINGS;
        return i;
    }
}
