package io.driftline.label;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which devices of one model stopped reporting ({@code device.silence.ms}). Time is the model's
 * stream time, the newest event time of its readings: a device is silent once that passed its own
 * last reading by more than the silence, and stays silent (reported once) until it reports again.
 * Devices are checked in the order they last reported, eldest first, stopping at the first one that
 * is not silent: a check costs the devices that fall silent, not the fleet.
 */
public final class DeviceSilence implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A device that fell silent: its last reading was at {@code lastTime}. */
    public record Silent(String deviceId, long lastTime) {
    }

    /**
     * What one reading changed.
     *
     * @param silentSince the time of the reporting device's last reading before it, if it was silent; else null
     * @param fellSilent  the devices found silent now, eldest first
     * @param streamTime  the model's stream time
     */
    public record Heard(Long silentSince, List<Silent> fellSilent, long streamTime) {
    }

    // Devices not silent, in the order they last reported, with their newest reading time.
    private final LinkedHashMap<String, Long> reporting = new LinkedHashMap<>();
    // Silent devices with their last reading time, sorted: deterministic across replays.
    private final TreeMap<String, Long> silent = new TreeMap<>();
    private long streamTime = Long.MIN_VALUE;

    /** {@code deviceId} reported a reading at {@code time}; {@code silenceMs} > 0. */
    public Heard heard(String deviceId, long time, long silenceMs) {
        streamTime = Math.max(streamTime, time);
        Long silentSince = silent.remove(deviceId);
        Long before = reporting.remove(deviceId);
        reporting.put(deviceId, before == null ? time : Math.max(before, time));
        List<Silent> fellSilent = new ArrayList<>(0);
        Iterator<Map.Entry<String, Long>> eldest = reporting.entrySet().iterator();
        while (eldest.hasNext()) {
            Map.Entry<String, Long> next = eldest.next();
            if (streamTime - next.getValue() <= silenceMs) {
                break;
            }
            fellSilent.add(new Silent(next.getKey(), next.getValue()));
            silent.put(next.getKey(), next.getValue());
            eldest.remove();
        }
        return new Heard(silentSince, fellSilent, streamTime);
    }

    /** The device no longer belongs to the model (moved): it is neither watched nor silent. */
    public void forget(String deviceId) {
        reporting.remove(deviceId);
        silent.remove(deviceId);
    }

    /** Devices silent now. */
    public int silentCount() {
        return silent.size();
    }
}
