package io.driftline.sim;

import io.driftline.avro.SensorReading;
import io.driftline.learn.LabelledObservation;
import io.driftline.learn.MoaStreams;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.LongSupplier;

/**
 * A MOA generator stream as {@link SensorReading}s with in-band labels: instance {@code i} comes
 * from device {@code device-(i mod devices)}, its numeric attributes become sensors and its nominal
 * attributes become attributes, in the generator's order.
 */
public final class MoaReplay implements Iterator<SensorReading> {

    private final MoaStreams.Source source;
    private final long instances;
    private final int devices;
    private final String machineType;
    private final LongSupplier clock;
    private final Map<String, Long> sequences = new HashMap<>();
    private long produced;

    public MoaReplay(MoaStreams.Source source, long instances, int devices, String machineType, LongSupplier clock) {
        if (devices < 1) {
            throw new IllegalArgumentException("devices must be at least 1");
        }
        this.source = source;
        this.instances = instances;
        this.devices = devices;
        this.machineType = machineType;
        this.clock = clock;
    }

    @Override
    public boolean hasNext() {
        return produced < instances && source.hasNext();
    }

    @Override
    public SensorReading next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        LabelledObservation next = source.next();
        String deviceId = "device-" + (produced % devices);
        produced++;
        return SensorReading.newBuilder()
                .setDeviceId(deviceId)
                .setMachineType(machineType)
                .setEventTime(Instant.ofEpochMilli(clock.getAsLong()))
                .setSequence(sequences.merge(deviceId, 1L, Long::sum))
                .setSensors(next.observation().numeric())
                .setAttributes(next.observation().nominal())
                .setLabel(next.label())
                .build();
    }
}
