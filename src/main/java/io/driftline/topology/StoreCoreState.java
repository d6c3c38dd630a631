package io.driftline.topology;

import io.driftline.core.CoreState;
import io.driftline.state.CheckpointStore;
import io.driftline.state.DeviceState;
import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.DeviceState.PendingReading;
import io.driftline.state.ImportPart;
import io.driftline.state.ImportParts;
import io.driftline.state.ModelState;
import io.driftline.state.PendingLookup;
import io.driftline.state.PendingReadings;

/** The core's state over one task's stores: changes reach the changelogs at the next commit. */
final class StoreCoreState implements CoreState {

    private final CheckpointStore<ModelState> models;
    private final CheckpointStore<DeviceState> devices;
    private final PendingReadings pending;
    private final ImportParts imports;

    StoreCoreState(CheckpointStore<ModelState> models, CheckpointStore<DeviceState> devices, PendingReadings pending,
                   ImportParts imports) {
        this.models = models;
        this.devices = devices;
        this.pending = pending;
        this.imports = imports;
    }

    @Override
    public ModelState model(String modelKey) {
        return models.get(modelKey);
    }

    @Override
    public void putModel(String modelKey, ModelState model) {
        models.put(modelKey, model);
    }

    @Override
    public void modelChanged(String modelKey) {
        models.markDirty(modelKey);
    }

    @Override
    public DeviceState device(String deviceId) {
        return devices.get(deviceId);
    }

    @Override
    public void putDevice(String deviceId, DeviceState device) {
        devices.put(deviceId, device);
    }

    @Override
    public void removeDevice(String deviceId) {
        devices.remove(deviceId);
    }

    @Override
    public void deviceChanged(String deviceId) {
        devices.markDirty(deviceId);
    }

    @Override
    public PendingId putPending(String deviceId, PendingId id, long time, PendingReading reading) {
        return pending.put(deviceId, id, time, reading);
    }

    @Override
    public PendingLookup takePending(String deviceId, PendingId id, long time) {
        return pending.take(deviceId, id, time);
    }

    @Override
    public void dropPending(String deviceId) {
        // Deleting them would cost a tombstone each; they expire with their segments instead.
    }

    @Override
    public void putImportPart(String modelKey, int part, ImportPart value) {
        imports.put(modelKey, part, value);
    }

    @Override
    public ImportPart importPart(String modelKey, int part) {
        return imports.get(modelKey, part);
    }

    @Override
    public void dropImportParts(String modelKey) {
        imports.dropAll(modelKey);
    }
}
