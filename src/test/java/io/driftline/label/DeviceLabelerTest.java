package io.driftline.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceLabelerTest {

    private static final long H = 1_000;
    private static final long GRACE = 100;

    private static DeviceLabeler<String> labeler(LabelPolicy.RepairPolicy onRepair, int maxPending) {
        return new DeviceLabeler<>(new LabelPolicy(Duration.ofMillis(H), Duration.ofMillis(GRACE), maxPending, onRepair));
    }

    private static DeviceLabeler<String> labeler() {
        return labeler(LabelPolicy.RepairPolicy.CENSOR, 1_000);
    }

    @Test
    void shouldLabelReadingsWithinTheHorizonBeforeAFailurePositive() {
        DeviceLabeler<String> labeler = labeler();
        assertThat(labeler.onReading("r0", 0)).isEmpty();
        assertThat(labeler.onReading("r500", 500)).isEmpty();
        assertThat(labeler.onReading("r900", 900)).isEmpty();

        List<Resolution<String>> resolved = labeler.onFailure(1_200);

        // r0's horizon (1,000) and grace (1,100) ended before the failure at 1,200: negative, first.
        assertThat(resolved).extracting(Resolution::reading, Resolution::label)
                .containsExactly(tuple("r0", Label.NEGATIVE),
                        tuple("r500", Label.POSITIVE),
                        tuple("r900", Label.POSITIVE));
        // The failure's time, for the remaining-life targets: only on readings it labelled.
        assertThat(resolved).extracting(Resolution::failureTime).containsExactly(null, 1_200L, 1_200L);
        assertThat(labeler.pendingCount()).isZero();
    }

    @Test
    void shouldLabelTheWaitingReadingsOfAFalseAlarmEpisodeNegativeAtOnce() {
        DeviceLabeler<String> labeler = labeler();
        for (long time = 0; time <= 500; time += 100) {
            labeler.onReading("r" + time, time);
        }

        List<Resolution<String>> resolved = labeler.onFalseAlarm(200, 400);

        assertThat(resolved).extracting(Resolution::reading, Resolution::label, Resolution::cause)
                .containsExactly(tuple("r200", Label.NEGATIVE, Resolution.Cause.FEEDBACK),
                        tuple("r300", Label.NEGATIVE, Resolution.Cause.FEEDBACK),
                        tuple("r400", Label.NEGATIVE, Resolution.Cause.FEEDBACK));
        assertThat(labeler.pendingCount()).isEqualTo(3);
        assertThat(labeler.streamTime()).isEqualTo(500);
        // The others still wait for a failure.
        assertThat(labeler.onFailure(600)).extracting(Resolution::reading).containsExactly("r0", "r100", "r500");
    }

    @Test
    void shouldLabelAReadingThatArrivedOutOfOrderBehindANewerOne() {
        DeviceLabeler<String> labeler = labeler();
        labeler.onReading("r50", 50);
        labeler.onReading("r20", 20);
        labeler.onReading("r60", 60);

        // r20 waits behind r50, which is not due yet: it must be found all the same, and only it.
        assertThat(labeler.advance(20 + H + GRACE + 1)).extracting(Resolution::reading).containsExactly("r20");
        assertThat(labeler.advance(50 + H + GRACE + 1)).extracting(Resolution::reading).containsExactly("r50");
        assertThat(labeler.pendingCount()).isEqualTo(1);
    }

    @Test
    void shouldLabelNegativeOnlyOnceHorizonAndGraceHavePassed() {
        DeviceLabeler<String> labeler = labeler();
        labeler.onReading("r0", 0);

        assertThat(labeler.advance(H + GRACE)).isEmpty();
        assertThat(labeler.advance(H + GRACE + 1)).singleElement().satisfies(resolution -> {
            assertThat(resolution.label()).isEqualTo(Label.NEGATIVE);
            assertThat(resolution.cause()).isEqualTo(Resolution.Cause.HORIZON_PASSED);
        });
    }

    @Test
    void shouldStillLabelPositiveAFailureExactlyAtTheHorizonArrivingWithinGrace() {
        DeviceLabeler<String> labeler = labeler();
        labeler.onReading("r0", 0);
        labeler.advance(H + GRACE);

        assertThat(labeler.onFailure(H)).extracting(Resolution::label).containsExactly(Label.POSITIVE);
    }

    @Test
    void shouldIgnoreAFailureBeforeAnyReading() {
        DeviceLabeler<String> labeler = labeler();
        assertThat(labeler.onFailure(50)).isEmpty();

        // A reading after the failure is not explained by it.
        assertThat(labeler.onReading("after", 60)).isEmpty();
        assertThat(labeler.pendingCount()).isEqualTo(1);
    }

    @Test
    void shouldLabelAnOutOfOrderReadingByAFailureAlreadySeen() {
        DeviceLabeler<String> labeler = labeler();
        labeler.onFailure(1_000);

        assertThat(labeler.onReading("late-but-within-grace", 950))
                .extracting(Resolution::reading, Resolution::label, Resolution::failureTime)
                .containsExactly(tuple("late-but-within-grace", Label.POSITIVE, 1_000L));
    }

    @Test
    void shouldReportEventsBeyondTheGraceAsLate() {
        DeviceLabeler<String> labeler = labeler();
        labeler.onReading("r", 5_000);

        assertThat(labeler.isLate(5_000 - GRACE)).isFalse();
        assertThat(labeler.isLate(5_000 - GRACE - 1)).isTrue();
        assertThatThrownBy(() -> labeler.onFailure(4_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCensorOrNegateReadingsBeforeARepairAsConfigured() {
        DeviceLabeler<String> censoring = labeler(LabelPolicy.RepairPolicy.CENSOR, 1_000);
        censoring.onReading("before", 10);
        censoring.onReading("after", 30);
        assertThat(censoring.onRepair(20)).singleElement().satisfies(resolution -> {
            assertThat(resolution.reading()).isEqualTo("before");
            assertThat(resolution.censored()).isTrue();
            assertThat(resolution.cause()).isEqualTo(Resolution.Cause.REPAIR);
        });

        DeviceLabeler<String> negating = labeler(LabelPolicy.RepairPolicy.NEGATIVE, 1_000);
        negating.onReading("before", 10);
        assertThat(negating.onRepair(20)).extracting(Resolution::label).containsExactly(Label.NEGATIVE);
    }

    @Test
    void shouldBoundPendingReadingsByResolvingTheOldestFirst() {
        DeviceLabeler<String> labeler = labeler(LabelPolicy.RepairPolicy.CENSOR, 2);
        labeler.onReading("a", 1);
        labeler.onReading("b", 2);

        assertThat(labeler.onReading("c", 3)).singleElement().satisfies(resolution -> {
            assertThat(resolution.reading()).isEqualTo("a");
            assertThat(resolution.cause()).isEqualTo(Resolution.Cause.EVICTED);
        });
        assertThat(labeler.pendingCount()).isEqualTo(2);
    }

    @Test
    void shouldContinueIdenticallyAfterACheckpoint() throws Exception {
        DeviceLabeler<String> labeler = labeler();
        labeler.onReading("a", 100);
        labeler.onFailure(50);
        labeler.onReading("b", 400);

        DeviceLabeler<String> copy = roundTrip(labeler, policy(H));

        assertThat(copy.onFailure(900)).isEqualTo(labeler.onFailure(900));
        assertThat(copy.advance(10_000)).isEqualTo(labeler.advance(10_000));
    }

    @Test
    void shouldApplyTheCurrentHorizonAfterACheckpointAlsoToTheReadingsAlreadyQueued() throws Exception {
        DeviceLabeler<String> labeler = labeler();
        labeler.onReading("a", 100);

        DeviceLabeler<String> longer = roundTrip(labeler, policy(2 * H));

        // 1,600 is past the old horizon of "a" (and its grace): it would be negative; within the new one, positive.
        assertThat(roundTrip(labeler, policy(H)).onFailure(1_600)).extracting(Resolution::label)
                .containsExactly(Label.NEGATIVE);
        assertThat(longer.onFailure(1_600)).extracting(Resolution::reading, Resolution::label)
                .containsExactly(tuple("a", Label.POSITIVE));
    }

    private static LabelPolicy policy(long horizon) {
        return new LabelPolicy(Duration.ofMillis(horizon), Duration.ofMillis(GRACE), 1_000, LabelPolicy.RepairPolicy.CENSOR);
    }

    private static DeviceLabeler<String> roundTrip(DeviceLabeler<String> labeler, LabelPolicy policy) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            labeler.writeTo(out, DataOutput::writeUTF);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return DeviceLabeler.readFrom(in, policy, in2 -> in2.readUTF());
        }
    }
}
