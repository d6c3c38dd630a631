package io.driftline.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Progress;
import org.junit.jupiter.api.Test;

class ProgressMarksTest {

    private static final long IDLE_MS = 5000;

    private final ProgressMarks marks = new ProgressMarks(3, IDLE_MS, 0);
    private long now;
    private long caughtUpAsOf = Long.MIN_VALUE;

    @Test
    void shouldMarkEachAdvanceOnce() {
        marks.routed(100);
        marks.routed(50);
        assertThat(tick(10)).satisfies(mark -> {
            assertThat(mark.getPartition()).isEqualTo(3);
            assertThat(mark.getEventTime().toEpochMilli()).isEqualTo(100);
            assertThat(mark.getIdle()).isFalse();
        });
        assertThat(tick(10)).as("nothing new").isNull();
        marks.routed(90);
        assertThat(tick(10)).as("not an advance").isNull();
        marks.routed(120);
        assertThat(tick(10).getEventTime().toEpochMilli()).isEqualTo(120);
    }

    @Test
    void shouldMarkItselfIdleAfterStandingStillAndRepeatIt() {
        marks.routed(100);
        tick(10);
        assertThat(runFor(IDLE_MS - 10)).as("standing still, not yet idle").isNull();
        Progress idle = tick(10);
        assertThat(idle.getIdle()).isTrue();
        assertThat(idle.getEventTime().toEpochMilli()).isEqualTo(100);
        assertThat(runFor(IDLE_MS - 10)).isNull();
        assertThat(tick(10).getIdle()).as("repeated for a model stage that restarted meanwhile").isTrue();

        marks.routed(130);
        assertThat(tick(10).getIdle()).as("advancing again").isFalse();
    }

    @Test
    void shouldWaitLongerForAPartitionReplayingHistory() {
        tick(10);
        marks.routed(now - 3 * IDLE_MS);
        assertThat(tick(10).getIdle()).isFalse();
        assertThat(runFor(ProgressMarks.REPLAY_FACTOR * IDLE_MS - 10)).as("held up rather than finished").isNull();
        assertThat(tick(10).getIdle()).isTrue();
    }

    @Test
    void shouldMarkAPartitionWithoutInputsIdleAfterAsLong() {
        assertThat(runFor(ProgressMarks.REPLAY_FACTOR * IDLE_MS - 10)).isNull();
        assertThat(tick(10)).satisfies(mark -> {
            assertThat(mark.getIdle()).isTrue();
            assertThat(mark.getEventTime().toEpochMilli()).isEqualTo(Long.MIN_VALUE);
        });
    }

    @Test
    void shouldMarkALivePartitionReadToItsEndIdleAtOnce() {
        tick(10);
        marks.routed(now - 10);
        assertThat(tick(10).getIdle()).isFalse();
        long advancedAt = now;
        caughtUpAsOf = advancedAt - 1;
        assertThat(runFor(IDLE_MS - 20)).as("read to its end before its latest advance: says nothing of it").isNull();
        caughtUpAsOf = advancedAt + 1;
        assertThat(tick(10)).satisfies(mark -> {
            assertThat(mark.getIdle()).isTrue();
            assertThat(mark.getEventTime().toEpochMilli()).isEqualTo(advancedAt - 20);
        });
        assertThat(runFor(IDLE_MS - 10)).as("once, then every idle time").isNull();
        assertThat(tick(10).getIdle()).isTrue();

        marks.routed(now);
        assertThat(tick(10).getIdle()).as("advancing again").isFalse();
        assertThat(tick(10)).as("the answer predates the advance").isNull();
    }

    @Test
    void shouldMarkAReplayReadToItsEndIdleAfterTheIdleTime() {
        tick(10);
        marks.routed(now - 3 * IDLE_MS);
        assertThat(tick(10).getIdle()).isFalse();
        caughtUpAsOf = now + 1;
        assertThat(runFor(IDLE_MS - 10)).as("caught up with a producer still producing, maybe").isNull();
        assertThat(tick(10).getIdle()).isTrue();
    }

    @Test
    void shouldMarkAPartitionWithoutInputsIdleOnceItIsKnownToHaveNone() {
        assertThat(runFor(IDLE_MS)).isNull();
        caughtUpAsOf = now;
        assertThat(tick(10)).satisfies(mark -> {
            assertThat(mark.getIdle()).isTrue();
            assertThat(mark.getEventTime().toEpochMilli()).isEqualTo(Long.MIN_VALUE);
        });
    }

    @Test
    void shouldNotCountAStalledThreadAsStandingStill() {
        marks.routed(100);
        tick(10);
        assertThat(tick(ProgressMarks.STALL_MS + 1)).isNull();
        assertThat(tick(3 * IDLE_MS)).as("a stall, however long").isNull();
        assertThat(runFor(IDLE_MS - 10)).isNull();
        assertThat(tick(10).getIdle()).isTrue();
    }

    /** Calls every 10 ms for {@code ms}; the last mark, if any. */
    private Progress runFor(long ms) {
        Progress last = null;
        for (long t = 0; t < ms; t += 10) {
            Progress mark = tick(10);
            last = mark == null ? last : mark;
        }
        return last;
    }

    private Progress tick(long ms) {
        now += ms;
        return marks.next(now, caughtUpAsOf);
    }
}
