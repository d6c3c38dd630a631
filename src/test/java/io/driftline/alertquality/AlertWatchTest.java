package io.driftline.alertquality;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.alert.RiskThresholds;
import io.driftline.alertquality.AlertEvent.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lead times, misses and false alarms of scripted streams of episodes and failures, in event time. */
class AlertWatchTest {

    private static final long MINUTE = 60_000L;
    private static final long HORIZON = 120 * MINUTE;
    private static final RiskThresholds RISK = new RiskThresholds(0.8, 0.4, 2);

    @Test
    void shouldGiveTheLeadTimeOfTheFirstEpisodeWithinTheHorizonBeforeAFailure() {
        AlertWatch watch = new AlertWatch();
        List<AlertEvent> events = new ArrayList<>();
        for (int minute = 0; minute <= 70; minute++) {
            events.addAll(watch.onReading(minute * MINUTE, 0.0, minute == 10 || minute == 50, minute == 30, RISK, HORIZON));
        }
        events.addAll(watch.onFailure(70 * MINUTE, HORIZON));

        assertThat(events).contains(
                AlertEvent.of(Kind.CAUGHT, AlertEvent.FAILURE_RISK, 60 * MINUTE),
                AlertEvent.of(Kind.TRUE_ALARMS, AlertEvent.FAILURE_RISK, 2),
                AlertEvent.of(Kind.CAUGHT, AlertEvent.ANOMALY, 40 * MINUTE),
                AlertEvent.of(Kind.TRUE_ALARMS, AlertEvent.ANOMALY, 1));
        assertThat(events).noneMatch(event -> event.kind() == Kind.FALSE_ALARMS);
        assertThat(watch.waiting(AlertEvent.FAILURE_RISK)).isZero();
    }

    @Test
    void shouldDecideAnEpisodeAFalseAlarmOnlyOnceItsHorizonPassedWithoutFailure() {
        AlertWatch watch = new AlertWatch();
        assertThat(watch.onReading(0, 0.0, true, false, RISK, HORIZON)).isEmpty();

        assertThat(watch.onReading(HORIZON, 0.0, false, false, RISK, HORIZON))
                .noneMatch(event -> event.kind() == Kind.FALSE_ALARMS);
        assertThat(watch.onReading(HORIZON + 1, 0.0, false, false, RISK, HORIZON))
                .contains(AlertEvent.of(Kind.FALSE_ALARMS, AlertEvent.FAILURE_RISK, 1));
        // A failure after the horizon finds no episode: missed.
        assertThat(watch.onFailure(HORIZON + 2, HORIZON))
                .contains(AlertEvent.of(Kind.MISSED, AlertEvent.FAILURE_RISK, 0), AlertEvent.of(Kind.MISSED, AlertEvent.ANOMALY, 0))
                .noneMatch(event -> event.kind() == Kind.CAUGHT);
    }

    @Test
    void shouldDecideAnEpisodeThatOutlivedItsHorizonAFalseAlarmWhenTheFailureComesLater() {
        AlertWatch watch = new AlertWatch();
        watch.onReading(0, 0.0, true, false, RISK, HORIZON);

        assertThat(watch.onFailure(HORIZON + MINUTE, HORIZON)).contains(
                AlertEvent.of(Kind.FALSE_ALARMS, AlertEvent.FAILURE_RISK, 1),
                AlertEvent.of(Kind.MISSED, AlertEvent.FAILURE_RISK, 0));
    }

    @Test
    void shouldLeaveAnEpisodeThatStartedAfterALateFailureWaiting() {
        AlertWatch watch = new AlertWatch();
        watch.onReading(10 * MINUTE, 0.0, true, false, RISK, HORIZON);

        assertThat(watch.onFailure(5 * MINUTE, HORIZON)).contains(AlertEvent.of(Kind.MISSED, AlertEvent.FAILURE_RISK, 0));
        assertThat(watch.waiting(AlertEvent.FAILURE_RISK)).isEqualTo(1);
    }

    @Test
    void shouldRaiseEachCandidateThresholdWithTheConfiguredDebounceAndCatchTheFailureOnlyWithThoseItExceeded() {
        AlertWatch watch = new AlertWatch();
        // Two readings at 0.42 (the debounce): candidates 0.05 to 0.40 raise; 0.45 and above do not.
        watch.onReading(0, 0.42, false, false, RISK, HORIZON);
        watch.onReading(MINUTE, 0.42, false, false, RISK, HORIZON);

        List<AlertEvent> failure = watch.onFailure(30 * MINUTE, HORIZON);

        for (int c = 0; c < AlertWatch.CANDIDATES.length; c++) {
            int track = AlertWatch.candidateTrack(c);
            assertThat(failure).as("candidate %s", AlertWatch.CANDIDATES[c]).contains(AlertWatch.CANDIDATES[c] <= 0.42
                    ? AlertEvent.of(Kind.CAUGHT, track, 29 * MINUTE) : AlertEvent.of(Kind.MISSED, track, 0));
        }
    }

    @Test
    void shouldReportWatchedTimeInQuarterHourStepsCappingASilenceAtTheHorizon() {
        AlertWatch watch = new AlertWatch();
        List<AlertEvent> events = new ArrayList<>();
        for (int minute = 0; minute <= 20; minute++) {
            events.addAll(watch.onReading(minute * MINUTE, 0.0, false, false, RISK, HORIZON));
        }
        // Silent for ten hours: counts as the two-hour horizon, plus the five minutes left over.
        events.addAll(watch.onReading(620 * MINUTE, 0.0, false, false, RISK, HORIZON));

        assertThat(events).filteredOn(event -> event.kind() == Kind.OBSERVED).extracting(AlertEvent::value)
                .containsExactly(15 * MINUTE, 125 * MINUTE);
    }

    @Test
    void shouldSettleEveryWaitingEpisodeOnceWhenTheDeviceLeaves() {
        AlertWatch watch = new AlertWatch();
        List<AlertEvent> events = new ArrayList<>();
        // FAILURE_RISK at minutes 0 and 100, ANOMALY at 100; the device leaves at minute 130.
        for (int minute = 0; minute <= 110; minute += 10) {
            events.addAll(watch.onReading(minute * MINUTE, 0.0, minute % 100 == 0, minute == 100, RISK, HORIZON));
        }

        List<AlertEvent> left = watch.onLeave(130 * MINUTE, HORIZON);

        assertThat(events).noneMatch(event -> event.kind() == Kind.FALSE_ALARMS);
        // Watched time goes in steps of 20 minutes here (the first reading at or past a quarter hour), the last
        // 10 minutes when it leaves. The episode of minute 0 outlived its horizon by then: false; those of minute
        // 100 are undecided.
        assertThat(left).containsExactly(
                AlertEvent.of(Kind.OBSERVED, AlertEvent.FAILURE_RISK, 10 * MINUTE),
                AlertEvent.of(Kind.FALSE_ALARMS, AlertEvent.FAILURE_RISK, 1),
                AlertEvent.of(Kind.UNDECIDED, AlertEvent.FAILURE_RISK, 1),
                AlertEvent.of(Kind.UNDECIDED, AlertEvent.ANOMALY, 1));
        assertThat(watch.waiting(AlertEvent.FAILURE_RISK) + watch.waiting(AlertEvent.ANOMALY)).isZero();
        assertThat(watch.onFailure(140 * MINUTE, HORIZON)).contains(AlertEvent.of(Kind.MISSED, AlertEvent.FAILURE_RISK, 0),
                AlertEvent.of(Kind.MISSED, AlertEvent.ANOMALY, 0));
    }

    @Test
    void shouldContinueWithTheSameEpisodesAfterACheckpoint() throws IOException {
        AlertWatch watch = new AlertWatch();
        for (int minute = 0; minute < 40; minute++) {
            watch.onReading(minute * MINUTE, minute % 7 / 7.0, minute % 9 == 0, minute % 13 == 0, RISK, HORIZON);
        }
        AlertWatch restored = AlertWatch.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(watch))));

        assertThat(bytes(restored)).isEqualTo(bytes(watch));
        for (int minute = 40; minute < 200; minute++) {
            assertThat(restored.onReading(minute * MINUTE, 0.6, minute == 100, false, RISK, HORIZON))
                    .isEqualTo(watch.onReading(minute * MINUTE, 0.6, minute == 100, false, RISK, HORIZON));
        }
        assertThat(restored.onFailure(200 * MINUTE, HORIZON)).isEqualTo(watch.onFailure(200 * MINUTE, HORIZON));
    }

    @Test
    void shouldDecideTheOldestEpisodeAFalseAlarmWhenTooManyWait() {
        AlertWatch watch = new AlertWatch();
        long falseAlarms = 0;
        for (int i = 0; i <= EpisodeLedger.MAX_WAITING; i++) {
            falseAlarms += watch.onReading(i * MINUTE, 0.0, true, false, RISK, HORIZON).stream()
                    .filter(event -> event.kind() == Kind.FALSE_ALARMS).mapToLong(AlertEvent::value).sum();
        }
        assertThat(falseAlarms).isEqualTo(1);
        assertThat(watch.waiting(AlertEvent.FAILURE_RISK)).isEqualTo(EpisodeLedger.MAX_WAITING);
        assertThat(watch.onFailure(40 * MINUTE, HORIZON)).contains(AlertEvent.of(Kind.CAUGHT, AlertEvent.FAILURE_RISK, 39 * MINUTE));
    }

    private static byte[] bytes(AlertWatch watch) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            watch.writeTo(out);
        }
        return bytes.toByteArray();
    }
}
