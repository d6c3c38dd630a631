package io.driftline.features;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * Rolling statistics of one device's sensors over its last {@code window} readings: mean,
 * standard deviation, min, max, slope per second (least squares against event time) and the
 * delta since the previous value. Degradation shows in trends, not in single values.
 *
 * <p>Memory is bounded: {@code window} values and times per sensor. Missing and non-finite values
 * are skipped, so a sensor's statistics cover its last {@code window} valid values. Not
 * thread-safe; checkpointed with {@link #writeTo}.
 */
public final class RollingFeatures {

    /** Suffixes of the derived feature names, {@code <sensor>.<suffix>}. */
    public static final String MEAN = "mean";
    public static final String STD = "std";
    public static final String MIN = "min";
    public static final String MAX = "max";
    public static final String SLOPE = "slope";
    public static final String DELTA = "delta";
    /** Features per sensor, at most: one per suffix above. */
    public static final int FEATURES_PER_SENSOR = 6;
    /** Largest window: 16 MB per sensor and device is already far beyond any sensible window. */
    public static final int MAX_WINDOW = 1 << 20;

    private final int window;
    private final Map<String, Ring> sensors = new TreeMap<>();

    public RollingFeatures(int window) {
        if (window < 2 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be between 2 and " + MAX_WINDOW + ", was " + window);
        }
        this.window = window;
    }

    /**
     * Adds a reading taken at {@code timeMillis} and returns the derived features after it, by
     * name in a stable order. A sensor with fewer than two values has no std, slope or delta yet
     * (they are absent: the learner sees missing values).
     */
    public Map<String, Double> update(long timeMillis, Map<String, Double> values) {
        Map<String, Double> features = new TreeMap<>();
        update(timeMillis, values, features);
        return features;
    }

    /**
     * Like {@link #update(long, Map)}, but puts the features into {@code features}: the model stage
     * adds them to the reading's own values, once per reading.
     */
    public void update(long timeMillis, Map<String, Double> values, Map<String, Double> features) {
        values.forEach((sensor, value) -> {
            if (value != null && Double.isFinite(value)) {
                sensors.computeIfAbsent(sensor, name -> new Ring(window)).add(timeMillis, value);
            }
        });
        sensors.forEach((sensor, ring) -> ring.describe(sensor, features));
    }

    /** Writes the windows, to be read back by {@link #readFrom}; part of a device checkpoint. */
    public void writeTo(DataOutput out) throws IOException {
        ByteUtils.writeVarint(window, out);
        ByteUtils.writeVarint(sensors.size(), out);
        for (Map.Entry<String, Ring> sensor : sensors.entrySet()) {
            out.writeUTF(sensor.getKey());
            sensor.getValue().writeTo(out);
        }
    }

    /** Reads what {@link #writeTo} wrote: the same windows, so the same features follow. */
    public static RollingFeatures readFrom(DataInputStream in) throws IOException {
        int window = ByteUtils.readVarint(in);
        int sensors = ByteUtils.readVarint(in);
        if (window < 2 || window > MAX_WINDOW || sensors < 0 || sensors > in.available()) {
            throw new IOException("corrupt rolling features: window " + window + ", " + sensors + " sensors");
        }
        RollingFeatures features = new RollingFeatures(window);
        for (int i = sensors; i > 0; i--) {
            features.sensors.put(in.readUTF(), Ring.readFrom(in, features.window));
        }
        return features;
    }

    /** A sensor's last values and their times, oldest overwritten first. */
    private static final class Ring {

        private final double[] values;
        private final long[] times;
        private int size;
        private int next;
        private double previous = Double.NaN;
        private double last = Double.NaN;
        // The derived features' names, built once: they are map keys on every reading, and a
        // string that is not rebuilt keeps its hash; interned, one copy serves every device.
        private String[] names;

        Ring(int capacity) {
            values = new double[capacity];
            times = new long[capacity];
        }

        private String[] names(String sensor) {
            if (names == null) {
                names = new String[] {(sensor + "." + MEAN).intern(), (sensor + "." + MIN).intern(),
                        (sensor + "." + MAX).intern(), (sensor + "." + STD).intern(),
                        (sensor + "." + SLOPE).intern(), (sensor + "." + DELTA).intern()};
            }
            return names;
        }

        /**
         * The filled slots as they lie (the sums run in slot order), with the write position; each
         * slot's time as a varint difference from the slot before.
         */
        void writeTo(DataOutput out) throws IOException {
            ByteUtils.writeVarint(size, out);
            ByteUtils.writeVarint(next, out);
            out.writeLong(Double.doubleToRawLongBits(previous));
            out.writeLong(Double.doubleToRawLongBits(last));
            long previousTime = 0;
            for (int i = 0; i < size; i++) {
                out.writeLong(Double.doubleToRawLongBits(values[i]));
                ByteUtils.writeVarlong(times[i] - previousTime, out);
                previousTime = times[i];
            }
        }

        static Ring readFrom(DataInputStream in, int capacity) throws IOException {
            Ring ring = new Ring(capacity);
            ring.size = ByteUtils.readVarint(in);
            ring.next = ByteUtils.readVarint(in);
            if (ring.size < 0 || ring.size > capacity || ring.next < 0 || ring.next >= capacity) {
                throw new IOException("corrupt window: " + ring.size + " values, next " + ring.next + " of " + capacity);
            }
            ring.previous = Double.longBitsToDouble(in.readLong());
            ring.last = Double.longBitsToDouble(in.readLong());
            long time = 0;
            for (int i = 0; i < ring.size; i++) {
                ring.values[i] = Double.longBitsToDouble(in.readLong());
                time += ByteUtils.readVarlong(in);
                ring.times[i] = time;
            }
            return ring;
        }

        void add(long time, double value) {
            previous = last;
            last = value;
            values[next] = value;
            times[next] = time;
            next = (next + 1) % values.length;
            size = Math.min(size + 1, values.length);
        }

        void describe(String sensor, Map<String, Double> out) {
            String[] names = names(sensor);
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double meanTime = 0;
            long origin = times[(next - size + values.length) % values.length];
            for (int i = 0; i < size; i++) {
                sum += values[i];
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
                meanTime += (times[i] - origin) / 1000.0;
            }
            double mean = sum / size;
            meanTime /= size;
            out.put(names[0], mean);
            out.put(names[1], min);
            out.put(names[2], max);
            if (size < 2) {
                return;
            }
            double squares = 0;
            double covariance = 0;
            double timeVariance = 0;
            for (int i = 0; i < size; i++) {
                double dx = values[i] - mean;
                double dt = (times[i] - origin) / 1000.0 - meanTime;
                squares += dx * dx;
                covariance += dt * dx;
                timeVariance += dt * dt;
            }
            out.put(names[3], Math.sqrt(squares / (size - 1)));
            out.put(names[4], timeVariance == 0 ? 0.0 : covariance / timeVariance);
            out.put(names[5], last - previous);
        }
    }
}
