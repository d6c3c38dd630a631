package io.driftline.label;

import java.io.Serializable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The label clock of one model: the time up to which every reading of every device of the model
 * that still reports has had its chance to be labelled. A model pools several devices (scope
 * machine-type or fleet) whose stream times differ, by hours in a replay of several partitions;
 * releasing a model's deferred scores by one device's clock would score another device's older
 * predictions later, out of prediction order, and show the drift detector an error stream the
 * model never had.
 *
 * <p>The clock is the least stream time among the model's devices that are not silent. Silence is
 * measured in the model's progress: how far, in its own event time, the device that has come
 * furthest since it first reported has come. A device is silent once that progress grew by more
 * than the horizon since it last reported: one that stops reporting holds the model back for about
 * one horizon, while one that reports but lags hours behind in event time (it progresses as the
 * others do) keeps holding it back, as it must. Progress, unlike the newest time seen, does not
 * jump when a device far ahead joins. Silent devices are forgotten (memory is bounded by the
 * devices that report) and rejoin when they report again.
 */
public final class ModelLabelClock implements Serializable {

    private static final long serialVersionUID = 1L;

    private record Device(long streamTime, long firstTime, long reportedAt) implements Serializable {
    }

    private record ByTime(long streamTime, String deviceId) implements Comparable<ByTime>, Serializable {
        @Override
        public int compareTo(ByTime other) {
            int byTime = Long.compare(streamTime, other.streamTime);
            return byTime != 0 ? byTime : deviceId.compareTo(other.deviceId);
        }
    }

    // In the order the devices last reported: the eldest is the first to fall silent.
    private final LinkedHashMap<String, Device> devices = new LinkedHashMap<>();
    private final TreeSet<ByTime> byTime = new TreeSet<>();
    private long progress;

    /**
     * Records that {@code deviceId} reported and that its stream time is now {@code streamTime};
     * returns the model's label clock.
     *
     * @param horizonMs how long a device may stay silent before it no longer holds the clock back
     */
    public long advance(String deviceId, long streamTime, long horizonMs) {
        Device before = devices.remove(deviceId);
        long firstTime = streamTime;
        if (before != null) {
            byTime.remove(new ByTime(before.streamTime(), deviceId));
            firstTime = before.firstTime();
        }
        progress = Math.max(progress, streamTime - firstTime);
        devices.put(deviceId, new Device(streamTime, firstTime, progress));
        byTime.add(new ByTime(streamTime, deviceId));
        forgetSilent(horizonMs);
        return byTime.first().streamTime();
    }

    private void forgetSilent(long horizonMs) {
        Iterator<Map.Entry<String, Device>> eldest = devices.entrySet().iterator();
        while (eldest.hasNext()) {
            Map.Entry<String, Device> next = eldest.next();
            if (progress - next.getValue().reportedAt() <= horizonMs) {
                return;
            }
            byTime.remove(new ByTime(next.getValue().streamTime(), next.getKey()));
            eldest.remove();
        }
    }

    /** Devices that hold the clock: those not silent. */
    public int devices() {
        return devices.size();
    }
}
