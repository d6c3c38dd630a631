package io.driftline.core;

import io.driftline.state.DeviceState;
import io.driftline.state.DeviceState.PendingId;
import io.driftline.state.DeviceState.PendingReading;
import io.driftline.state.ImportPart;
import io.driftline.state.ModelState;
import io.driftline.state.PendingClock;
import io.driftline.state.PendingLookup;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link CoreState} in maps: for tests, in-process harnesses and benchmarks. Readings waiting for a
 * label expire by the same {@link PendingClock} as in the model stage's store, one clock for the
 * whole state (as one task's store). Not thread-safe.
 */
public final class InMemoryCoreState implements CoreState {

    private final Map<String, ModelState> models = new HashMap<>();
    private final Map<String, DeviceState> devices = new HashMap<>();
    private final Map<String, Map<PendingId, PendingReading>> pending = new HashMap<>();
    private final Map<String, Map<Integer, ImportPart>> importParts = new HashMap<>();
    private final PendingClock clock;

    /** @param pendingRetention how long readings waiting for a label are kept ({@code PipelineSettings#pendingRetention}) */
    public InMemoryCoreState(Duration pendingRetention) {
        this.clock = new PendingClock(pendingRetention.toMillis());
    }

    /** A state whose waiting readings never expire: for tests in which no device falls behind. */
    public InMemoryCoreState() {
        this(Duration.ofMillis(Long.MAX_VALUE));
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
    }

    @Override
    public PendingId putPending(String deviceId, PendingId id, long time, PendingReading reading) {
        clock.advance(time);
        PendingId kept = id.lagging(clock.lag(time));
        pending.computeIfAbsent(deviceId, d -> new HashMap<>()).put(kept, reading);
        return kept;
    }

    @Override
    public PendingLookup takePending(String deviceId, PendingId id, long time) {
        PendingReading reading = pending.getOrDefault(deviceId, Map.of()).remove(id);
        if (clock.expired(id.keptBy(time))) {
            return new PendingLookup.Gone(PendingLookup.Reason.EXPIRED);
        }
        return reading == null ? new PendingLookup.Gone(PendingLookup.Reason.MISSING) : new PendingLookup.Found(reading);
    }

    @Override
    public void dropPending(String deviceId) {
        pending.remove(deviceId);
    }

    @Override
    public void putImportPart(String modelKey, int part, ImportPart value) {
        importParts.computeIfAbsent(modelKey, k -> new HashMap<>()).put(part, value);
    }

    @Override
    public ImportPart importPart(String modelKey, int part) {
        return importParts.getOrDefault(modelKey, Map.of()).get(part);
    }

    @Override
    public void dropImportParts(String modelKey) {
        importParts.remove(modelKey);
    }

    /** The models, by model key (read only). */
    public Map<String, ModelState> models() {
        return Collections.unmodifiableMap(models);
    }

    /** The devices, by device id (read only). */
    public Map<String, DeviceState> devices() {
        return Collections.unmodifiableMap(devices);
    }

    /** Pending readings of every device. */
    public int pendingCount() {
        return pending.values().stream().mapToInt(Map::size).sum();
    }
}
