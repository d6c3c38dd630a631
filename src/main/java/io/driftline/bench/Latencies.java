package io.driftline.bench;

import java.util.Arrays;

/** Latency samples in milliseconds, and their percentiles (nearest rank). */
final class Latencies {

    private long[] samples = new long[1024];
    private int size;

    void add(long millis) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = millis;
    }

    int size() {
        return size;
    }

    /** p50, p99, p999 and max of the samples so far. */
    Summary summary() {
        if (size == 0) {
            throw new IllegalStateException("no latency samples");
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        return new Summary(rank(sorted, 0.50), rank(sorted, 0.99), rank(sorted, 0.999), sorted[size - 1], size);
    }

    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    record Summary(long p50, long p99, long p999, long max, int samples) {
    }
}
