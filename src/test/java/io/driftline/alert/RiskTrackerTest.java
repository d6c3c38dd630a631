package io.driftline.alert;

import static io.driftline.alert.RiskTracker.Transition.CLEARED;
import static io.driftline.alert.RiskTracker.Transition.NONE;
import static io.driftline.alert.RiskTracker.Transition.RAISED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskTrackerTest {

    private static final RiskThresholds THRESHOLDS = new RiskThresholds(0.8, 0.5, 3);

    private static List<RiskTracker.Transition> feed(double... probabilities) {
        RiskTracker tracker = new RiskTracker();
        return Arrays.stream(probabilities).mapToObj(p -> tracker.update(p, THRESHOLDS)).toList();
    }

    @Test
    void shouldRaiseOnlyAfterTheDebounceCount() {
        assertThat(feed(0.9, 0.9, 0.9, 0.95, 0.99)).containsExactly(NONE, NONE, RAISED, NONE, NONE);
    }

    @Test
    void shouldRestartTheCountWhenAReadingDropsBelowTheThreshold() {
        assertThat(feed(0.9, 0.9, 0.7, 0.9, 0.9)).containsOnly(NONE);
    }

    @Test
    void shouldNotClearWhileTheProbabilityStaysBetweenClearAndRaise() {
        assertThat(feed(0.9, 0.9, 0.9, 0.6, 0.6, 0.6, 0.6, 0.4, 0.4, 0.4))
                .containsExactly(NONE, NONE, RAISED, NONE, NONE, NONE, NONE, NONE, NONE, CLEARED);
    }

    @Test
    void shouldTrackThePeakOfTheEpisode() {
        RiskTracker tracker = new RiskTracker();
        for (double p : new double[] {0.85, 0.9, 0.88, 0.97, 0.3}) {
            tracker.update(p, THRESHOLDS);
        }
        assertThat(tracker.atRisk()).isTrue();
        assertThat(tracker.peak()).isEqualTo(0.97);
    }

    @Test
    void shouldRejectThresholdsWithoutHysteresisOrder() {
        assertThatThrownBy(() -> new RiskThresholds(0.5, 0.8, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldContinueWithTheSameTransitionsAfterWritingOnlyThemWhateverTheStreak() throws IOException {
        RiskThresholds slow = new RiskThresholds(0.8, 0.5, 1_000);
        for (int readings : new int[] {0, 5, 127, 128, 999, 1_000, 1_500}) {
            RiskTracker tracker = new RiskTracker();
            for (int i = 0; i < readings; i++) {
                tracker.update(0.9, slow);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            tracker.writeTransitionsTo(new DataOutputStream(bytes));
            RiskTracker restored = RiskTracker.readTransitionsFrom(new DataInputStream(
                    new ByteArrayInputStream(bytes.toByteArray())));

            assertThat(restored.atRisk()).as("after %d", readings).isEqualTo(tracker.atRisk());
            for (int i = 0; i < 2_100; i++) {
                double probability = i < 1_200 ? 0.9 : 0.1;
                assertThat(restored.update(probability, slow)).as("after %d + %d", readings, i)
                        .isEqualTo(tracker.update(probability, slow));
            }
        }
    }
}
