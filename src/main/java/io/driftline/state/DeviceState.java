package io.driftline.state;

import io.driftline.alert.RiskTracker;
import io.driftline.alertquality.AlertWatch;
import io.driftline.features.RollingFeatures;
import io.driftline.label.DeviceLabeler;
import io.driftline.label.LabelPolicy;
import io.driftline.learn.FeatureLayout;
import io.driftline.learn.FeatureVector;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * What the model stage keeps per device: its machine type, its sensor features (values and rolling
 * statistics, on the device's {@link FeatureLayout}, which its pending readings share), its
 * readings waiting for a delayed label (the ids of their entries in {@link PendingReadings}), and
 * its failure-risk and anomaly episodes, and its episodes waiting for their alert-quality verdict
 * ({@link AlertWatch}). Bounded: the feature window and {@code label.max.pending}.
 *
 * <p>Checkpointed in its own binary layout ({@link #writeTo}, format version
 * {@link CheckpointCodec#DEVICE_FORMAT_VERSION}) rather than by Java serialisation: every device
 * with a reading since the last commit is checkpointed at that commit, and Java serialisation plus
 * deflate cost about ten times as much.
 */
public final class DeviceState {

    /**
     * A reading waiting for its label: what the model saw (numeric values by slot of the device's
     * {@link FeatureLayout}, NaN where absent) and what it predicted then. Kept in {@link PendingReadings},
     * one store entry each, in a compact binary form: a device may hold thousands. {@code version}
     * is the version of the model key that made the prediction ({@link ModelState#version()}), or
     * {@link #UNKNOWN_VERSION} for entries written before versions existed.
     */
    public record PendingReading(double[] numeric, Map<String, String> nominal, Scored scored, long sequence,
                                 long version) {

        public static final long UNKNOWN_VERSION = -1;


        byte[] encode() {
            EncodeBuffer bytes = new EncodeBuffer(64 + numeric.length * Double.BYTES);
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
                out.writeLong(version);
                if (scored.bySlot() != null) {
                    out.writeInt(scored.bySlot().length);
                    for (int predicted : scored.bySlot()) {
                        out.writeInt(predicted);
                    }
                }
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
                String predictedClass = in.readUTF();
                int predictedIndex = in.readInt();
                double[] probabilities = readDoubles(in);
                double positive = in.readDouble();
                long modelVersion = in.readLong();
                long sequence = in.readLong();
                // Entries written before versions end here; those of a model without challengers, after the version.
                long version = in.available() > 0 ? in.readLong() : UNKNOWN_VERSION;
                int[] bySlot = null;
                if (in.available() > 0) {
                    bySlot = new int[in.readInt()];
                    for (int i = 0; i < bySlot.length; i++) {
                        bySlot[i] = in.readInt();
                    }
                }
                Scored scored = new Scored(predictedClass, predictedIndex, probabilities, positive, modelVersion,
                        List.of(), null, bySlot);
                return new PendingReading(numeric, nominal, scored, sequence, version);
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
     * Which of its device's pending readings an entry of {@link PendingReadings} is, and how far its
     * store's clock was past the reading when it was stored ({@link PendingClock#lag}): the entry is
     * kept by the reading's event time plus that lag.
     */
    public static final class PendingId {
        private final long value;
        private final long lagMs;

        public PendingId(long value) {
            this(value, 0);
        }

        public PendingId(long value, long lagMs) {
            if (lagMs < 0 || lagMs % PendingClock.QUANTUM_MS != 0) {
                throw new IllegalArgumentException("a lag is whole quanta of the pending clock, was " + lagMs);
            }
            this.value = value;
            this.lagMs = lagMs;
        }

        public long value() {
            return value;
        }

        public long lagMs() {
            return lagMs;
        }

        /** This id, stored {@code lagMs} behind its store's clock. */
        public PendingId lagging(long lagMs) {
            return lagMs == this.lagMs ? this : new PendingId(value, lagMs);
        }

        /** The time its store keeps the reading by, for a reading at {@code time}. */
        public long keptBy(long time) {
            return time + lagMs;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof PendingId id && id.value == value && id.lagMs == lagMs;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(value) * 31 + Long.hashCode(lagMs);
        }

        @Override
        public String toString() {
            return lagMs == 0 ? "PendingId[" + value + "]" : "PendingId[" + value + ", lag " + lagMs + " ms]";
        }
    }

    private final String machineType;
    private final FeatureLayout layout;
    private final RollingFeatures features;
    private final DeviceLabeler<PendingId> labeler;
    private final RiskTracker risk;
    private final RiskTracker anomaly;
    private final AlertWatch watch;
    // The layout's names as FeatureNames encodes them, and how many: the same bytes in every
    // checkpoint until a name is added (the layout only appends).
    private byte[] encodedNames;
    private int encodedCount;
    private long pendingIds;

    /** @param featureWindow readings per rolling window; 0 for no rolling statistics */
    public DeviceState(String machineType, int featureWindow, LabelPolicy labels) {
        this(machineType, new FeatureLayout(), featureWindow, new DeviceLabeler<>(labels), new RiskTracker(),
                new RiskTracker(), new AlertWatch());
    }

    private DeviceState(String machineType, FeatureLayout layout, int featureWindow, DeviceLabeler<PendingId> labeler,
                        RiskTracker risk, RiskTracker anomaly, AlertWatch watch) {
        this(machineType, layout, new RollingFeatures(featureWindow, layout), labeler, risk, anomaly, watch);
    }

    private DeviceState(String machineType, FeatureLayout layout, RollingFeatures features,
                        DeviceLabeler<PendingId> labeler, RiskTracker risk, RiskTracker anomaly, AlertWatch watch) {
        this.machineType = machineType;
        this.layout = layout;
        this.features = features;
        this.labeler = labeler;
        this.risk = risk;
        this.anomaly = anomaly;
        this.watch = watch;
    }

    public String machineType() {
        return machineType;
    }

    /** The device's features, whose {@link RollingFeatures#update} gives what its readings' observations hold. */
    public RollingFeatures features() {
        return features;
    }

    /**
     * Packs what the model (of {@code version}) saw and predicted for a reading, to wait for its
     * label: the observation's numeric features are one of {@link #features()}' vectors, kept by slot.
     */
    public PendingReading pending(Observation observation, Scored scored, long sequence, long version) {
        if (!(observation.numeric() instanceof FeatureVector vector) || vector.layout() != layout) {
            throw new IllegalArgumentException("not an observation of this device's features");
        }
        Scored compact = new Scored(scored.predictedClass(), scored.predictedIndex(), scored.probabilities(),
                scored.positiveProbability(), scored.modelVersion(), List.of(), null, scored.bySlot());
        return new PendingReading(vector.packed(), observation.nominal(), compact, sequence, version);
    }

    /**
     * The observation a {@link #pending} reading was packed from, but for its NaN values (absent
     * from it: the model sees a missing value either way). Takes the reading's values over.
     */
    public Observation observation(PendingReading pending) {
        return new Observation(FeatureVector.unpacked(layout, pending.numeric()), pending.nominal());
    }

    /**
     * Writes this state, to be read back by {@link #readFrom}: the body of a device checkpoint.
     * Counters, times and ids are varints, mostly as differences: a few bytes where a long took eight.
     */
    void writeTo(DataOutputStream out) throws IOException {
        out.writeUTF(machineType);
        ByteUtils.writeVarlong(pendingIds, out);
        if (encodedNames == null || encodedCount != layout.size()) {
            encodedNames = FeatureNames.encode(layout.names());
            encodedCount = layout.size();
        }
        out.write(encodedNames);
        out.writeBoolean(features.window() > 0);
        if (features.window() > 0) {
            features.writeTo(out);
        }
        labeler.writeTo(out, this::writePendingId);
        risk.writeTo(out);
        anomaly.writeTo(out);
        watch.writeTo(out);
    }

    /**
     * Reads what {@link #writeTo} wrote (or, for {@code version} 6, the same with every queued reading
     * stored without a lag; for version 5, also without the alert-quality
     * watch, which starts with no episode waiting; for version 4, also without the anomaly
     * episode, which starts with none; for version 3, also with the label policy the labeler was
     * built with, which is skipped). The settings are the current ones: the labeler
     * gets {@code labels}, and rolling features whose window is not the one now configured for the
     * device's machine type start afresh with it (the model, whose settings fingerprint covers
     * {@code features.window}, is reset too).
     */
    static DeviceState readFrom(DataInputStream in, int version, LabelPolicy labels,
                                ToIntFunction<String> featureWindow) throws IOException {
        String machineType = in.readUTF();
        long pendingIds = ByteUtils.readVarlong(in);
        List<String> names = FeatureNames.decode(in);
        FeatureLayout layout = new FeatureLayout();
        names.forEach(layout::slot);
        if (layout.size() != names.size()) {
            throw new IOException("corrupt feature names: " + names.size() + " with " + layout.size() + " distinct");
        }
        RollingFeatures features = in.readBoolean() ? RollingFeatures.readFrom(in, layout) : null;
        int window = featureWindow.applyAsInt(machineType);
        if (features == null || features.window() != window) {
            // The layout stays: the pending readings' values are by its slots.
            features = new RollingFeatures(window, layout);
        }
        if (version == CheckpointCodec.DEVICE_FORMAT_WITH_POLICY) {
            DeviceLabeler.skipWrittenPolicy(in);
        }
        DeviceLabeler<PendingId> labeler = DeviceLabeler.readFrom(in, labels,
                from -> readPendingId(from, pendingIds, version));
        RiskTracker risk = RiskTracker.readFrom(in);
        RiskTracker anomaly = version >= CheckpointCodec.DEVICE_FORMAT_WITHOUT_WATCH ? RiskTracker.readFrom(in)
                : new RiskTracker();
        AlertWatch watch = version >= CheckpointCodec.DEVICE_FORMAT_WITHOUT_LAG ? AlertWatch.readFrom(in) : new AlertWatch();
        DeviceState device = new DeviceState(machineType, layout, features, labeler, risk, anomaly, watch);
        device.pendingIds = pendingIds;
        return device;
    }

    /**
     * A queued reading's id as its distance from the next id (one or two bytes), negated when the
     * reading lags its store's clock, then followed by the lag in quanta: nothing more for the usual
     * reading, stored in its task's newest quantum. The distance is at least 1, so its sign is free.
     */
    private void writePendingId(DataOutput out, PendingId id) throws IOException {
        long distance = pendingIds - id.value();
        if (id.lagMs() == 0) {
            ByteUtils.writeVarlong(distance, out);
        } else {
            ByteUtils.writeVarlong(-distance, out);
            ByteUtils.writeVarlong(id.lagMs() / PendingClock.QUANTUM_MS, out);
        }
    }

    private static PendingId readPendingId(DataInputStream in, long pendingIds, int version) throws IOException {
        long distance = ByteUtils.readVarlong(in);
        if (distance > 0 || version < CheckpointCodec.DEVICE_FORMAT_VERSION) {
            return new PendingId(pendingIds - distance);
        }
        long quanta = ByteUtils.readVarlong(in);
        if (distance == 0 || quanta <= 0) {
            throw new IOException("corrupt pending id: distance " + distance + ", lag " + quanta + " quanta");
        }
        return new PendingId(pendingIds + distance, quanta * PendingClock.QUANTUM_MS);
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

    /** The device's ANOMALY episode: the same raise, clear and debounce as failure risk, on anomaly scores. */
    public RiskTracker anomaly() {
        return anomaly;
    }

    /** The device's episodes waiting for their alert-quality verdict. */
    public AlertWatch alertWatch() {
        return watch;
    }
}
