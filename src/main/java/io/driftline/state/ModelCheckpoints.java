package io.driftline.state;

import io.driftline.config.PipelineSettings;
import io.driftline.label.DeviceSilence;
import io.driftline.label.ModelLabelClock;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.OnlineModel;
import io.driftline.state.CheckpointCodec.CheckpointDecodingException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.UncheckedIOException;
import java.util.Set;
import moa.classifiers.Classifier;

/**
 * The snapshot bytes of a {@link ModelState}: the byte {@link #SNAPSHOT_VERSION}, the Driftline
 * and MOA versions that wrote it ({@link WrittenBy}), the {@link SettingsFingerprint} of the
 * settings it was built under, then the deflated Java serialisation of the state, without any
 * settings. Reading one back checks the fingerprint against the current settings (a change resets
 * the model, as its key's next version: {@link SettingsChanged}), reads the serialisation through
 * an allow-list filter of classes, and gives the state the current settings. A serialisation this build cannot read (an
 * upgrade changed a class of the model's) resets the model too, and the reset names the versions
 * that wrote it and this one's: the model bundles exported before the upgrade bring it back
 * ({@link ModelBundle}).
 *
 * <p>Version 2 is the same without the versions that wrote it; it is read (as written by unknown versions).
 *
 * <p>Version 1 was the serialisation of a state that held its settings, without a fingerprint,
 * written whole under the model key or chunked (Driftline before the snapshot-and-journal store).
 * It is not read: such a model is reset once, with a MODEL_RESET alert ({@link LegacyFormat}).
 */
public final class ModelCheckpoints {

    static final byte SNAPSHOT_VERSION = 3;
    static final byte WITHOUT_WRITER_VERSION = 2;
    static final byte LEGACY_VERSION = 1;

    /*
     * The classes a model's object graph may hold, and bounds on its size (ModelClasses): Java serialisation runs
     * the {@code readObject} of every class it meets, so bytes from a changelog anyone with write
     * access to it can fill must not name any other class. MOA's learners, SAMOA's instances, MOA's
     * options (javacliparser), the model's label clock and version history, the
     * model's own classes and the JDK's collections, boxes and strings; arrays of them and of
     * primitives. The bounds are far above what a model needs: a tree a million readings old is
     * some 10 MB of serialisation, 60 levels deep.
     */
    static final long MAX_BYTES = 1L << 30;
    static final long MAX_DEPTH = 2_000;
    static final long MAX_REFERENCES = 50_000_000;
    static final long MAX_ARRAY_LENGTH = 100_000_000;

    private final ModelSettings settings;
    private final SettingsFingerprint fingerprint;
    private final byte[] header;

    public ModelCheckpoints(PipelineSettings settings) {
        this.settings = settings.model();
        this.fingerprint = SettingsFingerprint.of(settings);
        this.header = header(WrittenBy.current(), fingerprint);
    }

    /** What precedes a snapshot's serialisation: its format version, who wrote it, and under which settings. */
    static byte[] header(WrittenBy writer, SettingsFingerprint fingerprint) {
        EncodeBuffer bytes = new EncodeBuffer(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(SNAPSHOT_VERSION);
            out.writeUTF(writer.driftline());
            out.writeUTF(writer.moa());
            fingerprint.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A new model under the current settings. */
    public ModelState create() {
        return new ModelState(settings);
    }

    public byte[] encode(ModelState state) {
        return CheckpointCodec.serialise(header, state);
    }

    /**
     * The state {@link #encode} wrote, with the current settings.
     *
     * @throws SettingsChanged when a setting that shapes the state changed since it was written
     * @throws LegacyFormat when it was written by a Driftline before this layout
     * @throws CheckpointDecodingException when it cannot be read otherwise, among others when it
     *     names a class outside the allowed ones
     */
    public ModelState decode(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == LEGACY_VERSION) {
            throw new LegacyFormat();
        }
        if (bytes.length == 0 || bytes[0] != SNAPSHOT_VERSION && bytes[0] != WITHOUT_WRITER_VERSION) {
            throw new CheckpointDecodingException("unknown model snapshot format version "
                    + (bytes.length == 0 ? "(empty)" : bytes[0]) + " (this version reads " + WITHOUT_WRITER_VERSION
                    + " and " + SNAPSHOT_VERSION + ")", null);
        }
        ByteArrayInputStream remaining = new ByteArrayInputStream(bytes, 1, bytes.length - 1);
        SettingsFingerprint written;
        WrittenBy writer = WrittenBy.UNKNOWN;
        try {
            DataInputStream in = new DataInputStream(remaining);
            if (bytes[0] == SNAPSHOT_VERSION) {
                writer = new WrittenBy(in.readUTF(), in.readUTF());
            }
            written = SettingsFingerprint.readFrom(in);
        } catch (IOException e) {
            throw new CheckpointDecodingException("cannot read the settings fingerprint of a model snapshot: " + e, e);
        }
        int offset = bytes.length - remaining.available();
        String changes = written.changesTo(fingerprint);
        if (!changes.isEmpty()) {
            throw retired(bytes, offset, written, changes);
        }
        ModelClasses filter = new ModelClasses();
        ModelState state;
        try {
            state = CheckpointCodec.deserialise(bytes, offset, filter, ModelState.class);
        } catch (CheckpointDecodingException e) {
            if (filter.rejection != null) {
                throw new CheckpointDecodingException("model snapshot refused: " + filter.rejection, e);
            }
            throw new CheckpointDecodingException(e.getMessage() + " (written by " + writer + "; this is "
                    + WrittenBy.current() + ": import the model's bundle exported before the upgrade)", e);
        }
        state.attach(settings);
        return state;
    }

    /**
     * The settings changed since the snapshot was written: what the model key keeps of its model (see
     * {@link ModelState#retire}), read through the same allow list, without the current settings,
     * which may not fit it (other classes or features).
     */
    private static SettingsChanged retired(byte[] bytes, int offset, SettingsFingerprint written, String changes) {
        ModelClasses filter = new ModelClasses();
        try {
            ModelState old = CheckpointCodec.deserialise(bytes, offset, filter, ModelState.class);
            return new SettingsChanged(changes, old.retire(written.learner()));
        } catch (CheckpointDecodingException e) {
            return new SettingsChanged(changes + "; the model's version history cannot be read ("
                    + (filter.rejection != null ? filter.rejection : e.getMessage()) + "): versions start again at 1",
                    null);
        }
    }

    /**
     * A frozen version of a model ({@link ModelVersions}): its deflated serialisation, read through
     * the same allow list as a snapshot, with the current settings.
     */
    static OnlineModel thaw(byte[] frozen, ModelSettings settings) {
        OnlineModel model = CheckpointCodec.deserialise(frozen, 0, new ModelClasses(), OnlineModel.class);
        model.attach(settings);
        return model;
    }

    /**
     * A MOA learner from a model bundle ({@link ModelBundle}): its deflated serialisation, read
     * through the same allow list as a snapshot.
     *
     * @throws CheckpointDecodingException when it cannot be read, or holds a class a model may not
     */
    static Classifier thawLearner(byte[] serialised) {
        ModelClasses filter = new ModelClasses();
        try {
            return CheckpointCodec.deserialise(serialised, 0, filter, Classifier.class);
        } catch (CheckpointDecodingException e) {
            throw filter.rejection == null ? e : new CheckpointDecodingException("refused: " + filter.rejection, e);
        }
    }

    /**
     * A model's snapshot was written under settings that shaped it differently: the model must start
     * afresh, as the key's next version ({@link ModelState#afterSettingsChange}).
     */
    public static final class SettingsChanged extends CheckpointDecodingException {
        private final String changes;
        // Not serialised: an exception that travels is a message.
        private final transient ModelState.Retired retired;

        SettingsChanged(String changes, ModelState.Retired retired) {
            super("settings changed: " + changes, null);
            this.changes = changes;
            this.retired = retired;
        }

        /** The same change, where what the model counted of its alerts cannot be read (a journal segment): it starts afresh. */
        SettingsChanged alertQualityLost(String why) {
            retired.dropAlertQuality();
            return new SettingsChanged(changes + "; the model's alert quality cannot be read (" + why
                    + ") and starts afresh", retired);
        }

        /** What the key keeps of the model it had, or null when the snapshot's state cannot be read (the message says so). */
        public ModelState.Retired retired() {
            return retired;
        }
    }

    /** A model's checkpoint was written by a Driftline before snapshots and journals: the model must start afresh. */
    public static final class LegacyFormat extends CheckpointDecodingException {
        LegacyFormat() {
            super("checkpoint of format " + LEGACY_VERSION + " (written by an earlier Driftline, with its settings "
                    + "inside); this version reads format " + SNAPSHOT_VERSION + " and starts the model afresh", null);
        }
    }

    /** The allow list, and why it refused a snapshot; one per snapshot read. */
    private static final class ModelClasses implements ObjectInputFilter {

        private static final Set<String> PREFIXES = Set.of("moa.", "com.yahoo.labs.samoa.", "com.github.javacliparser.");
        private static final Set<String> PACKAGES = Set.of("io.driftline.learn", "io.driftline.drift", "io.driftline.alertquality",
                "java.util");
        private static final Set<String> CLASSES = Set.of(ModelState.class.getName(),
                ModelLabelClock.class.getName(), ModelLabelClock.class.getName() + "$Device",
                ModelLabelClock.class.getName() + "$ByTime", DeviceSilence.class.getName(),
                ModelVersions.class.getName(), ModelVersions.class.getName() + "$Entry",
                ModelVersions.class.getName() + "$Reason", ModelVersions.Figures.class.getName(), String.class.getName(),
                Object.class.getName(), Number.class.getName(), Enum.class.getName(), Boolean.class.getName(),
                Character.class.getName(), Byte.class.getName(), Short.class.getName(), Integer.class.getName(),
                Long.class.getName(), Float.class.getName(), Double.class.getName());

        private String rejection;

        @Override
        public Status checkInput(FilterInfo info) {
            if (info.streamBytes() > MAX_BYTES || info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES
                    || info.arrayLength() > MAX_ARRAY_LENGTH) {
                rejection = "beyond the bounds (" + info.streamBytes() + " bytes, depth " + info.depth() + ", "
                        + info.references() + " references, array of " + info.arrayLength() + ")";
                return Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            if (type == null) {
                return Status.ALLOWED;
            }
            while (type.isArray()) {
                type = type.getComponentType();
            }
            if (type.isPrimitive() || allowed(type)) {
                return Status.ALLOWED;
            }
            rejection = "class " + info.serialClass().getName() + " is not one a model may hold";
            return Status.REJECTED;
        }

        private static boolean allowed(Class<?> type) {
            String name = type.getName();
            if (CLASSES.contains(name) || PACKAGES.contains(type.getPackageName())) {
                return true;
            }
            for (String prefix : PREFIXES) {
                if (name.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }
}
