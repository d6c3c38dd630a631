package io.driftline.alertquality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftline.alertquality.AlertEvent.Kind;
import io.driftline.alertquality.AlertQualityFigures.ThresholdSuggestion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model's alert-quality figures and threshold suggestion from scripted events. */
class AlertQualityTest {

    private static final long MINUTE = 60_000L;
    private static final long DAY = 86_400_000L;

    @Test
    void shouldCountLeadTimesMissesFalseAlarmsPerMachineDayAndOperatorsVerdicts() {
        AlertQuality quality = new AlertQuality();
        quality.apply("L", AlertEvent.of(Kind.OBSERVED, AlertEvent.FAILURE_RISK, 4 * DAY));
        quality.apply("L", AlertEvent.of(Kind.CAUGHT, AlertEvent.FAILURE_RISK, 30 * MINUTE));
        quality.apply("L", AlertEvent.of(Kind.CAUGHT, AlertEvent.FAILURE_RISK, 90 * MINUTE));
        quality.apply("L", AlertEvent.of(Kind.CAUGHT, AlertEvent.FAILURE_RISK, 50 * MINUTE));
        quality.apply("L", AlertEvent.of(Kind.MISSED, AlertEvent.FAILURE_RISK, 0));
        quality.apply("L", AlertEvent.of(Kind.TRUE_ALARMS, AlertEvent.FAILURE_RISK, 4));
        quality.apply("L", AlertEvent.of(Kind.FALSE_ALARMS, AlertEvent.FAILURE_RISK, 2));
        quality.apply("L", AlertEvent.of(Kind.CONFIRMED, AlertEvent.FAILURE_RISK, 0));
        quality.apply("L", AlertEvent.of(Kind.MARKED_FALSE, AlertEvent.FAILURE_RISK, 0));
        quality.apply("L", AlertEvent.of(Kind.MARKED_FALSE, AlertEvent.ANOMALY, 0));
        quality.apply("L", AlertEvent.of(Kind.MISSED, AlertEvent.ANOMALY, 0));
        quality.apply("L", AlertEvent.of(Kind.UNDECIDED, AlertEvent.ANOMALY, 2));
        quality.apply("L", AlertEvent.of(Kind.UNDECIDED, AlertWatch.candidateTrack(3), 5));

        AlertQualityFigures figures = quality.figures().get(0);

        assertThat(quality.figures()).hasSize(1);
        assertThat(figures.machineType()).isEqualTo("L");
        assertThat(figures.machineDays()).isEqualTo(4.0);
        assertThat(figures.failures()).isEqualTo(4);
        assertThat(figures.failureRisk()).isEqualTo(new AlertQualityFigures.EpisodeFigures(3, 1, 50 * MINUTE, 2, 4,
                0.5, 1, 1, 0));
        assertThat(figures.failureRisk().recall()).isEqualTo(0.75);
        assertThat(figures.anomaly().markedFalse()).isEqualTo(1);
        assertThat(figures.anomaly().undecided()).isEqualTo(2);
        assertThat(figures.anomaly().medianLeadMs()).isNaN();
    }

    @Test
    void shouldPoolSeveralMachineTypesAheadOfEach() {
        AlertQuality quality = new AlertQuality();
        quality.apply("M", AlertEvent.of(Kind.OBSERVED, AlertEvent.FAILURE_RISK, DAY));
        quality.apply("L", AlertEvent.of(Kind.OBSERVED, AlertEvent.FAILURE_RISK, DAY));
        quality.apply("L", AlertEvent.of(Kind.CAUGHT, AlertEvent.FAILURE_RISK, 10 * MINUTE));
        quality.apply("M", AlertEvent.of(Kind.CAUGHT, AlertEvent.FAILURE_RISK, 20 * MINUTE));
        quality.apply("L", AlertEvent.scored(true, 0.805));
        quality.apply("M", AlertEvent.scored(false, 0.205));

        List<AlertQualityFigures> figures = quality.figures();

        assertThat(figures).extracting(AlertQualityFigures::machineType).containsExactly(AlertQuality.ALL, "L", "M");
        AlertQualityFigures all = figures.get(0);
        assertThat(all.machineDays()).isEqualTo(2.0);
        assertThat(all.failureRisk().medianLeadMs()).isEqualTo(15.0 * MINUTE);
        assertThat(all.rocAuc()).isEqualTo(1.0);
        assertThat(all.suggestion()).isNull();
        assertThat(figures.get(1).rocAuc()).isNaN();
        assertThat(figures.get(1).suggestion()).isNotNull();
    }

    @Test
    void shouldSuggestTheThresholdThatCaughtTheMostFailuresWithinTheFalseAlarmBound() {
        AlertQuality quality = new AlertQuality();
        // 20 machine-days: at most 2 false alarms.
        quality.apply("L", AlertEvent.of(Kind.OBSERVED, AlertEvent.FAILURE_RISK, 20 * DAY));
        for (int failure = 0; failure < 4; failure++) {
            for (int c = 0; c < AlertWatch.CANDIDATES.length; c++) {
                double threshold = AlertWatch.CANDIDATES[c];
                // Up to 0.30 every failure is caught; to 0.50 three; above, one.
                int caught = threshold <= 0.30 ? 4 : threshold <= 0.50 ? 3 : 1;
                quality.apply("L", AlertEvent.of(failure < caught ? Kind.CAUGHT : Kind.MISSED,
                        AlertWatch.candidateTrack(c), MINUTE));
            }
            quality.apply("L", AlertEvent.of(Kind.MISSED, AlertEvent.FAILURE_RISK, 0));
        }
        for (int c = 0; c < AlertWatch.CANDIDATES.length; c++) {
            double threshold = AlertWatch.CANDIDATES[c];
            // False alarms: 0.05-0.30: 9; 0.35: 2; 0.40: 1; 0.45-0.50: 1; above: 0.
            long falseAlarms = threshold <= 0.30 ? 9 : threshold <= 0.35 ? 2 : threshold <= 0.50 ? 1 : 0;
            if (falseAlarms > 0) {
                quality.apply("L", AlertEvent.of(Kind.FALSE_ALARMS, AlertWatch.candidateTrack(c), falseAlarms));
            }
        }

        ThresholdSuggestion suggestion = quality.figures().get(0).suggestion();

        assertThat(suggestion.objective()).isEqualTo(AlertQuality.OBJECTIVE);
        // 0.40, 0.45 and 0.50 catch three with one false alarm: the highest of them.
        assertThat(suggestion.raise()).isEqualTo(0.5);
        assertThat(suggestion.recall()).isEqualTo(0.75);
        assertThat(suggestion.falseAlarmsPerMachineDay()).isCloseTo(0.05, within(1e-12));
        assertThat(suggestion.failures()).isEqualTo(4);
        assertThat(suggestion.machineDays()).isEqualTo(20.0);
        assertThat(suggestion.reason()).isNull();
    }

    @Test
    void shouldSuggestNothingWithoutAFailureInTheWindowOrWhenNoCandidateMeetsTheBound() {
        AlertQuality quality = new AlertQuality();
        quality.apply("L", AlertEvent.of(Kind.OBSERVED, AlertEvent.FAILURE_RISK, DAY));
        assertThat(quality.figures().get(0).suggestion().reason()).isEqualTo("no failure in the window");

        quality.apply("L", AlertEvent.of(Kind.MISSED, AlertEvent.FAILURE_RISK, 0));
        for (int c = 0; c < AlertWatch.CANDIDATES.length; c++) {
            quality.apply("L", AlertEvent.of(Kind.FALSE_ALARMS, AlertWatch.candidateTrack(c), 1));
        }
        ThresholdSuggestion suggestion = quality.figures().get(0).suggestion();

        assertThat(suggestion.raise()).isNull();
        assertThat(suggestion.reason()).contains("stayed within the false-alarm bound");

        AlertQuality none = new AlertQuality();
        none.apply("L", AlertEvent.of(Kind.OBSERVED, AlertEvent.FAILURE_RISK, DAY));
        none.apply("L", AlertEvent.of(Kind.MISSED, AlertEvent.FAILURE_RISK, 0));
        assertThat(none.figures().get(0).suggestion().reason()).contains("caught a failure");
    }

    @Test
    void shouldSuggestFromTheLastWindowOfMachineTimeOnly() {
        AlertQuality quality = new AlertQuality();
        int track = AlertWatch.candidateTrack(0);
        quality.apply("L", AlertEvent.of(Kind.FALSE_ALARMS, track, 1_000));
        quality.apply("L", AlertEvent.of(Kind.MISSED, AlertEvent.FAILURE_RISK, 0));
        // A whole window of machine time later, the old false alarms and failure are out of it.
        for (int block = 0; block < TypeQuality.WINDOW_BLOCKS; block++) {
            quality.apply("L", AlertEvent.of(Kind.OBSERVED, AlertEvent.FAILURE_RISK, TypeQuality.BLOCK_MS));
        }
        quality.apply("L", AlertEvent.of(Kind.CAUGHT, track, MINUTE));
        quality.apply("L", AlertEvent.of(Kind.CAUGHT, AlertEvent.FAILURE_RISK, MINUTE));

        ThresholdSuggestion suggestion = quality.figures().get(0).suggestion();

        assertThat(suggestion.failures()).isEqualTo(1);
        assertThat(suggestion.raise()).isEqualTo(AlertWatch.CANDIDATES[0]);
        // The block the old events fell in was dropped; the seven full blocks after it remain.
        assertThat(suggestion.machineDays()).isEqualTo((TypeQuality.WINDOW_BLOCKS - 1) * TypeQuality.BLOCK_MS / (double) DAY);
        assertThat(suggestion.falseAlarmsPerMachineDay()).isZero();
    }
}
