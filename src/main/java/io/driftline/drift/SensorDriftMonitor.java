package io.driftline.drift;

import java.io.Serializable;
import java.util.Optional;
import moa.classifiers.core.driftdetection.ADWIN;

/**
 * Data drift on one sensor. ADWIN's bound holds for inputs in [0, 1], and sensors have arbitrary
 * units, so the first {@code warmup} values form a baseline (mean and standard deviation, Welford)
 * and each later value enters ADWIN as its z-score clipped to [-4, 4] and scaled linearly onto
 * [0, 1]. Linear, so that ADWIN's window mean maps back to sensor units exactly (as long as values
 * stay within 4 standard deviations). When ADWIN cuts, in either direction, and the recent mean
 * moved at least {@code minShift} baseline standard deviations, the drift is reported and the
 * monitor re-baselines on the readings that follow (at most 500), so one shift raises one alert
 * and the next shift is watched soon. Smaller cuts are
 * statistically real but too small to matter (ADWIN finds them once it has seen enough readings);
 * ADWIN has dropped the older part of its window, and the baseline stays.
 */
public final class SensorDriftMonitor implements Serializable {

    private static final long serialVersionUID = 1L;
    // Keeps z finite for a sensor that was constant during warm-up.
    private static final double MIN_STDDEV = 1e-9;
    private static final double Z_CLIP = 4.0;
    private static final int REBASELINE_WARMUP = 500;

    private final String sensor;
    private final double delta;
    private final int warmup;
    private final double minShift;
    private int currentWarmup;
    private long baselineCount;
    private double baselineMean;
    private double baselineM2;
    private ADWIN adwin;

    public SensorDriftMonitor(String sensor, double delta, int warmup, double minShift) {
        if (warmup < 2) {
            throw new IllegalArgumentException("warm-up must be at least 2 values");
        }
        this.sensor = sensor;
        this.delta = delta;
        this.warmup = warmup;
        this.minShift = minShift;
        this.currentWarmup = warmup;
    }

    /** Adds the sensor's value in the model's {@code reading}-th reading; non-finite values are ignored. */
    public Optional<DataDrift> add(double value, long reading) {
        if (!Double.isFinite(value)) {
            return Optional.empty();
        }
        if (adwin == null) {
            addToBaseline(value);
            if (baselineCount == currentWarmup) {
                adwin = new ADWIN(delta);
            }
            return Optional.empty();
        }
        if (!adwin.setInput(normalise(value))) {
            return Optional.empty();
        }
        double recentMean = denormalise(adwin.getEstimation());
        if (Math.abs(recentMean - baselineMean) < minShift * baselineStdDev()) {
            return Optional.empty();
        }
        DataDrift drift = new DataDrift(sensor, reading, baselineMean, recentMean, adwin.getWidth());
        rebaseline();
        return Optional.of(drift);
    }

    public boolean isWarmedUp() {
        return adwin != null;
    }

    public double baselineMean() {
        return baselineMean;
    }

    public double baselineStdDev() {
        return Math.max(Math.sqrt(baselineM2 / (baselineCount - 1)), MIN_STDDEV);
    }

    private void addToBaseline(double value) {
        baselineCount++;
        double d = value - baselineMean;
        baselineMean += d / baselineCount;
        baselineM2 += d * (value - baselineMean);
    }

    private double normalise(double value) {
        double z = (value - baselineMean) / baselineStdDev();
        return (Math.max(-Z_CLIP, Math.min(Z_CLIP, z)) + Z_CLIP) / (2 * Z_CLIP);
    }

    private double denormalise(double score) {
        return baselineMean + baselineStdDev() * (score * 2 * Z_CLIP - Z_CLIP);
    }

    /**
     * A new baseline from the readings that follow the shift. ADWIN's remaining window would be
     * quicker but still mixes in readings from before the shift; a full warm-up would leave the
     * sensor unwatched for long, so the next shift could slip into the baseline.
     */
    private void rebaseline() {
        baselineCount = 0;
        baselineMean = 0;
        baselineM2 = 0;
        adwin = null;
        currentWarmup = Math.min(warmup, REBASELINE_WARMUP);
    }
}
