package io.driftline.label;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelLabelClockTest {

    private static final long HOUR = 3_600_000L;

    @Test
    void shouldFollowTheLaggingDeviceWhileItReportsEvenHoursBehind() {
        ModelLabelClock clock = new ModelLabelClock();
        for (long t = 0; t < 10 * HOUR; t += HOUR / 60) {
            assertThat(clock.advance("behind", t, HOUR)).isEqualTo(t);
            assertThat(clock.advance("ahead", t + 5 * HOUR, HOUR)).isEqualTo(t);
        }
        assertThat(clock.devices()).isEqualTo(2);
    }

    @Test
    void shouldStopWaitingForADeviceSilentForLongerThanTheHorizonAndTakeItBackWhenItReports() {
        ModelLabelClock clock = new ModelLabelClock();
        clock.advance("quiet", 0, HOUR);
        assertThat(clock.advance("busy", 5 * HOUR, HOUR)).as("joining far ahead is no progress").isZero();
        assertThat(clock.advance("busy", 6 * HOUR, HOUR)).isZero();
        assertThat(clock.advance("busy", 6 * HOUR + 1, HOUR)).as("busy came one horizon further").isEqualTo(6 * HOUR + 1);
        assertThat(clock.devices()).isEqualTo(1);

        assertThat(clock.advance("quiet", 2, HOUR)).isEqualTo(2);
        assertThat(clock.devices()).isEqualTo(2);
    }
}
