package io.driftline.drift;

import java.io.Serializable;
import java.util.Arrays;
import moa.classifiers.core.driftdetection.ADWIN;

/**
 * One sensor of one model, across its devices. The sensor's values over the baseline period (from
 * its first value) form its normal ({@link HourlyBaseline}: per hour of day when the baseline covers
 * a day). Each later value's deviation from normal, in standard deviations, clipped to [-4, 4] and
 * scaled linearly onto [0, 1] (ADWIN's bound holds for inputs in [0, 1]), enters ADWIN. When ADWIN
 * cuts with a recent mean deviation of at least {@code minShift}, the next {@value #SETTLE_VALUES}
 * values measure the shift: their median and their median absolute deviation (robust, so the few
 * machines that are degrading at the time do not bend the new normal; unclipped, so a large step
 * is measured as large as it is). If it holds, it is a candidate drift ({@link #shifted}). Whoever watches the devices decides whether it is
 * reported ({@link FleetSensorDrift}), and a reported shift becomes the new normal ({@link #settle}).
 *
 * <p>The settings are not part of the state: they are not serialised, and {@link #configure} applies
 * the current ones after a checkpoint is read.
 */
final class SensorDriftMonitor implements Serializable {

    private static final long serialVersionUID = 2L;
    private static final double Z_CLIP = 4.0;
    // The median absolute deviation of a normal distribution, in standard deviations.
    private static final double MAD_PER_STDDEV = 0.6744897501960817;
    static final int SETTLE_VALUES = 200;
    private static final double SPREAD_GROWTH = 1.5;

    // Where the devices' deviations of this sensor are kept (see FleetSensorDrift).
    private final int index;
    private final HourlyBaseline baseline = new HourlyBaseline();
    private long firstTime;
    private boolean started;
    private ADWIN adwin;
    // The deviations since ADWIN cut, while a shift is being measured; null otherwise.
    private double[] measuring;
    private int measured;
    private double shift;
    private double spread;
    private boolean shifted;
    private transient DataDriftSettings settings;

    SensorDriftMonitor(int index, DataDriftSettings settings) {
        this.index = index;
        configure(settings);
    }

    int index() {
        return index;
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
        if (measuring != null) {
            measure(z);
        } else if (cut && Math.abs(adwin.getEstimation() * 2 * Z_CLIP - Z_CLIP) >= settings.minShift()) {
            measuring = new double[SETTLE_VALUES];
            measured = 0;
        }
        return z;
    }

    private void measure(double z) {
        measuring[measured++] = z;
        if (measured < SETTLE_VALUES) {
            return;
        }
        Arrays.sort(measuring);
        shift = median(measuring);
        for (int i = 0; i < measuring.length; i++) {
            measuring[i] = Math.abs(measuring[i] - shift);
        }
        Arrays.sort(measuring);
        // A sensor that stopped varying keeps a spread to divide by.
        spread = Math.max(median(measuring) / MAD_PER_STDDEV, 1e-6);
        measuring = null;
        shifted = Math.abs(shift) >= settings.minShift();
    }

    private static double median(double[] sorted) {
        int half = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
    }

    /** Whether the last value completed the measurement of a shift of at least {@code minShift}. */
    boolean shifted() {
        return shifted;
    }

    /** The measured shift: the median deviation from normal since ADWIN cut, in normal standard deviations. */
    double shift() {
        return shift;
    }

    /** The spread of the values since ADWIN cut (median absolute deviation, as a standard deviation), in normal standard deviations. */
    double spread() {
        return spread;
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

    /**
     * The shift reported at {@code time} is the new normal: the baseline moves by it (in sensor
     * units, as measured at that hour) and takes on its spread if that grew by half or more (a
     * sensor that reads in other units is noisier in them too), and ADWIN starts afresh. Returns the
     * factor by which the normal spread changed.
     */
    double settle(long time) {
        // Taken on only when it grew clearly: re-estimating it at every shift would let it wander, and an
        // hour's normal spread includes the hour's own trend, so a measurement within the hour reads narrower.
        double taken = spread > SPREAD_GROWTH ? spread : 1;
        baseline.shift(shift * baseline.stddev(time), taken);
        adwin = new ADWIN(settings.delta());
        return taken;
    }
}
