package io.driftline.bench;

import io.driftline.core.Observations;
import io.driftline.avro.SensorReading;
import io.driftline.config.PipelineSettings;
import io.driftline.features.RollingFeatures;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import io.driftline.sim.FleetSimulator;
import io.driftline.state.CheckpointCodec;
import io.driftline.state.DeviceState;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.ModelState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a commit's checkpoint costs, in-process: encoding (the serialisation and compression that
 * {@code CheckpointStore#flushCache} does per dirty key) as one model grows, and as the number of
 * dirty per-device models in one commit grows. Writing the bytes to RocksDB and the changelog
 * comes on top and is part of the end-to-end runs.
 */
final class CheckpointCurves {

    private static final int REPEATS = 5;

    /** Encoding one model after {@code trained} readings. */
    record BySize(long trained, double encodeMs, double kilobytes) {
    }

    /** Encoding {@code dirty} per-device models and their device states, as one commit does. */
    record ByDirty(int dirty, double commitMs, double perModelMs) {
    }

    private CheckpointCurves() {
    }

    /** One model fed the whole fleet, measured at 10k, 100k, 1M ... readings up to {@code readings}. */
    static List<BySize> bySize(PipelineSettings pipeline, FleetSimulator fleet, long readings) {
        ModelCheckpoints codec = new ModelCheckpoints(pipeline);
        ModelState model = codec.create();
        Map<String, RollingFeatures> devices = new HashMap<>();
        List<BySize> curve = new ArrayList<>();
        long next = 10_000;
        for (long trained = 1; trained <= readings; ) {
            if (fleet.next() instanceof FleetSimulator.Reading reading) {
                SensorReading r = reading.reading();
                int window = pipeline.featureWindow().forType(r.getMachineType());
                Observation observation = Observations.of(r,
                        devices.computeIfAbsent(r.getDeviceId(), id -> new RollingFeatures(window)));
                Scored scored = model.predict(observation, r.getSensors(), r.getDeviceId(), r.getEventTime().toEpochMilli());
                model.learn(observation, r.getLabel(), scored);
                if (trained == next) {
                    curve.add(new BySize(trained, medianMs(() -> codec.encode(model)), codec.encode(model).length / 1024.0));
                    next *= 10;
                }
                trained++;
            }
        }
        return curve;
    }

    /** Per-device models of {@code fleet}'s machines, each trained on its first readings, checkpointed 10, 100, ... at a time. */
    static List<ByDirty> byDirty(PipelineSettings pipeline, FleetSimulator fleet, int devices, int readingsPerDevice) {
        ModelCheckpoints codec = new ModelCheckpoints(pipeline);
        Map<String, ModelState> models = new LinkedHashMap<>();
        Map<String, DeviceState> states = new HashMap<>();
        for (long done = 0; done < (long) devices * readingsPerDevice; ) {
            if (fleet.next() instanceof FleetSimulator.Reading reading) {
                SensorReading r = reading.reading();
                DeviceState device = states.computeIfAbsent(r.getDeviceId(), id -> new DeviceState(r.getMachineType(),
                        pipeline.featureWindow().forType(r.getMachineType()), pipeline.labels()));
                ModelState model = models.computeIfAbsent(r.getDeviceId(), id -> codec.create());
                Observation observation = Observations.of(r, device.features());
                model.learn(observation, r.getLabel(), model.predict(observation, r.getSensors(), r.getDeviceId(), r.getEventTime().toEpochMilli()));
                done++;
            }
        }
        List<ByDirty> curve = new ArrayList<>();
        for (int dirty = 10; dirty <= devices; dirty *= 10) {
            List<String> commit = new ArrayList<>(models.keySet()).subList(0, dirty);
            double ms = medianMs(() -> commit.forEach(device -> {
                codec.encode(models.get(device));
                CheckpointCodec.encode(states.get(device));
            }));
            curve.add(new ByDirty(dirty, ms, ms / dirty));
        }
        return curve;
    }

    private static double medianMs(Runnable encoding) {
        double[] times = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long start = System.nanoTime();
            encoding.run();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return times[REPEATS / 2];
    }
}
