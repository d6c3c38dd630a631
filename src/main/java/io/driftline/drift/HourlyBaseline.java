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

    /**
     * Normal at {@code time}: per hour of day, interpolated linearly between the hours' midpoints (an
     * hour's mean is its midpoint's value; a cycle that rises through the hour must not read as a
     * shift at the hour's start and end).
     */
    double mean(long time) {
        if (!hourly) {
            return means[HOURS];
        }
        int hour = hour(time);
        int other = neighbour(time);
        double weight = weight(time);
        return weight * means[hour] + (1 - weight) * means[other];
    }

    double stddev(long time) {
        if (!hourly) {
            return stddev(HOURS);
        }
        double weight = weight(time);
        return weight * stddev(hour(time)) + (1 - weight) * stddev(neighbour(time));
    }

    private double stddev(int slot) {
        return counts[slot] < 2 ? MIN_STDDEV : Math.max(Math.sqrt(m2[slot] / (counts[slot] - 1)), MIN_STDDEV);
    }

    /** The hour before or after {@code time}'s, whichever midpoint is nearer. */
    private static int neighbour(long time) {
        return Math.floorMod(hour(time) + (fractionOfHour(time) < 0.5 ? -1 : 1), HOURS);
    }

    /** The weight of {@code time}'s own hour: 1 at its midpoint, 0.5 at its start and end. */
    private static double weight(long time) {
        return 1 - Math.abs(fractionOfHour(time) - 0.5);
    }

    private static double fractionOfHour(long time) {
        return Math.floorMod(time, HOUR) / (double) HOUR;
    }

    /** The deviation of {@code value} from normal at {@code time}, in standard deviations. */
    double z(long time, double value) {
        return (value - mean(time)) / stddev(time);
    }

    /**
     * Normal moves by {@code offset} (sensor units) and its spread scales by {@code spread}, in every
     * hour: a drift that stays (an offset, or a sensor that now reads in other units) is the new
     * normal. In sensor units, because a recalibration adds the same degrees at every hour of day.
     */
    void shift(double offset, double spread) {
        for (int slot = 0; slot <= HOURS; slot++) {
            means[slot] += offset;
            m2[slot] *= spread * spread;
        }
    }

    boolean hourly() {
        return hourly;
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
