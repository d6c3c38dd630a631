package io.driftline.bench;

import io.driftline.core.Observations;
import io.driftline.avro.SensorReading;
import io.driftline.config.PipelineSettings;
import io.driftline.drift.FleetSensorDrift;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import io.driftline.sim.FleetSimulator;
import io.driftline.state.CheckpointCodec;
import io.driftline.state.DeviceState;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.ModelState;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Memory of per-device state, measured in-process without Kafka: one model (scope device) and one
 * device state per machine, each trained on its machine's first readings with its journal taken as a
 * commit takes it, and separately one data drift detector per sensor. Heap is measured as the
 * difference of used heap after full collections; checkpoint size is the encoded bytes of one model
 * and one device state.
 */
final class StateFootprint {

    record Result(int devices, int readingsPerDevice, double heapPerDeviceKb, double modelCheckpointKb,
                  double deviceCheckpointKb, double heapPerDriftDetectorBytes, double driftDetectorCheckpointBytes,
                  long heapUsedMb) {
    }

    /** Detectors measured: enough for a stable per-detector figure, few enough to feed quickly. */
    private static final int DETECTORS = 10_000;

    private StateFootprint() {
    }

    static Result measure(PipelineSettings pipeline, FleetSimulator.Settings fleetSettings, int readingsPerDevice) {
        int devices = fleetSettings.devices();
        ModelSettings settings = pipeline.model();
        long before = usedHeap();
        Map<String, ModelState> models = new HashMap<>(devices * 2);
        Map<String, DeviceState> states = new HashMap<>(devices * 2);
        FleetSimulator fleet = new FleetSimulator(fleetSettings);
        long readings = (long) devices * readingsPerDevice;
        for (long done = 0; done < readings; ) {
            if (fleet.next() instanceof FleetSimulator.Reading next) {
                SensorReading reading = next.reading();
                DeviceState device = states.computeIfAbsent(reading.getDeviceId(), id -> new DeviceState(
                        reading.getMachineType(), pipeline.featureWindow().forType(reading.getMachineType()),
                        pipeline.labels()));
                Observation observation = Observations.of(reading, device.features());
                ModelState model = models.computeIfAbsent(reading.getDeviceId(), id -> new ModelState(settings));
                Scored scored = model.predict(observation, reading.getSensors(), reading.getDeviceId(), reading.getEventTime().toEpochMilli());
                model.learn(observation, reading.getLabel(), scored);
                // What a commit does to the model (every commit.interval.ms, 100 ms by default, far less than
                // the minute between two readings of a device): the heap between commits, without 20 readings'
                // journals per model on the way (2.4 GB at 100,000 devices).
                model.discardJournal();
                done++;
            }
        }
        long after = usedHeap();
        String sample = models.keySet().iterator().next();
        double modelBytes = new ModelCheckpoints(pipeline).encode(models.get(sample)).length;
        double deviceBytes = CheckpointCodec.encode(states.get(sample)).length;
        long heapUsedMb = after >> 20;
        double perDevice = (after - before) / (double) devices / 1024;
        models.clear();
        states.clear();
        return new Result(devices, readingsPerDevice, perDevice, modelBytes / 1024, deviceBytes / 1024,
                driftDetectorHeap(settings, Math.min(devices, DETECTORS), readingsPerDevice),
                driftDetectorBytes(settings, readingsPerDevice),
                heapUsedMb);
    }

    /** Heap per data-drift watch of one sensor of one device (baseline per hour, ADWIN), past its baseline. */
    private static double driftDetectorHeap(ModelSettings settings, int count, int inputs) {
        long before = usedHeap();
        FleetSensorDrift[] monitors = new FleetSensorDrift[count];
        for (int i = 0; i < count; i++) {
            monitors[i] = fed(settings, inputs, i);
        }
        long after = usedHeap();
        return (after - before) / (double) monitors.length;
    }

    private static double driftDetectorBytes(ModelSettings settings, int inputs) {
        return CheckpointCodec.serialise(fed(settings, inputs, 0)).length;
    }

    private static FleetSensorDrift fed(ModelSettings settings, int inputs, int seed) {
        FleetSensorDrift monitor = new FleetSensorDrift(settings.dataDrift());
        SplittableRandom random = new SplittableRandom(seed);
        // A reading a minute, past the baseline period.
        long readings = Math.max(inputs, 2 * settings.dataDrift().baseline().toMinutes());
        for (long i = 0; i < readings; i++) {
            monitor.add("device", i * 60_000, Map.of("sensor", random.nextGaussian()), i + 1);
        }
        return monitor;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
