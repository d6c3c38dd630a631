package io.driftline.state;

import io.driftline.alert.RiskTracker;
import io.driftline.features.RollingFeatures;
import io.driftline.label.DeviceLabeler;
import io.driftline.label.LabelPolicy;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the model stage keeps per device: its machine type, its rolling sensor features, its
 * readings waiting for a delayed label (the ids of their entries in {@link PendingReadings}), and
 * its failure-risk episode. Bounded: the feature window and {@code label.max.pending}.
 */
public final class DeviceState implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * A reading waiting for its label: what the model saw (numeric values aligned with the device's
     * feature names, NaN where absent) and what it predicted then. Kept in {@link PendingReadings},
     * one store entry each, in a compact binary form: a device may hold thousands.
     */
    public record PendingReading(double[] numeric, Map<String, String> nominal, Scored scored, long sequence) {

        byte[] encode() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + numeric.length * Double.BYTES);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                writeDoubles(out, numeric);
                out.writeInt(nominal.size());
                for (Map.Entry<String, String> entry : nominal.entrySet()) {
                    out.writeUTF(entry.getKey());
                    out.writeUTF(entry.getValue());
                }
                out.writeUTF(scored.predictedClass());
                out.writeInt(scored.predictedIndex());
                writeDoubles(out, scored.probabilities());
                out.writeDouble(scored.positiveProbability());
                out.writeLong(scored.modelVersion());
                out.writeLong(sequence);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        static PendingReading decode(byte[] bytes) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                double[] numeric = readDoubles(in);
                int nominalCount = in.readInt();
                Map<String, String> nominal = new HashMap<>();
                for (int i = 0; i < nominalCount; i++) {
                    nominal.put(in.readUTF(), in.readUTF());
                }
                Scored scored = new Scored(in.readUTF(), in.readInt(), readDoubles(in), in.readDouble(), in.readLong(),
                        List.of());
                return new PendingReading(numeric, nominal, scored, in.readLong());
            } catch (IOException e) {
                throw new UncheckedIOException("corrupt pending reading", e);
            }
        }

        private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
            out.writeInt(values.length);
            for (double value : values) {
                out.writeLong(Double.doubleToRawLongBits(value));
            }
        }

        private static double[] readDoubles(DataInputStream in) throws IOException {
            double[] values = new double[in.readInt()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Double.longBitsToDouble(in.readLong());
            }
            return values;
        }
    }

    /**
     * Which of its device's pending readings an entry of {@link PendingReadings} is. A class rather
     * than a record: Java serialisation writes a record through its accessors, several times slower,
     * and a device checkpoint holds one id per pending reading.
     */
    public static final class PendingId implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long value;

        public PendingId(long value) {
            this.value = value;
        }

        public long value() {
            return value;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof PendingId id && id.value == value;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(value);
        }

        @Override
        public String toString() {
            return "PendingId[" + value + "]";
        }
    }

    private final String machineType;
    private final RollingFeatures features;
    private final DeviceLabeler<PendingId> labeler;
    private final RiskTracker risk = new RiskTracker();
    private final List<String> featureNames = new ArrayList<>();
    // Rebuilt from featureNames when read back: less to write at every checkpoint.
    private transient Map<String, Integer> featureIndex = new HashMap<>();
    private long pendingIds;

    /** @param featureWindow readings per rolling window; 0 for no rolling features */
    public DeviceState(String machineType, int featureWindow, LabelPolicy labels) {
        this.machineType = machineType;
        this.features = featureWindow == 0 ? null : new RollingFeatures(featureWindow);
        this.labeler = new DeviceLabeler<>(labels);
    }

    public String machineType() {
        return machineType;
    }

    /** Null when rolling features are off for this machine type. */
    public RollingFeatures features() {
        return features;
    }

    /** Packs what the model saw and predicted for a reading, to wait for its label. */
    public PendingReading pending(Observation observation, Scored scored, long sequence) {
        observation.numeric().keySet().forEach(name -> featureIndex.computeIfAbsent(name, added -> {
            featureNames.add(added);
            return featureNames.size() - 1;
        }));
        double[] numeric = new double[featureNames.size()];
        Arrays.fill(numeric, Double.NaN);
        observation.numeric().forEach((name, value) -> numeric[featureIndex.get(name)] = value == null ? Double.NaN : value);
        Scored compact = new Scored(scored.predictedClass(), scored.predictedIndex(), scored.probabilities(),
                scored.positiveProbability(), scored.modelVersion(), List.of());
        return new PendingReading(numeric, observation.nominal(), compact, sequence);
    }

    /** The observation a {@link #pending} reading was packed from. */
    public Observation observation(PendingReading pending) {
        Map<String, Double> numeric = new HashMap<>();
        double[] values = pending.numeric();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                numeric.put(featureNames.get(i), values[i]);
            }
        }
        return new Observation(numeric, pending.nominal());
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        featureIndex = new HashMap<>();
        for (int i = 0; i < featureNames.size(); i++) {
            featureIndex.put(featureNames.get(i), i);
        }
    }

    /** A new id for a reading of this device that is to wait for its label. */
    public PendingId nextPendingId() {
        return new PendingId(pendingIds++);
    }

    public DeviceLabeler<PendingId> labeler() {
        return labeler;
    }

    public RiskTracker risk() {
        return risk;
    }
}
