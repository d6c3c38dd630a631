package io.driftline.sim;

import io.driftline.avro.SensorReading;
import io.driftline.learn.MoaStreams;
import io.driftline.learn.Observation;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A MOA generator stream as {@link SensorReading}s with in-band labels: instance {@code i} comes
 * from device {@code device-(i mod devices)}, its numeric attributes become sensors and its nominal
 * attributes become attributes, in the generator's order. A regression stream's numeric target
 * becomes the reading's in-band {@code target} ({@link #regression}).
 */
public final class MoaReplay implements Iterator<SensorReading> {

    private final Iterator<Example> source;
    private final long instances;
    private final int devices;
    private final String machineType;
    private final LongSupplier clock;
    private final Map<String, Long> sequences = new HashMap<>();
    private long produced;

    /** An observation with its in-band truth: a class label or a regression target. */
    private record Example(Observation observation, String label, Double target) {
    }

    public MoaReplay(MoaStreams.Source source, long instances, int devices, String machineType, LongSupplier clock) {
        this(mapped(source, labelled -> new Example(labelled.observation(), labelled.label(), null)), instances,
                devices, machineType, clock);
    }

    /** A regression stream's instances as readings whose in-band {@code target} is the stream's target. */
    public static MoaReplay regression(MoaStreams.RegressionSource source, long instances, int devices,
                                       String machineType, LongSupplier clock) {
        return new MoaReplay(mapped(source, example -> new Example(example.observation(), null, example.target())),
                instances, devices, machineType, clock);
    }

    private static <T> Iterator<Example> mapped(Iterator<T> source, Function<T, Example> example) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public Example next() {
                return example.apply(source.next());
            }
        };
    }

    private MoaReplay(Iterator<Example> source, long instances, int devices, String machineType, LongSupplier clock) {
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
        Example next = source.next();
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
                .setTarget(next.target())
                .build();
    }
}
