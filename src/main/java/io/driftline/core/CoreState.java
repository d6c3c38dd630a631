package io.driftline.core;

import io.driftline.state.CheckpointCodec.CheckpointDecodingException;
import io.driftline.state.DeviceState;
import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.DeviceState.PendingReading;
import io.driftline.state.ImportPart;
import io.driftline.state.ModelState;
import io.driftline.state.PendingLookup;

/**
 * The state {@link ModelCore} reads and changes: models by model key, devices by device id, the
 * readings devices hold while they wait for a label, and the parts of model bundles being imported. The Kafka Streams adapter keeps it in
 * changelogged stores; {@link InMemoryCoreState} keeps it in maps for tests, harnesses and replays.
 *
 * <p>Values are live objects: the core changes them in place and says so ({@link #modelChanged},
 * {@link #deviceChanged}) so that a durable implementation knows what to write.
 */
public interface CoreState {

    /**
     * The model of {@code modelKey}, or null if it has none.
     *
     * @throws CheckpointDecodingException when its durable form cannot be read
     */
    ModelState model(String modelKey);

    /** Makes {@code model} the model of {@code modelKey} (a new or a reset model). */
    void putModel(String modelKey, ModelState model);

    /** The model of {@code modelKey} was changed in place. */
    void modelChanged(String modelKey);

    /**
     * The state of {@code deviceId}, or null if it has none.
     *
     * @throws CheckpointDecodingException when its durable form cannot be read
     */
    DeviceState device(String deviceId);

    /** Makes {@code device} the state of {@code deviceId}. */
    void putDevice(String deviceId, DeviceState device);

    /** Forgets the state of {@code deviceId}. */
    void removeDevice(String deviceId);

    /** The state of {@code deviceId} was changed in place. */
    void deviceChanged(String deviceId);

    /**
     * Keeps the reading {@code id} of {@code deviceId}, taken at {@code time} (event time), until its
     * label is known; returns the id to take it by, which carries how far behind its store's clock it came.
     */
    PendingId putPending(String deviceId, PendingId id, long time, PendingReading reading);

    /**
     * The reading {@code id} of {@code deviceId} (as {@link #putPending} returned it), taken at
     * {@code time}, now that its label is known;
     * or why it is gone (readings are kept for a retention, {@link io.driftline.state.PendingClock}).
     * It is not looked up again.
     */
    PendingLookup takePending(String deviceId, PendingId id, long time);

    /**
     * The readings {@code deviceId} had waiting will never be looked up (its state was dropped): a
     * state may free them now, or let them expire.
     */
    void dropPending(String deviceId);

    /** Keeps part {@code part} of a model bundle being imported into {@code modelKey}. */
    void putImportPart(String modelKey, int part, ImportPart value);

    /** Part {@code part} of the bundle being imported into {@code modelKey}, or null if none is kept. */
    ImportPart importPart(String modelKey, int part);

    /** Forgets every part kept for {@code modelKey}. */
    void dropImportParts(String modelKey);
}
