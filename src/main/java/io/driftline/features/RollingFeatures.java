package io.driftline.features;

import io.driftline.learn.FeatureLayout;
import io.driftline.learn.FeatureVector;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * One device's numeric features, reading by reading: each sensor's value and its rolling
 * statistics over its last {@code window} readings: mean, standard deviation, min, max, slope per
 * second (least squares against event time) and the delta since the previous value. Degradation
 * shows in trends, not in single values. Window 0: the values alone.
 *
 * <p>Kept in flat primitive arrays, each sensor's window a stretch of them, and written straight
 * into a {@link FeatureVector} through slots of the device's {@link FeatureLayout} resolved once per
 * sensor: a reading costs no boxing and no lookup by feature name. A sensor is recognised by its
 * place in the reading's map, checked by name: a device's readings come with the same sensors in
 * the same order, and comparing a name is cheaper than hashing it.
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
    /** Largest window: 16 MB per sensor and device is already far beyond any sensible window. */
    public static final int MAX_WINDOW = 1 << 20;

    // A sensor's slots: its value's, then its statistics' in this order.
    private static final String[] STATISTICS = {MEAN, MIN, MAX, STD, SLOPE, DELTA};
    private static final int SLOTS = 1 + STATISTICS.length;
    // The least a written window takes: its name's length, size, position, previous and last value.
    private static final int MIN_WINDOW_BYTES = 2 + 1 + 1 + 2 * Double.BYTES;

    private final int window;
    private final FeatureLayout layout;
    // Per sensor, by the index it got when first seen: its SLOTS slots (statistics -1 until its first
    // valid value), how full its window is, where it writes next, and its last two valid values.
    private int sensors;
    private int[] slots = new int[0];
    private int[] sizes = new int[0];
    private int[] nexts = new int[0];
    private double[] previous = new double[0];
    private double[] last = new double[0];
    // Sensor s's window is [s * window, (s + 1) * window), in slot order, the oldest overwritten first.
    private double[] values = new double[0];
    private long[] times = new long[0];
    // Which sensor's value a layout slot holds, plus one (0: none).
    private int[] sensorBySlot = new int[0];
    // The last reading's sensors in its map's order (the next reading's guess), and this reading's values.
    private int[] order = new int[0];
    private int ordered;
    private double[] reading = new double[0];

    /** Features on a layout of their own. */
    public RollingFeatures(int window) {
        this(window, new FeatureLayout());
    }

    /** Features on {@code layout}, the device's: it may hold other names, and slots given before are kept. */
    public RollingFeatures(int window, FeatureLayout layout) {
        if (window != 0 && (window < 2 || window > MAX_WINDOW)) {
            throw new IllegalArgumentException("window must be 0 or between 2 and " + MAX_WINDOW + ", was " + window);
        }
        this.window = window;
        this.layout = layout;
    }

    /**
     * Adds a reading taken at {@code timeMillis} and returns its features: its sensors' values (a
     * null one as NaN) and, after it, the statistics of every sensor with a valid value in its
     * window. A sensor with fewer than two values has no std, slope or delta yet (they are absent:
     * the learner sees missing values). A statistic takes the place of a sensor of the same name.
     */
    public FeatureVector update(long timeMillis, Map<String, Double> sensorValues) {
        int count = sensorValues.size();
        if (order.length < count) {
            order = Arrays.copyOf(order, count);
            reading = new double[count];
        }
        int i = 0;
        for (Map.Entry<String, Double> entry : sensorValues.entrySet()) {
            String name = entry.getKey();
            int sensor = i < ordered && layout.name(slots[order[i] * SLOTS]).equals(name) ? order[i] : sensor(name);
            Double value = entry.getValue();
            double valid = value == null ? Double.NaN : value;
            if (window > 0 && Double.isFinite(valid) && slots[sensor * SLOTS + 1] < 0) {
                addStatisticSlots(sensor);
            }
            order[i] = sensor;
            reading[i++] = valid;
        }
        ordered = count;
        // Every slot this reading needs exists now: the vector covers them all.
        FeatureVector.Builder out = FeatureVector.on(layout);
        growWindows();
        for (int j = 0; j < count; j++) {
            out.set(slots[order[j] * SLOTS], reading[j]);
            if (window > 0 && Double.isFinite(reading[j])) {
                add(order[j], timeMillis, reading[j]);
            }
        }
        // Without a window no sensor has values in one.
        for (int sensor = 0; sensor < sensors; sensor++) {
            if (sizes[sensor] > 0) {
                describe(sensor, out);
            }
        }
        return out.build();
    }

    /** Readings per window; 0: no statistics. */
    public int window() {
        return window;
    }

    /**
     * Writes the windows, to be read back by {@link #readFrom}; part of a device checkpoint.
     * Each sensor with a valid value: its name, then its window.
     */
    public void writeTo(DataOutput out) throws IOException {
        ByteUtils.writeVarint(window, out);
        int windows = 0;
        for (int sensor = 0; sensor < sensors; sensor++) {
            windows += sizes[sensor] > 0 ? 1 : 0;
        }
        ByteUtils.writeVarint(windows, out);
        for (int sensor = 0; sensor < sensors; sensor++) {
            if (sizes[sensor] > 0) {
                out.writeUTF(layout.name(slots[sensor * SLOTS]));
                writeWindow(sensor, out);
            }
        }
    }

    /**
     * Reads what {@link #writeTo} wrote, onto the device's {@code layout}: the same windows, so the
     * same features follow. A name the layout lacks (a checkpoint written before every feature had
     * a slot from its first reading) is appended to it.
     */
    public static RollingFeatures readFrom(DataInputStream in, FeatureLayout layout) throws IOException {
        int window = ByteUtils.readVarint(in);
        int count = ByteUtils.readVarint(in);
        if (window < 2 || window > MAX_WINDOW || count < 0 || count > in.available() / MIN_WINDOW_BYTES) {
            throw new IOException("corrupt rolling features: window " + window + ", " + count + " sensors");
        }
        RollingFeatures features = new RollingFeatures(window, layout);
        features.values = new double[Math.multiplyExact(count, window)];
        features.times = new long[features.values.length];
        for (int i = count; i > 0; i--) {
            int sensor = features.sensor(in.readUTF());
            if (features.slots[sensor * SLOTS + 1] < 0) {
                features.addStatisticSlots(sensor);
            }
            features.growWindows();
            features.readWindow(sensor, in);
        }
        return features;
    }

    /** The sensor named {@code name}, added when it is new. */
    private int sensor(String name) {
        int slot = layout.find(name);
        if (slot >= 0 && slot < sensorBySlot.length && sensorBySlot[slot] > 0) {
            return sensorBySlot[slot] - 1;
        }
        slot = layout.slot(name);
        if (sensors == sizes.length) {
            int capacity = Math.max(4, 2 * sensors);
            slots = Arrays.copyOf(slots, capacity * SLOTS);
            sizes = Arrays.copyOf(sizes, capacity);
            nexts = Arrays.copyOf(nexts, capacity);
            previous = Arrays.copyOf(previous, capacity);
            last = Arrays.copyOf(last, capacity);
        }
        int sensor = sensors++;
        Arrays.fill(slots, sensor * SLOTS, (sensor + 1) * SLOTS, -1);
        slots[sensor * SLOTS] = slot;
        previous[sensor] = Double.NaN;
        last[sensor] = Double.NaN;
        if (slot >= sensorBySlot.length) {
            sensorBySlot = Arrays.copyOf(sensorBySlot, Math.max(slot + 1, 2 * sensorBySlot.length));
        }
        sensorBySlot[slot] = sensor + 1;
        return sensor;
    }

    private void addStatisticSlots(int sensor) {
        String name = layout.name(slots[sensor * SLOTS]);
        for (int k = 0; k < STATISTICS.length; k++) {
            slots[sensor * SLOTS + 1 + k] = layout.slot(name + "." + STATISTICS[k]);
        }
    }

    /** Room for every sensor's window: grown when sensors appear, to exactly what they need. */
    private void growWindows() {
        int needed = Math.multiplyExact(sensors, window);
        if (values.length < needed) {
            values = Arrays.copyOf(values, needed);
            times = Arrays.copyOf(times, needed);
        }
    }

    private void add(int sensor, long time, double value) {
        previous[sensor] = last[sensor];
        last[sensor] = value;
        int next = nexts[sensor];
        values[sensor * window + next] = value;
        times[sensor * window + next] = time;
        nexts[sensor] = (next + 1) % window;
        sizes[sensor] = Math.min(sizes[sensor] + 1, window);
    }

    /** The sensor's statistics into {@code out}; the sums run in slot order, as they always have (the values depend on it). */
    private void describe(int sensor, FeatureVector.Builder out) {
        int from = sensor * window;
        int size = sizes[sensor];
        int at = sensor * SLOTS;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double meanTime = 0;
        long origin = times[from + (nexts[sensor] - size + window) % window];
        for (int i = from; i < from + size; i++) {
            sum += values[i];
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
            meanTime += (times[i] - origin) / 1000.0;
        }
        double mean = sum / size;
        meanTime /= size;
        out.set(slots[at + 1], mean);
        out.set(slots[at + 2], min);
        out.set(slots[at + 3], max);
        if (size < 2) {
            return;
        }
        double squares = 0;
        double covariance = 0;
        double timeVariance = 0;
        for (int i = from; i < from + size; i++) {
            double dx = values[i] - mean;
            double dt = (times[i] - origin) / 1000.0 - meanTime;
            squares += dx * dx;
            covariance += dt * dx;
            timeVariance += dt * dt;
        }
        out.set(slots[at + 4], Math.sqrt(squares / (size - 1)));
        out.set(slots[at + 5], timeVariance == 0 ? 0.0 : covariance / timeVariance);
        out.set(slots[at + 6], last[sensor] - previous[sensor]);
    }

    /**
     * The filled slots as they lie (the sums run in slot order), with the write position; each
     * slot's time as a varint difference from the slot before.
     */
    private void writeWindow(int sensor, DataOutput out) throws IOException {
        int from = sensor * window;
        ByteUtils.writeVarint(sizes[sensor], out);
        ByteUtils.writeVarint(nexts[sensor], out);
        out.writeLong(Double.doubleToRawLongBits(previous[sensor]));
        out.writeLong(Double.doubleToRawLongBits(last[sensor]));
        long previousTime = 0;
        for (int i = from; i < from + sizes[sensor]; i++) {
            out.writeLong(Double.doubleToRawLongBits(values[i]));
            ByteUtils.writeVarlong(times[i] - previousTime, out);
            previousTime = times[i];
        }
    }

    private void readWindow(int sensor, DataInputStream in) throws IOException {
        int size = ByteUtils.readVarint(in);
        int next = ByteUtils.readVarint(in);
        if (size < 0 || size > window || next < 0 || next >= window) {
            throw new IOException("corrupt window: " + size + " values, next " + next + " of " + window);
        }
        previous[sensor] = Double.longBitsToDouble(in.readLong());
        last[sensor] = Double.longBitsToDouble(in.readLong());
        int from = sensor * window;
        long time = 0;
        for (int i = from; i < from + size; i++) {
            values[i] = Double.longBitsToDouble(in.readLong());
            time += ByteUtils.readVarlong(in);
            times[i] = time;
        }
        sizes[sensor] = size;
        nexts[sensor] = next;
    }
}
