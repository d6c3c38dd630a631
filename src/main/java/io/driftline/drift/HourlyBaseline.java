package io.driftline.drift;

import java.io.Serializable;
import java.time.Duration;

/**
 * A sensor's normal values: mean and standard deviation per hour of day (UTC), learnt over the
 * baseline period, so that a daily cycle (ambient temperature, shifts, load) is part of normal.
 * A baseline shorter than a day, or one with an hour that saw fewer than two values, pools every
 * hour. Welford's algorithm; the means move when a reported drift becomes the new normal
 * ({@link #shift}).
 */
final class HourlyBaseline implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final int HOURS = 24;
    // Keeps a deviation finite for a sensor that was constant during the baseline.
    private static final double MIN_STDDEV = 1e-9;

    private final long[] counts = new long[HOURS + 1];
    private final double[] means = new double[HOURS + 1];
    private final double[] m2 = new double[HOURS + 1];
    private boolean hourly;

    void learn(long time, double value) {
        add(hour(time), value);
        add(HOURS, value);
    }

    /** Ends the learning: per hour of day when the baseline covered {@code span} of a day or more and every hour. */
    void freeze(Duration span) {
        boolean everyHour = true;
        for (int h = 0; h < HOURS; h++) {
            everyHour &= counts[h] >= 2;
        }
        hourly = span.compareTo(Duration.ofDays(1)) >= 0 && everyHour;
    }

    double mean(long time) {
        return means[slot(time)];
    }

    double stddev(long time) {
        int slot = slot(time);
        return counts[slot] < 2 ? MIN_STDDEV : Math.max(Math.sqrt(m2[slot] / (counts[slot] - 1)), MIN_STDDEV);
    }

    /** The deviation of {@code value} from normal at {@code time}, in standard deviations. */
    double z(long time, double value) {
        return (value - mean(time)) / stddev(time);
    }

    /** Normal moves by {@code z} standard deviations, in every hour: a drift that stays is the new normal. */
    void shift(double z) {
        for (int slot = 0; slot <= HOURS; slot++) {
            double sd = counts[slot] < 2 ? 0 : Math.sqrt(m2[slot] / (counts[slot] - 1));
            means[slot] += z * sd;
        }
    }

    boolean hourly() {
        return hourly;
    }

    private int slot(long time) {
        return hourly ? hour(time) : HOURS;
    }

    private static int hour(long time) {
        return (int) Math.floorMod(time / HOUR, (long) HOURS);
    }

    private void add(int slot, double value) {
        counts[slot]++;
        double d = value - means[slot];
        means[slot] += d / counts[slot];
        m2[slot] += d * (value - means[slot]);
    }
}
