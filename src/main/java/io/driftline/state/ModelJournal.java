package io.driftline.state;

import io.driftline.alertquality.AlertEvent;
import io.driftline.alertquality.AlertQuality;
import io.driftline.learn.FeatureLayout;
import io.driftline.learn.FeatureVector;
import io.driftline.learn.Observation;
import io.driftline.learn.Scored;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.ByteBufferInputStream;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * The operations applied to one {@link ModelState} since its journal was last taken, in a compact
 * binary form, and their replay. A journal segment is what {@link #take} returns: the byte
 * {@link #VERSION}, then operations, each a one-byte code and its arguments:
 *
 * <pre>
 * PREDICT         observation sensors device time
 * LEARN           observation label predicted
 * SCORE           label predicted
 * LEARN_DEFERRED  observation label predicted predictedAt madeBy
 * RELEASE_SCORES  device deviceTime horizonMs graceMs
 * HOLD_BACK       observation label
 * TRAIN_HELD_BACK labelDelay
 * HEARD           device time silenceMs
 * FORGET_DEVICE   device
 * LEARN_LIFE      observation target
 * ALERT_QUALITY   machineType kind track value [8 bytes: the score's raw bits, for kind SCORED]
 *
 * observation := varint 0                    the observation of the segment's last PREDICT
 *              | varint n+1 numeric^n varint m nominal^m
 * numeric     := varint (name << 1 | isNull) [8 bytes: the double's raw bits, unless null]
 * nominal     := varint name, varint value   (value a name reference too)
 * sensors     := varint n sensor^n
 * sensor      := varint (name << 2 | kind) [8 raw bytes when kind is 0]
 *                kind 0: a value; 1: null; 2: the same value as the observation's feature of that name
 * label, device := varint name
 * name        := a reference into the state's string table: varint i + 1 for entry i, or 0 followed by
 *                a new string (Java modified UTF-8), which becomes the next entry
 * predicted   := varint predictedIndex, varint n, n × varint (the slot's predicted index + 1; 0: none)
 *                n is 0 when the model has no challengers (see {@link Scored#bySlot()}); version 2 segments
 *                have no n and no slots
 * target      := 8 bytes: the double's raw bits
 * machineType := varint name
 * kind        := varint, the ordinal of AlertEvent.Kind; track := varint; value := zig-zag varlong
 * predictedIndex, labelDelay := varint; time, silenceMs, predictedAt, madeBy, deviceTime, horizonMs, graceMs := zig-zag varlong
 * </pre>
 *
 * The settings an operation used (horizon, grace, label delay) are its arguments: a replay applies
 * them as the live operation did, whatever the settings are by then. Values are the doubles' raw
 * bits, so a replay sees exactly what the live model saw; maps are
 * written and read back in the live map's iteration order, so a replay iterates them in the same
 * order. The string table (feature names, nominal values, labels) is part of the state, in its
 * snapshot: each string is written once per model, not once per reading. A segment is replayed on
 * its own (a reference to a prediction never reaches into another segment), after the segments
 * before it.
 */
final class ModelJournal {

    /**
     * First byte of every segment; bump when the layout changes. Version 3 added ALERT_QUALITY and the
     * challengers' predictions (slots); a segment of version 2 has neither, and is replayed.
     */
    static final byte VERSION = 3;
    static final byte PREVIOUS_VERSION = 2;

    static final int PREDICT = 1;
    static final int LEARN = 2;
    static final int SCORE = 3;
    static final int LEARN_DEFERRED = 4;
    static final int RELEASE_SCORES = 5;
    static final int HOLD_BACK = 6;
    static final int TRAIN_HELD_BACK = 7;
    static final int HEARD = 8;
    static final int FORGET_DEVICE = 9;
    static final int LEARN_LIFE = 10;
    static final int ALERT_QUALITY = 11;

    private static final int SENSOR_VALUE = 0;
    private static final int SENSOR_NULL = 1;
    private static final int SENSOR_AS_FEATURE = 2;

    private final List<String> strings;
    private final Map<String, Integer> index = new HashMap<>();
    private final EncodeBuffer buffer = new EncodeBuffer(256);
    // Writes straight through to the buffer, so the hot loops may write to the buffer itself between its writes.
    private final DataOutputStream out = new DataOutputStream(buffer);
    // The observation of the last PREDICT in this segment: a LEARN of the same object refers to it.
    private Observation lastPredicted;
    // Where each operation recorded since the last take starts, and whether it is a PREDICT or refers to one.
    private int[] starts = new int[64];
    private byte[] kinds = new byte[64];
    private int operations;
    private static final byte OTHER = 0;
    private static final byte PREDICTION = 1;
    private static final byte REFERENCE = 2;

    /** @param strings the state's string table, which this journal extends with every new string */
    ModelJournal(List<String> strings) {
        this.strings = strings;
        for (int i = 0; i < strings.size(); i++) {
            index.put(strings.get(i), i);
        }
    }

    /**
     * The operations recorded since the last call, as segments of at most {@code limit} bytes where
     * they can be cut (an operation is never cut, nor separated from the prediction it refers to;
     * such a group longer than the limit is a segment of its own); empty when there were none.
     */
    List<byte[]> take(int limit) {
        lastPredicted = null;
        List<byte[]> segments = new ArrayList<>(1);
        if (operations == 0) {
            return segments;
        }
        // cuttable[i]: a segment may start at operation i (no operation from i on refers to a prediction before i).
        boolean[] cuttable = new boolean[operations + 1];
        cuttable[operations] = true;
        boolean referring = false;
        for (int i = operations - 1; i >= 0; i--) {
            if (kinds[i] == PREDICTION) {
                referring = false;
            } else if (kinds[i] == REFERENCE) {
                referring = true;
            }
            cuttable[i] = !referring || kinds[i] == PREDICTION;
        }
        int from = 0;
        while (from < operations) {
            // The furthest cut whose segment fits, or else the first cut.
            int cut = -1;
            for (int to = from + 1; to <= operations; to++) {
                if (cuttable[to]) {
                    boolean fits = end(to) - starts[from] + 1 <= limit;
                    if (cut < 0 || fits) {
                        cut = to;
                    }
                    if (!fits) {
                        break;
                    }
                }
            }
            segments.add(segment(starts[from], end(cut)));
            from = cut;
        }
        buffer.reset();
        operations = 0;
        return segments;
    }

    /** Where operation {@code i} ends (the next one starts). */
    private int end(int i) {
        return i == operations ? buffer.size() : starts[i];
    }

    private byte[] segment(int from, int to) {
        byte[] segment = new byte[to - from + 1];
        segment[0] = VERSION;
        System.arraycopy(buffer.buffer(), from, segment, 1, to - from);
        return segment;
    }

    /** Starts an operation: notes where it starts and what it is. */
    private void begin(int code, byte kind) {
        if (operations == starts.length) {
            starts = Arrays.copyOf(starts, 2 * operations);
            kinds = Arrays.copyOf(kinds, 2 * operations);
        }
        starts[operations] = buffer.size();
        kinds[operations++] = kind;
        buffer.write(code);
    }

    void predict(Observation observation, Map<String, Double> sensors, String deviceId, long time) {
        try {
            begin(PREDICT, PREDICTION);
            writeObservation(observation, false);
            ByteUtils.writeVarint(sensors.size(), out);
            Map<String, Double> numeric = observation.numeric();
            // A sensor is a feature of the same name too: one lookup of its slot finds both the feature
            // and the name's reference (the sensors' names come decoded afresh with every reading).
            FeatureVector vector = numeric instanceof FeatureVector features ? features : null;
            int[] references = vector == null ? null : vector.layout().perSlot(strings, this::reference);
            for (Map.Entry<String, Double> sensor : sensors.entrySet()) {
                Double value = sensor.getValue();
                int slot = vector == null ? -1 : vector.layout().find(sensor.getKey());
                Double feature = vector == null ? numeric.get(sensor.getKey())
                        : slot >= 0 && slot < vector.slots() && vector.has(slot) ? vector.value(slot) : null;
                int kind = value == null ? SENSOR_NULL : sameBits(value, feature) ? SENSOR_AS_FEATURE : SENSOR_VALUE;
                writeName(references, slot, sensor.getKey(), 2, kind);
                if (kind == SENSOR_VALUE) {
                    buffer.writeLong(Double.doubleToRawLongBits(value));
                }
            }
            writeName(deviceId, 0, 0);
            ByteUtils.writeVarlong(time, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lastPredicted = observation;
    }

    void learn(Observation observation, String label, Scored scored) {
        try {
            begin(LEARN, refers(observation));
            writeObservation(observation, true);
            writeName(label, 0, 0);
            writePredicted(scored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void score(String label, Scored scored) {
        try {
            begin(SCORE, OTHER);
            writeName(label, 0, 0);
            writePredicted(scored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void learnDeferred(Observation observation, String label, Scored scored, long predictedAt, long madeBy) {
        try {
            begin(LEARN_DEFERRED, refers(observation));
            writeObservation(observation, true);
            writeName(label, 0, 0);
            writePredicted(scored);
            ByteUtils.writeVarlong(predictedAt, out);
            ByteUtils.writeVarlong(madeBy, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What scoring reads of a prediction: the champion's predicted index, and each slot's. */
    private void writePredicted(Scored scored) throws IOException {
        ByteUtils.writeVarint(scored.predictedIndex(), out);
        int[] bySlot = scored.bySlot();
        ByteUtils.writeVarint(bySlot == null ? 0 : bySlot.length, out);
        if (bySlot != null) {
            for (int predicted : bySlot) {
                ByteUtils.writeVarint(predicted + 1, out);
            }
        }
    }

    void releaseScores(String deviceId, long deviceTime, long horizonMs, long graceMs) {
        try {
            begin(RELEASE_SCORES, OTHER);
            writeName(deviceId, 0, 0);
            ByteUtils.writeVarlong(deviceTime, out);
            ByteUtils.writeVarlong(horizonMs, out);
            ByteUtils.writeVarlong(graceMs, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void holdBack(Observation observation, String label) {
        try {
            begin(HOLD_BACK, refers(observation));
            writeObservation(observation, true);
            writeName(label, 0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void trainHeldBack(int labelDelay) {
        begin(TRAIN_HELD_BACK, OTHER);
        try {
            ByteUtils.writeVarint(labelDelay, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void heard(String deviceId, long time, long silenceMs) {
        try {
            begin(HEARD, OTHER);
            writeName(deviceId, 0, 0);
            ByteUtils.writeVarlong(time, out);
            ByteUtils.writeVarlong(silenceMs, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void forgetDevice(String deviceId) {
        try {
            begin(FORGET_DEVICE, OTHER);
            writeName(deviceId, 0, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void learnRemainingLife(Observation observation, double targetMs) {
        try {
            begin(LEARN_LIFE, refers(observation));
            writeObservation(observation, true);
            out.writeLong(Double.doubleToRawLongBits(targetMs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void alertQuality(String machineType, AlertEvent event) {
        try {
            begin(ALERT_QUALITY, OTHER);
            writeName(machineType, 0, 0);
            ByteUtils.writeVarint(event.kind().ordinal(), out);
            ByteUtils.writeVarint(event.track(), out);
            ByteUtils.writeVarlong(event.value(), out);
            if (event.kind() == AlertEvent.Kind.SCORED) {
                out.writeLong(Double.doubleToRawLongBits(event.score()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte refers(Observation observation) {
        return observation == lastPredicted ? REFERENCE : OTHER;
    }

    private static boolean sameBits(double value, Double feature) {
        return feature != null && Double.doubleToRawLongBits(feature) == Double.doubleToRawLongBits(value);
    }

    private void writeObservation(Observation observation, boolean mayReferToPredicted) throws IOException {
        if (mayReferToPredicted && observation == lastPredicted) {
            ByteUtils.writeVarint(0, out);
            return;
        }
        ByteUtils.writeVarint(observation.numeric().size() + 1, out);
        if (observation.numeric() instanceof FeatureVector vector) {
            // By slot: no entry or boxed value per feature, and the names' references kept by the layout.
            int[] references = vector.layout().perSlot(strings, this::reference);
            for (int slot = 0; slot < vector.slots(); slot++) {
                if (vector.has(slot)) {
                    writeName(references, slot, vector.name(slot), 1, 0);
                    buffer.writeLong(Double.doubleToRawLongBits(vector.value(slot)));
                }
            }
        } else {
            for (Map.Entry<String, Double> feature : observation.numeric().entrySet()) {
                Double value = feature.getValue();
                writeName(feature.getKey(), 1, value == null ? 1 : 0);
                if (value != null) {
                    out.writeLong(Double.doubleToRawLongBits(value));
                }
            }
        }
        ByteUtils.writeVarint(observation.nominal().size(), out);
        for (Map.Entry<String, String> attribute : observation.nominal().entrySet()) {
            writeName(attribute.getKey(), 0, 0);
            writeName(attribute.getValue(), 0, 0);
        }
    }

    /** The index of {@code name} in {@code table} (the state's string table), or -1 when it is not in it yet. */
    private int reference(List<String> table, String name) {
        Integer known = index.get(name);
        return known == null ? -1 : known;
    }

    /**
     * A string reference shifted left by {@code bits} with {@code flags} in those bits, and the string if new;
     * returns its index in the string table.
     */
    private int writeName(String name, int bits, int flags) throws IOException {
        Integer known = index.get(name);
        if (known != null) {
            writeReference(known, bits, flags);
            return known;
        }
        ByteUtils.writeVarint(flags, out);
        out.writeUTF(name);
        index.put(name, strings.size());
        strings.add(name);
        return strings.size() - 1;
    }

    /**
     * {@link #writeName} for the name of {@code slot} of a layout whose kept references are
     * {@code references}: the kept one when there is one, else the name, whose reference is then kept
     * ({@code slot} -1: a name without a slot).
     */
    private void writeName(int[] references, int slot, String name, int bits, int flags) throws IOException {
        if (slot >= 0 && references[slot] >= 0) {
            writeReference(references[slot], bits, flags);
            return;
        }
        int written = writeName(name, bits, flags);
        if (slot >= 0) {
            references[slot] = written;
        }
    }

    /** The reference to entry {@code known} of the string table, shifted left by {@code bits} with {@code flags}. */
    private void writeReference(int known, int bits, int flags) {
        buffer.writeVarint((known + 1) << bits | flags);
    }

    /**
     * Applies the operations of {@code segment} to {@code target} through its public methods, in
     * order (the target does not journal them again), extending
     * {@code strings} with the strings the segment introduces.
     *
     * @throws CheckpointCodec.CheckpointDecodingException when the segment is of another version or corrupt
     */
    static void replay(byte[] segment, List<String> strings, ReplayLayouts layouts, ModelState target) {
        Reader reader = Reader.of(segment, strings, layouts);
        try {
            reader.replay(target);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointCodec.CheckpointDecodingException("cannot replay a journal segment: " + e, e);
        }
    }

    /**
     * Applies only the alert-quality operations of a segment to {@code target}, reading past the
     * others: for a model built under settings that changed (see {@link ModelState#afterSettingsChange}),
     * whose learners cannot replay them, but whose alert quality is the model key's and goes on.
     *
     * @throws CheckpointCodec.CheckpointDecodingException when the segment cannot be read
     */
    static void replayAlertQuality(byte[] segment, List<String> strings, AlertQuality target) {
        Reader reader = Reader.of(segment, strings, new ReplayLayouts());
        try {
            reader.replayAlertQuality(target);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointCodec.CheckpointDecodingException("cannot read a journal segment: " + e, e);
        }
    }

    private static final class Reader {
        private final ByteBuffer in;
        private final List<String> strings;
        private final boolean slots;
        private final ReplayLayouts layouts;
        private Observation lastPredicted;

        Reader(ByteBuffer in, List<String> strings, boolean slots, ReplayLayouts layouts) {
            this.in = in;
            this.strings = strings;
            this.slots = slots;
            this.layouts = layouts;
        }

        static Reader of(byte[] segment, List<String> strings, ReplayLayouts layouts) {
            if (segment.length == 0 || segment[0] != VERSION && segment[0] != PREVIOUS_VERSION) {
                throw new CheckpointCodec.CheckpointDecodingException("unknown journal segment version "
                        + (segment.length == 0 ? "(empty)" : segment[0]) + " (this version reads "
                        + PREVIOUS_VERSION + " and " + VERSION + ")", null);
            }
            return new Reader(ByteBuffer.wrap(segment, 1, segment.length - 1), strings,
                    segment[0] == VERSION, layouts);
        }

        void replay(ModelState target) throws IOException {
            int op;
            while ((op = nextOperation()) >= 0) {
                switch (op) {
                    case PREDICT -> {
                        Observation observation = readObservation();
                        target.replayPredict(observation, readSensors(observation.numeric()),
                                readName(ByteUtils.readVarint(in)), ByteUtils.readVarlong(in));
                        lastPredicted = observation;
                    }
                    case LEARN -> target.learn(readObservation(), readName(ByteUtils.readVarint(in)), readPredicted());
                    case SCORE -> target.score(readName(ByteUtils.readVarint(in)), readPredicted());
                    case LEARN_DEFERRED -> target.learnDeferred(readObservation(), readName(ByteUtils.readVarint(in)),
                            readPredicted(), ByteUtils.readVarlong(in), ByteUtils.readVarlong(in));
                    case RELEASE_SCORES -> target.releaseScores(readName(ByteUtils.readVarint(in)),
                            ByteUtils.readVarlong(in), ByteUtils.readVarlong(in), ByteUtils.readVarlong(in));
                    case HOLD_BACK -> target.holdBack(readObservation(), readName(ByteUtils.readVarint(in)));
                    case TRAIN_HELD_BACK -> target.trainHeldBack(ByteUtils.readVarint(in));
                    case HEARD -> target.heard(readName(ByteUtils.readVarint(in)), ByteUtils.readVarlong(in),
                            ByteUtils.readVarlong(in));
                    case FORGET_DEVICE -> target.forgetDevice(readName(ByteUtils.readVarint(in)));
                    case LEARN_LIFE -> target.learnRemainingLife(readObservation(),
                            Double.longBitsToDouble(in.getLong()));
                    case ALERT_QUALITY -> target.alertQuality(readName(ByteUtils.readVarint(in)), readAlertEvent());
                    default -> throw new IOException("unknown operation " + op);
                }
            }
        }

        /** {@link #replay}'s reading, operation by operation, applying only ALERT_QUALITY. */
        void replayAlertQuality(AlertQuality target) throws IOException {
            int op;
            while ((op = nextOperation()) >= 0) {
                switch (op) {
                    case PREDICT -> {
                        Observation observation = readObservation();
                        readSensors(observation.numeric());
                        readName(ByteUtils.readVarint(in));
                        ByteUtils.readVarlong(in);
                        lastPredicted = observation;
                    }
                    case LEARN -> {
                        readObservation();
                        readName(ByteUtils.readVarint(in));
                        readPredicted();
                    }
                    case HOLD_BACK -> {
                        readObservation();
                        readName(ByteUtils.readVarint(in));
                    }
                    case SCORE -> {
                        readName(ByteUtils.readVarint(in));
                        readPredicted();
                    }
                    case LEARN_DEFERRED -> {
                        readObservation();
                        readName(ByteUtils.readVarint(in));
                        readPredicted();
                        ByteUtils.readVarlong(in);
                        ByteUtils.readVarlong(in);
                    }
                    case RELEASE_SCORES -> {
                        readName(ByteUtils.readVarint(in));
                        ByteUtils.readVarlong(in);
                        ByteUtils.readVarlong(in);
                        ByteUtils.readVarlong(in);
                    }
                    case TRAIN_HELD_BACK -> ByteUtils.readVarint(in);
                    case HEARD -> {
                        readName(ByteUtils.readVarint(in));
                        ByteUtils.readVarlong(in);
                        ByteUtils.readVarlong(in);
                    }
                    case FORGET_DEVICE -> readName(ByteUtils.readVarint(in));
                    case LEARN_LIFE -> {
                        readObservation();
                        in.getLong();
                    }
                    case ALERT_QUALITY -> target.apply(readName(ByteUtils.readVarint(in)), readAlertEvent());
                    default -> throw new IOException("unknown operation " + op);
                }
            }
        }

        private AlertEvent readAlertEvent() throws IOException {
            int kind = ByteUtils.readVarint(in);
            if (kind < 0 || kind >= AlertEvent.Kind.values().length) {
                throw new IOException("unknown alert-quality event " + kind);
            }
            AlertEvent.Kind eventKind = AlertEvent.Kind.values()[kind];
            int track = ByteUtils.readVarint(in);
            long value = ByteUtils.readVarlong(in);
            double score = eventKind == AlertEvent.Kind.SCORED ? Double.longBitsToDouble(in.getLong()) : 0;
            return new AlertEvent(eventKind, track, value, score);
        }

        /** Scoring reads only the predicted indices of a prediction: the journal keeps nothing else of it. */
        private Scored readPredicted() throws IOException {
            int index = ByteUtils.readVarint(in);
            int[] bySlot = null;
            int slotCount = slots ? ByteUtils.readVarint(in) : 0;
            if (slotCount > 0) {
                bySlot = new int[slotCount];
                for (int i = 0; i < slotCount; i++) {
                    bySlot[i] = ByteUtils.readVarint(in) - 1;
                }
            }
            return new Scored(null, index, null, Double.NaN, -1, List.of(), null, bySlot);
        }

        private Observation readObservation() throws IOException {
            int header = ByteUtils.readVarint(in);
            if (header == 0) {
                if (lastPredicted == null) {
                    throw new IOException("a reference to a prediction the segment does not hold");
                }
                return lastPredicted;
            }
            int count = count(header - 1);
            int[] names = new int[count];
            double[] values = new double[count];
            boolean[] nulls = null;
            for (int i = 0; i < count; i++) {
                int reference = ByteUtils.readVarint(in);
                names[i] = readReference(reference >>> 1);
                if ((reference & 1) == 0) {
                    values[i] = Double.longBitsToDouble(in.getLong());
                } else {
                    nulls = nulls == null ? new boolean[count] : nulls;
                    nulls[i] = true;
                }
            }
            Map<String, Double> numeric = nulls == null ? vector(names, values) : withNulls(names, values, nulls);
            int nominalCount = count(ByteUtils.readVarint(in));
            Map<String, String> nominal = nominalCount == 0 ? Map.of() : new LinkedHashMap<>(2 * nominalCount);
            for (int i = 0; i < nominalCount; i++) {
                String name = readName(ByteUtils.readVarint(in));
                nominal.put(name, readName(ByteUtils.readVarint(in)));
            }
            return new Observation(numeric, nominal);
        }

        private Map<String, Double> readSensors(Map<String, Double> numeric) throws IOException {
            int count = count(ByteUtils.readVarint(in));
            Map<String, Double> sensors = new LinkedHashMap<>(2 * count);
            for (int i = 0; i < count; i++) {
                int reference = ByteUtils.readVarint(in);
                String name = readName(reference >>> 2);
                switch (reference & 3) {
                    case SENSOR_VALUE -> sensors.put(name, Double.longBitsToDouble(in.getLong()));
                    case SENSOR_NULL -> sensors.put(name, null);
                    case SENSOR_AS_FEATURE -> sensors.put(name, numeric.get(name));
                    default -> throw new IOException("unknown sensor kind " + (reference & 3));
                }
            }
            return sensors;
        }

        /**
         * Features as the live vector had them: a feature the live map held as null (written by a
         * map that was not a vector) is no absent slot, and such an observation stays a map.
         */
        private Map<String, Double> withNulls(int[] names, double[] values, boolean[] nulls) {
            Map<String, Double> numeric = new LinkedHashMap<>(2 * names.length);
            for (int i = 0; i < names.length; i++) {
                numeric.put(strings.get(names[i]), nulls[i] ? null : values[i]);
            }
            return numeric;
        }

        private FeatureVector vector(int[] names, double[] values) {
            FeatureLayout layout = layouts.of(names, strings);
            FeatureVector.Builder vector = FeatureVector.on(layout);
            for (int slot = 0; slot < values.length; slot++) {
                vector.set(slot, values[slot]);
            }
            return vector.build();
        }

        /** The next operation's code, or -1 at the segment's end. */
        private int nextOperation() {
            return in.hasRemaining() ? in.get() & 0xFF : -1;
        }

        /** The string a reference names, reading a new one into the table when it is 0. */
        private String readName(int reference) throws IOException {
            return strings.get(readReference(reference));
        }

        /** The index in the string table of what a reference names, reading a new string into it when it is 0. */
        private int readReference(int reference) throws IOException {
            if (reference == 0) {
                strings.add(DataInputStream.readUTF(new DataInputStream(new ByteBufferInputStream(in))));
                return strings.size() - 1;
            }
            if (reference < 0 || reference > strings.size()) {
                throw new IOException("string reference " + reference + " beyond the " + strings.size() + " known");
            }
            return reference - 1;
        }

        /** A count of entries of at least a byte each: a corrupt one fails rather than allocates. */
        private int count(int count) throws IOException {
            if (count < 0 || count > in.remaining()) {
                throw new IOException("corrupt count " + count);
            }
            return count;
        }
    }
}
