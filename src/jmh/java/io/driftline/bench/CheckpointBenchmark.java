package io.driftline.bench;

import io.driftline.avro.SensorReading;
import io.driftline.core.Observations;
import io.driftline.label.LabelPolicy;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import io.driftline.state.CheckpointCodec;
import io.driftline.state.DeviceState;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.ModelState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a commit costs per dirty key: encoding (Java serialisation, deflated) a machine-type model
 * trained on {@code trained} readings, and one device's state with a full 2-hour label queue
 * (125 pending ids; the readings themselves live in their own store).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CheckpointBenchmark {

    @Param({"10000", "100000"})
    int trained;

    private static final ModelCheckpoints CODEC = new ModelCheckpoints(BenchFleet.CONFIG.pipeline());

    private ModelState model;
    private byte[] modelBytes;
    private DeviceState device;
    private byte[] deviceBytes;

    @Setup
    public void setUp() {
        List<SensorReading> readings = BenchFleet.readings(trained);
        List<Observation> observations = BenchFleet.observations(readings);
        model = CODEC.create();
        for (int i = 0; i < trained; i++) {
            SensorReading reading = readings.get(i);
            Scored scored = model.predict(observations.get(i), reading.getSensors(), reading.getDeviceId(),
                    reading.getEventTime().toEpochMilli());
            model.learn(observations.get(i), readings.get(i).getLabel(), scored);
        }
        modelBytes = CODEC.encode(model);
        device = deviceWithFullQueue(readings);
        deviceBytes = CheckpointCodec.encode(device);
    }

    /** A device that reported a reading a minute for two hours (the fleet's readings, retimed), each queued. */
    private static DeviceState deviceWithFullQueue(List<SensorReading> readings) {
        DeviceState device = new DeviceState("L", 10, new LabelPolicy(Duration.ofHours(2), Duration.ofMinutes(5),
                10_000, LabelPolicy.RepairPolicy.CENSOR));
        Scored scored = new Scored("normal", 0, new double[] {1, 0}, 0, 0, List.of(), null, null);
        long minute = Duration.ofMinutes(1).toMillis();
        for (int i = 0; i < 125; i++) {
            SensorReading reading = SensorReading.newBuilder(readings.get(i)).setEventTime(Instant.ofEpochMilli(i * minute))
                    .build();
            device.pending(Observations.of(reading, device.features()), scored, i, 1);
            device.labeler().onReading(device.nextPendingId(), i * minute);
        }
        return device;
    }

    @Benchmark
    public byte[] encodeModel() {
        return CODEC.encode(model);
    }

    @Benchmark
    public ModelState decodeModel() {
        return CODEC.decode(modelBytes);
    }

    @Benchmark
    public byte[] encodeDevice() {
        return CheckpointCodec.encode(device);
    }

    @Benchmark
    public DeviceState decodeDevice() {
        return CheckpointCodec.decodeDevice(deviceBytes, BenchFleet.CONFIG.pipeline().labels(),
                BenchFleet.CONFIG.pipeline().featureWindow());
    }
}
