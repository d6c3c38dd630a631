package io.driftline.alertquality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The histogram's PR-AUC and ROC-AUC against a direct computation on the same scores. */
class ScoreHistogramTest {

    private record Labelled(double score, boolean failure) {
    }

    @Test
    void shouldEqualADirectComputationOnScoresOfOneBinEach() {
        Random random = new Random(3);
        for (int run = 0; run < 20; run++) {
            // Scores at bin centres (what the histogram's figures are exact for), failures scoring higher on the whole.
            List<Labelled> scores = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                boolean failure = random.nextDouble() < 0.05;
                double raw = Math.min(0.999, Math.max(0, random.nextGaussian() * 0.2 + (failure ? 0.6 : 0.3)));
                scores.add(new Labelled((ScoreHistogram.bin(raw) + 0.5) / ScoreHistogram.BINS, failure));
            }
            long[] failures = new long[ScoreHistogram.BINS];
            long[] normals = new long[ScoreHistogram.BINS];
            ScoreHistogram histogram = new ScoreHistogram();
            scores.forEach(s -> histogram.add(s.score(), s.failure()));
            histogram.addTo(failures, normals);

            assertThat(ScoreHistogram.rocAuc(failures, normals)).isCloseTo(directRocAuc(scores), within(1e-12));
            assertThat(ScoreHistogram.prAuc(failures, normals)).isCloseTo(averagePrecision(scores), within(1e-12));
        }
    }

    @Test
    void shouldCountOnlyTheLastBlocksOfReadings() {
        ScoreHistogram histogram = new ScoreHistogram();
        int window = ScoreHistogram.BLOCKS * ScoreHistogram.BLOCK_SIZE;
        // First perfectly ranked, then exactly inverted: the window holds only the inverted readings.
        for (int i = 0; i < window; i++) {
            histogram.add(i % 10 == 0 ? 0.9 : 0.1, i % 10 == 0);
        }
        for (int i = 0; i < window; i++) {
            histogram.add(i % 10 == 0 ? 0.1 : 0.9, i % 10 == 0);
        }
        long[] failures = new long[ScoreHistogram.BINS];
        long[] normals = new long[ScoreHistogram.BINS];
        histogram.addTo(failures, normals);

        assertThat(ScoreHistogram.sum(failures) + ScoreHistogram.sum(normals)).isEqualTo(window);
        assertThat(ScoreHistogram.rocAuc(failures, normals)).isZero();
        assertThat(ScoreHistogram.prAuc(failures, normals)).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void shouldHaveNoAreaWithoutBothLabelsAndSkipUndefinedScores() {
        ScoreHistogram histogram = new ScoreHistogram();
        histogram.add(0.3, false);
        histogram.add(Double.NaN, true);
        long[] failures = new long[ScoreHistogram.BINS];
        long[] normals = new long[ScoreHistogram.BINS];
        histogram.addTo(failures, normals);

        assertThat(ScoreHistogram.rocAuc(failures, normals)).isNaN();
        assertThat(ScoreHistogram.prAuc(failures, normals)).isNaN();
        assertThat(ScoreHistogram.sum(failures)).isZero();
    }

    /** The Mann-Whitney statistic by comparing every failure with every normal reading, a tie counting one half. */
    private static double directRocAuc(List<Labelled> scores) {
        double wins = 0;
        long pairs = 0;
        for (Labelled failure : scores) {
            if (!failure.failure()) {
                continue;
            }
            for (Labelled normal : scores) {
                if (!normal.failure()) {
                    wins += failure.score() > normal.score() ? 1 : failure.score() == normal.score() ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        return wins / pairs;
    }

    /** Average precision as scikit-learn computes it: sorted by score, tied scores one threshold. */
    private static double averagePrecision(List<Labelled> scores) {
        List<Labelled> sorted = new ArrayList<>(scores);
        sorted.sort(Comparator.comparingDouble(Labelled::score).reversed());
        long positives = scores.stream().filter(Labelled::failure).count();
        double area = 0;
        double previousRecall = 0;
        long truePositives = 0;
        for (int i = 0; i < sorted.size(); i++) {
            truePositives += sorted.get(i).failure() ? 1 : 0;
            if (i + 1 < sorted.size() && sorted.get(i + 1).score() == sorted.get(i).score()) {
                continue;
            }
            double recall = (double) truePositives / positives;
            area += (recall - previousRecall) * truePositives / (i + 1);
            previousRecall = recall;
        }
        return area;
    }
}
