package io.driftline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The soak's criteria, computed from its tenths as the issue states them. */
class SoakReportTest {

    @Test
    void shouldPassARunThatKeepsItsPaceWhileItsModelsGrow() {
        List<Soak.Tenth> tenths = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            // Throughput best in the third tenth, last at 0.85 of it; bytes and p99 flat; models 10x.
            double rps = i == 3 ? 1000 : i == 10 ? 850 : 900;
            tenths.add(tenth(i, rps, 100 + i, 1_000L * i, 1000));
        }
        Map<String, Object> report = Soak.report(tenths);

        assertThat(report.get("soak_last_vs_best")).isEqualTo(0.85);
        assertThat(criteria(report)).allSatisfy((name, criterion) -> assertThat(criterion.pass()).as(name).isTrue());
        assertThat(criteria(report).get("model_bytes_last_vs_first").value()).isEqualTo(10.0);
        assertThat(report.get("soak_pass")).isEqualTo(true);
    }

    @Test
    void shouldFailEachCriterionOnItsOwn() {
        List<Soak.Tenth> tenths = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            // The last tenth at 0.7 of the best, writing 1.5x the second tenth's bytes, p99 2x; models 1.5x.
            tenths.add(tenth(i, i == 10 ? 700 : 1000, i == 10 ? 300 : 200, i == 10 ? 1_500 : 1_000, i == 10 ? 2000 : 1000));
        }
        Map<String, Criterion> criteria = criteria(Soak.report(tenths));

        assertThat(criteria.get("throughput_last_vs_best")).isEqualTo(new Criterion(0.7, ">= 0.8", false));
        assertThat(criteria.get("bytes_per_reading_last_vs_second")).isEqualTo(new Criterion(1.5, "<= 1.25", false));
        assertThat(criteria.get("commit_p99_last_vs_second")).isEqualTo(new Criterion(2.0, "<= 1.5", false));
        assertThat(criteria.get("model_bytes_last_vs_first")).isEqualTo(new Criterion(1.5, ">= 5.0", false));
    }

    /**
     * A run in which readings expired or went missing before their labels came trained on fewer of
     * them than it read: more than a hundredth of the labels gone over the run fails it.
     */
    @Test
    void shouldFailARunThatLostMoreThanAHundredthOfItsLabels() {
        List<Soak.Tenth> kept = new ArrayList<>();
        List<Soak.Tenth> lost = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            Map<String, Long> late = i < 6 ? Map.of("HORIZON_PASSED", 1000L)
                    : Map.of("HORIZON_PASSED", 970L, "EXPIRED", 20L, "MISSING", 10L);
            kept.add(tenth(i, 1000, 200, 1_000L * i, 1000, i == 10 ? Map.of("HORIZON_PASSED", 990L, "EXPIRED", 10L)
                    : Map.of("HORIZON_PASSED", 1000L)));
            lost.add(tenth(i, 1000, 200, 1_000L * i, 1000, late));
        }

        assertThat(criteria(Soak.report(kept)).get("labels_gone_share")).isEqualTo(new Criterion(0.001, "<= 0.01", true));
        assertThat(criteria(Soak.report(lost)).get("labels_gone_share")).isEqualTo(new Criterion(0.015, "<= 0.01", false));
    }

    @Test
    void shouldFailARatioWhoseTenthsWroteOrCommittedNothingWithoutAFigure() {
        List<Soak.Tenth> tenths = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            tenths.add(tenth(i, 1000, i == 10 ? 0 : 200, 1_000L * i, i == 2 ? Double.NaN : 1000));
        }
        Map<String, Criterion> criteria = criteria(Soak.report(tenths));

        assertThat(criteria.get("bytes_per_reading_last_vs_second")).isEqualTo(new Criterion(null, "<= 1.25", false));
        assertThat(criteria.get("commit_p99_last_vs_second")).isEqualTo(new Criterion(null, "<= 1.5", false));
    }

    @Test
    void shouldTakeTheNearestRankPercentile() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;
        }
        assertThat(Soak.percentile(values, 0.99)).isEqualTo(99);
        assertThat(Soak.percentile(new double[]{5}, 0.99)).isEqualTo(5);
        assertThat(Soak.percentile(new double[0], 0.99)).isNaN();
    }

    private static Soak.Tenth tenth(int tenth, double rps, long bytesPerReading, long modelBytes, double p99) {
        return tenth(tenth, rps, bytesPerReading, modelBytes, p99, Map.of("HORIZON_PASSED", 990L, "FAILURE", 10L));
    }

    private static Soak.Tenth tenth(int tenth, double rps, long bytesPerReading, long modelBytes, double p99,
                                    Map<String, Long> labelsResolved) {
        return new Soak.Tenth(tenth, 1000, 1000 / rps, rps, p99, p99, 10, modelBytes, Map.of("L", modelBytes),
                Map.of("L", modelBytes), Map.of("models-changelog", bytesPerReading, "total", bytesPerReading, Soak.MODEL_STAGE, bytesPerReading),
                bytesPerReading * 100, new Soak.Durability(0, 0, 0), labelsResolved, "1.00 1.00 1.00");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Criterion> criteria(Map<String, Object> report) {
        return (Map<String, Criterion>) report.get("soak_criteria");
    }
}
