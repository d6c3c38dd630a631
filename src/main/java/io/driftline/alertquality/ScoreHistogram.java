package io.driftline.alertquality;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Failure probabilities of labelled readings, per class, in {@link #BINS} fixed bins of width
 * 1/{@value #BINS}, over a sliding window of the last {@link #BLOCKS} blocks of
 * {@link #BLOCK_SIZE} readings (between {@code (BLOCKS - 1) * BLOCK_SIZE} and
 * {@code BLOCKS * BLOCK_SIZE} readings, of a machine type of a model): bounded state (3.2 KB of
 * counts), one increment per reading. Failure-labelled readings are rare (those within the horizon
 * before a failure): the window must hold many failures, so it is long; at 100 machines reporting
 * once a minute it spans one to one and a half days.
 *
 * <p>The areas it reports are exact for the scores rounded down to their bin (a probability p
 * counts as {@code floor(p * BINS) / BINS}): scores within one bin are ties. ROC-AUC is the
 * Mann-Whitney statistic (a tie counts one half); PR-AUC is the average precision, the sum over
 * thresholds from high to low of the recall gained times the precision there (as scikit-learn's
 * {@code average_precision_score}). NaN probabilities (a model that has not learned) are left out.
 */
final class ScoreHistogram implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int BINS = 100;
    static final int BLOCKS = 4;
    static final int BLOCK_SIZE = 50_000;

    private final int[][] failures = new int[BLOCKS][BINS];
    private final int[][] normals = new int[BLOCKS][BINS];
    private final int[] sizes = new int[BLOCKS];
    private int block;

    void add(double probability, boolean failure) {
        if (Double.isNaN(probability)) {
            return;
        }
        if (sizes[block] == BLOCK_SIZE) {
            block = (block + 1) % BLOCKS;
            Arrays.fill(failures[block], 0);
            Arrays.fill(normals[block], 0);
            sizes[block] = 0;
        }
        (failure ? failures : normals)[block][bin(probability)]++;
        sizes[block]++;
    }

    static int bin(double probability) {
        return Math.max(0, Math.min(BINS - 1, (int) (probability * BINS)));
    }

    /** Adds the window's counts per bin to {@code failureCounts} and {@code normalCounts}. */
    void addTo(long[] failureCounts, long[] normalCounts) {
        for (int b = 0; b < BLOCKS; b++) {
            for (int i = 0; i < BINS; i++) {
                failureCounts[i] += failures[b][i];
                normalCounts[i] += normals[b][i];
            }
        }
    }

    /** ROC-AUC of binned scores; NaN without both classes. */
    static double rocAuc(long[] failures, long[] normals) {
        double positives = sum(failures);
        double negatives = sum(normals);
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double below = 0;
        double wins = 0;
        for (int i = 0; i < failures.length; i++) {
            wins += failures[i] * (below + normals[i] / 2.0);
            below += normals[i];
        }
        return wins / (positives * negatives);
    }

    /** Average precision of binned scores; NaN without a failure. */
    static double prAuc(long[] failures, long[] normals) {
        double positives = sum(failures);
        if (positives == 0) {
            return Double.NaN;
        }
        double truePositives = 0;
        double predicted = 0;
        double area = 0;
        for (int i = failures.length - 1; i >= 0; i--) {
            if (failures[i] == 0) {
                predicted += normals[i];
                continue;
            }
            truePositives += failures[i];
            predicted += failures[i] + normals[i];
            area += failures[i] / positives * (truePositives / predicted);
        }
        return area;
    }

    static long sum(long[] counts) {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        return total;
    }
}
