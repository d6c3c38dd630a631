package io.driftline.alertquality;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What {@link AlertQuality} counts for one machine type: totals for the FAILURE_RISK and ANOMALY
 * tracks, their last lead times, the score histogram, and, for the threshold suggestion, every
 * track's failures caught and false alarms over a sliding window of machine time
 * ({@link #WINDOW_BLOCKS} blocks of {@link #BLOCK_MS}). Bounded.
 */
final class TypeQuality implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int LEADS = 128;
    static final int WINDOW_BLOCKS = 8;
    static final long BLOCK_MS = 25 * 86_400_000L;

    /** The totals kept for the FAILURE_RISK and ANOMALY tracks. */
    enum Total { CAUGHT, MISSED, FALSE_ALARMS, TRUE_ALARMS, CONFIRMED, MARKED_FALSE }

    final ScoreHistogram scores = new ScoreHistogram();
    long observedMs;
    final long[][] totals = new long[2][Total.values().length];
    final long[][] leads = new long[2][LEADS];
    final long[] leadsRecorded = new long[2];
    // Episodes left undecided per real track; null in snapshots written before they were counted.
    long[] undecided;
    final long[] windowObservedMs = new long[WINDOW_BLOCKS];
    final int[] windowFailures = new int[WINDOW_BLOCKS];
    final int[][] windowCaught = new int[WINDOW_BLOCKS][AlertWatch.TRACKS];
    final int[][] windowFalse = new int[WINDOW_BLOCKS][AlertWatch.TRACKS];
    private int block;

    void apply(AlertEvent event) {
        int track = event.track();
        boolean real = track <= AlertEvent.ANOMALY;
        switch (event.kind()) {
            case SCORED -> scores.add(event.score(), track == 1);
            case OBSERVED -> observe(event.value());
            case CAUGHT -> {
                if (real) {
                    totals[track][Total.CAUGHT.ordinal()]++;
                    leads[track][(int) (leadsRecorded[track]++ % LEADS)] = event.value();
                }
                windowCaught[block][track]++;
                countFailure(track);
            }
            case MISSED -> {
                if (real) {
                    totals[track][Total.MISSED.ordinal()]++;
                }
                countFailure(track);
            }
            case FALSE_ALARMS -> {
                if (real) {
                    totals[track][Total.FALSE_ALARMS.ordinal()] += event.value();
                }
                windowFalse[block][track] += (int) event.value();
            }
            case TRUE_ALARMS -> total(real, track, Total.TRUE_ALARMS, event.value());
            case CONFIRMED -> total(real, track, Total.CONFIRMED, 1);
            case MARKED_FALSE -> total(real, track, Total.MARKED_FALSE, 1);
            case UNDECIDED -> {
                if (real) {
                    undecidedCounts()[track] += event.value();
                }
            }
            default -> throw new IllegalArgumentException("unknown event " + event);
        }
    }

    private void total(boolean real, int track, Total column, long value) {
        if (real) {
            totals[track][column.ordinal()] += value;
        }
    }

    /** Every failure is caught or missed on every track: count it once, on FAILURE_RISK's. */
    private void countFailure(int track) {
        if (track == AlertEvent.FAILURE_RISK) {
            windowFailures[block]++;
        }
    }

    private void observe(long ms) {
        observedMs += ms;
        windowObservedMs[block] += ms;
        if (windowObservedMs[block] >= BLOCK_MS) {
            block = (block + 1) % WINDOW_BLOCKS;
            windowObservedMs[block] = 0;
            windowFailures[block] = 0;
            Arrays.fill(windowCaught[block], 0);
            Arrays.fill(windowFalse[block], 0);
        }
    }

    /** A total of the FAILURE_RISK or ANOMALY track. */
    long total(int track, Total column) {
        return totals[track][column.ordinal()];
    }

    /** Episodes of the FAILURE_RISK or ANOMALY track whose device left before their verdict. */
    long undecided(int track) {
        return undecided == null ? 0 : undecided[track];
    }

    private long[] undecidedCounts() {
        if (undecided == null) {
            undecided = new long[2];
        }
        return undecided;
    }

    /** The last lead times of {@code track}, at most {@link #LEADS}. */
    long[] lastLeads(int track) {
        return Arrays.copyOf(leads[track], (int) Math.min(LEADS, leadsRecorded[track]));
    }

    long windowObservedMs() {
        return Arrays.stream(windowObservedMs).sum();
    }

    long windowFailures() {
        return Arrays.stream(windowFailures).sum();
    }

    long windowCaught(int track) {
        return sum(windowCaught, track);
    }

    long windowFalse(int track) {
        return sum(windowFalse, track);
    }

    private static long sum(int[][] blocks, int track) {
        long sum = 0;
        for (int[] counts : blocks) {
            sum += counts[track];
        }
        return sum;
    }
}
