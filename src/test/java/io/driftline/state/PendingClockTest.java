package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PendingClockTest {

    private static final long MINUTE = PendingClock.QUANTUM_MS;
    private static final long HOUR = 60 * MINUTE;

    @Test
    void shouldRoundUpToAQuantumAndMoveOncePerQuantum() {
        PendingClock clock = new PendingClock(HOUR);

        assertThat(clock.advance(10 * MINUTE + 1)).as("the first reading").isTrue();
        assertThat(clock.now()).isEqualTo(11 * MINUTE);
        assertThat(clock.advance(11 * MINUTE)).as("within the same quantum").isFalse();
        assertThat(clock.advance(5 * MINUTE)).as("an earlier reading").isFalse();
        assertThat(clock.now()).isEqualTo(11 * MINUTE);
        assertThat(clock.advance(11 * MINUTE + 1)).isTrue();
        assertThat(clock.now()).isEqualTo(12 * MINUTE);
        assertThat(clock.advance(12 * MINUTE)).as("a whole quantum stays").isFalse();
    }

    @Test
    void shouldExpireAReadingOnceTheClockHasPassedItsTimeByTheRetention() {
        PendingClock clock = new PendingClock(HOUR);
        clock.advance(MINUTE);

        clock.advance(HOUR);
        assertThat(clock.expired(MINUTE)).as("passed by less than the retention").isFalse();

        clock.advance(HOUR + 1);
        assertThat(clock.now() - MINUTE).isEqualTo(HOUR);
        assertThat(clock.expired(MINUTE)).as("passed by the retention").isTrue();
        assertThat(clock.expired(MINUTE + 1)).isFalse();
    }

    /**
     * A reading of the newest quantum comes without a lag; one of a device behind comes whole quanta
     * behind, so that kept by its time plus its lag it waits the retention from when it came.
     */
    @Test
    void shouldTellHowFarItIsPastAReadingsQuantum() {
        PendingClock clock = new PendingClock(HOUR);
        clock.advance(3 * HOUR + 1);

        assertThat(clock.lag(3 * HOUR + 1)).isZero();
        assertThat(clock.lag(3 * HOUR + MINUTE)).as("the same quantum").isZero();
        assertThat(clock.lag(3 * HOUR)).isEqualTo(MINUTE);
        assertThat(clock.lag(1)).isEqualTo(3 * HOUR);
        assertThat(clock.expired(1)).as("by its time alone").isTrue();
        assertThat(clock.expired(1 + clock.lag(1))).as("by its time and lag").isFalse();
    }

    @Test
    void shouldExpireNothingBeforeItsFirstReading() {
        PendingClock clock = new PendingClock(HOUR);

        assertThat(clock.known()).isFalse();
        assertThat(clock.expired(0)).isFalse();
        assertThatThrownBy(clock::now).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldResumeWhereItWasRecordedButNeverMoveBack() {
        PendingClock clock = new PendingClock(HOUR);
        clock.resume(3 * HOUR);

        assertThat(clock.now()).isEqualTo(3 * HOUR);
        assertThat(clock.advance(2 * HOUR)).as("a reading older than the recorded clock").isFalse();
        clock.resume(HOUR);
        assertThat(clock.now()).isEqualTo(3 * HOUR);
        assertThat(clock.expired(2 * HOUR - 1)).isTrue();
    }

    @Test
    void shouldRefuseARetentionThatKeepsNothing() {
        assertThatThrownBy(() -> new PendingClock(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
