package io.driftline.drift;

import java.io.Serializable;
import moa.classifiers.core.driftdetection.ADWIN;

/**
 * One sensor of one model, across its devices. The sensor's values over the baseline period (from
 * its first value) form its normal ({@link HourlyBaseline}: per hour of day when the baseline covers
 * a day). Each later value's deviation from normal, in standard deviations, clipped to [-4, 4] and
 * scaled linearly onto [0, 1] (ADWIN's bound holds for inputs in [0, 1]), enters ADWIN. When ADWIN
 * cuts with a recent mean deviation of at least {@code minShift}, the next {@value #SETTLE_VALUES}
 * values measure the shift (unclipped, so a large step is measured as large as it is); if it holds,
 * it is a candidate drift ({@link #shifted}). Whoever watches the devices decides whether it is
 * reported ({@link FleetSensorDrift}), and a reported shift becomes the new normal ({@link #settle}).
 *
 * <p>The settings are not part of the state: they are not serialised, and {@link #configure} applies
 * the current ones after a checkpoint is read.
 */
final class SensorDriftMonitor implements Serializable {

    private static final long serialVersionUID = 2L;
    private static final double Z_CLIP = 4.0;
    // Bounds what one glitch can add to the measured shift.
    private static final double SHIFT_CLIP = 50.0;
    static final int SETTLE_VALUES = 200;

    private final HourlyBaseline baseline = new HourlyBaseline();
    private long firstTime;
    private boolean started;
    private ADWIN adwin;
    private boolean measuring;
    private int measured;
    private double shiftMean;
    private double shiftM2;
    private boolean shifted;
    private transient DataDriftSettings settings;

    SensorDriftMonitor(DataDriftSettings settings) {
        configure(settings);
    }

    void configure(DataDriftSettings settings) {
        this.settings = settings;
    }

    /**
     * Adds a finite value at event time {@code time}; returns its deviation from normal in standard
     * deviations, or NaN while the baseline is being learnt. {@link #shifted} tells whether it
     * completed the measurement of a shift.
     */
    double observe(long time, double value) {
        shifted = false;
        if (!started) {
            started = true;
            firstTime = time;
        }
        if (adwin == null) {
            if (time - firstTime < settings.baseline().toMillis()) {
                baseline.learn(time, value);
                return Double.NaN;
            }
            baseline.freeze(settings.baseline());
            adwin = new ADWIN(settings.delta());
        }
        double z = baseline.z(time, value);
        boolean cut = adwin.setInput((Math.max(-Z_CLIP, Math.min(Z_CLIP, z)) + Z_CLIP) / (2 * Z_CLIP),
                settings.delta());
        if (measuring) {
            measure(Math.max(-SHIFT_CLIP, Math.min(SHIFT_CLIP, z)));
        } else if (cut && Math.abs(adwin.getEstimation() * 2 * Z_CLIP - Z_CLIP) >= settings.minShift()) {
            measuring = true;
            measured = 0;
            shiftMean = 0;
            shiftM2 = 0;
        }
        return z;
    }

    private void measure(double z) {
        measured++;
        double d = z - shiftMean;
        shiftMean += d / measured;
        shiftM2 += d * (z - shiftMean);
        if (measured == SETTLE_VALUES) {
            measuring = false;
            shifted = Math.abs(shiftMean) >= settings.minShift();
        }
    }

    /** Whether the last value completed the measurement of a shift of at least {@code minShift}. */
    boolean shifted() {
        return shifted;
    }

    /** The measured shift: the mean deviation from normal since ADWIN cut, in normal standard deviations. */
    double shift() {
        return shiftMean;
    }

    /** The standard deviation of the values since ADWIN cut, in normal standard deviations. */
    double spread() {
        return Math.sqrt(shiftM2 / (measured - 1));
    }

    int windowWidth() {
        return adwin.getWidth();
    }

    double normalMean(long time) {
        return baseline.mean(time);
    }

    double normalStdDev(long time) {
        return baseline.stddev(time);
    }

    boolean isWatching() {
        return adwin != null;
    }

    boolean hourly() {
        return baseline.hourly();
    }

    /** The shift reported is the new normal: the baseline moves by it and ADWIN starts afresh. */
    void settle(double shift) {
        baseline.shift(shift);
        adwin = new ADWIN(settings.delta());
    }
}
