package io.driftline.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InputShiftTest {

    private static DataDrift vibration(double meanBefore, double meanAfter, double spreadBefore) {
        return new DataDrift("vibration", 100, meanBefore, meanAfter, spreadBefore, 0.8, 200, 80, 88, List.of("M-1"));
    }

    @Test
    void shouldBeOneWhenASensorTheTreeSplitsOnOrOnARollingStatisticOfMovesFarEnough() {
        assertThat(InputShift.of(vibration(2.0, 5.0, 0.5), Set.of("vibration.min", "vibration", "pressure.mean"), 3))
                .hasValueSatisfying(shift -> {
                    assertThat(shift.sensor()).isEqualTo("vibration");
                    assertThat(shift.spreads()).isEqualTo(6.0);
                    assertThat(shift.splitFeatures()).containsExactly("vibration", "vibration.min");
                });
        assertThat(InputShift.of(vibration(5.0, 2.0, 0.5), Set.of("vibration.max"), 3)).isPresent();
    }

    @Test
    void shouldNotBeOneForASmallStepAnotherSensorsSplitsOrWhenOff() {
        assertThat(InputShift.of(vibration(2.0, 2.5, 0.5), Set.of("vibration"), 3)).isEmpty();
        assertThat(InputShift.of(vibration(2.0, 5.0, 0.5), Set.of("pressure.mean", "vibrations"), 3)).isEmpty();
        assertThat(InputShift.of(vibration(2.0, 5.0, 0.5), Set.of(), 3)).isEmpty();
        assertThat(InputShift.of(vibration(2.0, 5.0, 0.5), Set.of("vibration"), 0)).isEmpty();
        assertThat(InputShift.of(vibration(2.0, 5.0, 0.0), Set.of("vibration"), 3)).isEmpty();
    }
}
