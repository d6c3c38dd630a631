package io.driftline.drift;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Data drift of one model's sensors, across the devices that report to it. What is normal varies:
 * a daily cycle, one machine degrading towards a failure, machines down for repair. So a sensor's
 * normal is learnt per hour of day ({@link SensorDriftMonitor}); ADWIN watches the fleet's mean
 * deviation from it, a cut is measured over the values that follow; and a shift is reported only when at least {@code minDevices} devices have
 * each moved the same way (their own recent deviation, smoothed per device, at least half the
 * minimum shift). Each report names the sensor, the devices that moved and the normal and recent
 * mean and spread; the shift then becomes the new normal, so one change raises one alert.
 *
 * <p>The settings are not part of the state: {@link #configure} applies the current ones after a
 * checkpoint is read, from the next value on.
 */
public final class FleetSensorDrift implements Serializable {

    private static final long serialVersionUID = 1L;
    // A device's deviation is smoothed over about its last 20 readings: noise averages out, a shift shows.
    private static final double DEVICE_SMOOTHING = 0.05;
    private static final int DEVICES_NAMED = 10;
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final Map<String, SensorDriftMonitor> sensors = new TreeMap<>();
    private final Map<String, Device> devices = new HashMap<>();
    private long prunedHour = Long.MIN_VALUE;
    private transient DataDriftSettings settings;

    public FleetSensorDrift(DataDriftSettings settings) {
        configure(settings);
    }

    public void configure(DataDriftSettings settings) {
        this.settings = settings;
        sensors.values().forEach(monitor -> monitor.configure(settings));
    }

    /**
     * A reading of {@code deviceId} at event time {@code time} with its sensor {@code values}
     * (null or non-finite ones are skipped), the model's {@code reading}-th; returns the drifts it
     * completed.
     */
    public List<DataDrift> add(String deviceId, long time, Map<String, Double> values, long reading) {
        prune(time);
        Device device = devices.computeIfAbsent(deviceId, id -> new Device());
        device.lastSeen = time;
        List<DataDrift> drifts = null;
        for (Map.Entry<String, Double> entry : values.entrySet()) {
            String sensor = entry.getKey();
            Double value = entry.getValue();
            if (value == null || !Double.isFinite(value) || settings.excluded().contains(sensor)) {
                continue;
            }
            SensorDriftMonitor monitor = sensors.computeIfAbsent(sensor,
                    name -> new SensorDriftMonitor(sensors.size(), settings));
            int index = monitor.index();
            double z = monitor.observe(time, value);
            if (Double.isNaN(z)) {
                continue;
            }
            device.smooth(index, z);
            if (monitor.shifted()) {
                DataDrift drift = confirm(sensor, index, monitor, time, reading);
                if (drift != null) {
                    drifts = drifts == null ? new ArrayList<>(1) : drifts;
                    drifts.add(drift);
                }
            }
        }
        return drifts == null ? List.of() : drifts;
    }

    /** The candidate shift of {@code sensor} as a drift if enough devices moved with it; else null. */
    private DataDrift confirm(String sensor, int index, SensorDriftMonitor monitor, long time, long reading) {
        double shift = monitor.shift();
        double threshold = settings.minShift() / 2;
        List<Map.Entry<String, Double>> moved = new ArrayList<>();
        int watched = 0;
        for (Map.Entry<String, Device> entry : devices.entrySet()) {
            double deviation = entry.getValue().deviation(index);
            if (Double.isNaN(deviation)) {
                continue;
            }
            watched++;
            if (Math.signum(deviation) == Math.signum(shift) && Math.abs(deviation) >= threshold) {
                moved.add(Map.entry(entry.getKey(), deviation));
            }
        }
        if (moved.size() < settings.minDevices()) {
            return null;
        }
        moved.sort(Comparator.<Map.Entry<String, Double>>comparingDouble(e -> -Math.abs(e.getValue()))
                .thenComparing(Map.Entry::getKey));
        List<String> named = moved.stream().limit(DEVICES_NAMED).map(Map.Entry::getKey).toList();
        double normalMean = monitor.normalMean(time);
        double normalStdDev = monitor.normalStdDev(time);
        DataDrift drift = new DataDrift(sensor, reading, normalMean, normalMean + shift * normalStdDev, normalStdDev,
                monitor.spread() * normalStdDev, monitor.windowWidth(), moved.size(), watched, named);
        double spread = monitor.settle(time);
        devices.values().forEach(device -> device.rebase(index, shift, spread));
        return drift;
    }

    /** Once an hour of event time, forgets devices silent for longer than the baseline period. */
    private void prune(long time) {
        long hour = Math.floorDiv(time, HOUR);
        if (hour == prunedHour) {
            return;
        }
        prunedHour = hour;
        long silentSince = time - settings.baseline().toMillis();
        devices.values().removeIf(device -> device.lastSeen < silentSince);
    }

    /** The devices the model currently tracks, for sizing. */
    public int devices() {
        return devices.size();
    }

    /** One device's smoothed deviation from normal per sensor (NaN: not seen yet). */
    private static final class Device implements Serializable {
        private static final long serialVersionUID = 1L;
        private long lastSeen;
        private double[] deviations = new double[0];

        void smooth(int index, double z) {
            if (index >= deviations.length) {
                int from = deviations.length;
                deviations = Arrays.copyOf(deviations, index + 1);
                Arrays.fill(deviations, from, deviations.length, Double.NaN);
            }
            double clipped = Math.max(-4, Math.min(4, z));
            deviations[index] = Double.isNaN(deviations[index]) ? clipped
                    : deviations[index] + DEVICE_SMOOTHING * (clipped - deviations[index]);
        }

        double deviation(int index) {
            return index < deviations.length ? deviations[index] : Double.NaN;
        }

        /** Deviations measured against the old normal, re-expressed against the new one. */
        void rebase(int index, double shift, double spread) {
            if (index < deviations.length && !Double.isNaN(deviations[index])) {
                deviations[index] = (deviations[index] - shift) / spread;
            }
        }
    }
}
