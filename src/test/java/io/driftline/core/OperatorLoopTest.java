package io.driftline.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.ModelAction;
import io.driftline.avro.ModelCommand;
import io.driftline.avro.ModelInput;
import io.driftline.avro.SensorReading;
import io.driftline.config.DriftlineConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Operators' side of the model stage: silent devices, and feedback on alert episodes. */
class OperatorLoopTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    @Test
    void shouldRaiseDeviceSilentOnceAfterTheSilenceAndClearItWhenTheDeviceReportsAgain() {
        long silence = Duration.ofMinutes(30).toMillis();
        ModelCore core = new ModelCore(new DriftlineConfig(Map.of(DriftlineConfig.DEVICE_SILENCE_MS, silence)).pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        List<Alert> alerts = new ArrayList<>();
        // Both report every minute for 10 minutes; then only pump-1 for an hour; then pump-2 again.
        for (int minute = 0; minute < 10; minute++) {
            alerts.addAll(read(core, state, "pump-1", minute));
            alerts.addAll(read(core, state, "pump-2", minute));
        }
        List<Integer> silentAt = new ArrayList<>();
        for (int minute = 10; minute < 70; minute++) {
            List<Alert> now = read(core, state, "pump-1", minute);
            if (now.stream().anyMatch(alert -> alert.getKind() == AlertKind.DEVICE_SILENT)) {
                silentAt.add(minute);
            }
            alerts.addAll(now);
        }
        alerts.addAll(read(core, state, "pump-2", 70));

        List<Alert> silent = alerts.stream().filter(alert -> alert.getKind() == AlertKind.DEVICE_SILENT).toList();
        assertThat(silent).singleElement().satisfies(alert -> {
            assertThat(alert.getDeviceId()).isEqualTo("pump-2");
            assertThat(alert.getDetails()).containsEntry("lastReadingAt", Long.toString(T0 + 9 * MINUTE));
        });
        // Its last reading at minute 9; silent once the model's stream time is more than 30 minutes past it.
        assertThat(silentAt).containsExactly(40);
        assertThat(alerts).filteredOn(alert -> alert.getKind() == AlertKind.DEVICE_SILENT_CLEARED).singleElement()
                .satisfies(alert -> {
                    assertThat(alert.getDeviceId()).isEqualTo("pump-2");
                    assertThat(alert.getDetails()).containsEntry("silentForMs", Long.toString(61 * MINUTE));
                });
    }

    @Test
    void shouldWatchNoDeviceWhenSilenceIsOff() {
        ModelCore core = new ModelCore(new DriftlineConfig(Map.of()).pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        List<Alert> alerts = new ArrayList<>(read(core, state, "pump-2", 0));
        for (int minute = 0; minute < 600; minute += 10) {
            alerts.addAll(read(core, state, "pump-1", minute));
        }
        assertThat(alerts).noneMatch(alert -> alert.getKind() == AlertKind.DEVICE_SILENT);
    }

    @Test
    void shouldLabelTheWaitingReadingsOfAFalseAlarmEpisodeNormalAtOnceAndAuditTheFeedback() {
        ModelCore core = sixHourHorizon();
        InMemoryCoreState state = twoPumps(core, 30);
        long trained = state.model("L").model().instancesTrained();
        assertThat(state.device("pump-1").labeler().pendingCount()).isEqualTo(30);

        List<Outcome> outcomes = core.apply("L", feedback(ModelAction.FALSE_ALARM, "pump-1", 10, 20L),
                new InputMeta(T0, T0), state);

        // Minutes 10 to 20 of pump-1, and no reading of pump-2.
        assertThat(outcomes).filteredOn(Outcome.LabelResolved.class::isInstance)
                .extracting(o -> ((Outcome.LabelResolved) o).cause()).hasSize(11).containsOnly("FEEDBACK");
        assertThat(state.device("pump-1").labeler().pendingCount()).isEqualTo(19);
        assertThat(state.device("pump-2").labeler().pendingCount()).isEqualTo(30);
        assertThat(state.model("L").model().instancesTrained()).isEqualTo(trained + 11);
        assertThat(alerts(outcomes)).singleElement().satisfies(alert -> {
            assertThat(alert.getKind()).isEqualTo(AlertKind.ALERT_FEEDBACK);
            assertThat(alert.getDeviceId()).isEqualTo("pump-1");
            assertThat(alert.getDetails()).containsEntry("verdict", "FALSE_ALARM")
                    .containsEntry("alertId", "FAILURE_RISK:pump-1:10").containsEntry("relabelledNormal", "11")
                    .containsEntry("requestedBy", "alice");
        });

        // An open episode runs up to now; a confirmation labels nothing.
        List<Outcome> confirmed = core.apply("L", feedback(ModelAction.CONFIRM, "pump-2", 25, null),
                new InputMeta(T0, T0), state);
        assertThat(confirmed).noneMatch(Outcome.LabelResolved.class::isInstance);
        assertThat(alerts(confirmed)).singleElement().satisfies(alert ->
                assertThat(alert.getDetails()).containsEntry("verdict", "CONFIRMED").containsEntry("episodeEnd", "open"));
        List<Outcome> open = core.apply("L", feedback(ModelAction.FALSE_ALARM, "pump-2", 25, null),
                new InputMeta(T0, T0), state);
        assertThat(open).filteredOn(Outcome.LabelResolved.class::isInstance).hasSize(5);
    }

    @Test
    void shouldCountFailuresWatchedTimeLabelledScoresAndOperatorsVerdictsInTheAlertQuality() {
        ModelCore core = sixHourHorizon();
        InMemoryCoreState state = twoPumps(core, 60);
        core.apply("L", ModelInput.newBuilder().setMaintenance(MaintenanceEvent.newBuilder().setDeviceId("pump-1")
                .setKind(MaintenanceKind.FAILURE).setEventTime(Instant.ofEpochMilli(T0 + 60 * MINUTE)).build()).build(),
                new InputMeta(T0, T0), state);
        core.apply("L", feedback(ModelAction.CONFIRM, "pump-1", 10, 20L), new InputMeta(T0, T0), state);
        core.apply("L", feedback(ModelAction.FALSE_ALARM, "pump-2", 10, 20L), new InputMeta(T0, T0), state);

        assertThat(state.model("L").alertQuality()).singleElement().satisfies(figures -> {
            assertThat(figures.machineType()).isEqualTo("L");
            // Each device watched 59 minutes, reported in quarter hours: 45 minutes each so far.
            assertThat(figures.machineDays()).isEqualTo(90.0 / (24 * 60));
            // The untrained model raised nothing: the failure was missed.
            assertThat(figures.failures()).isEqualTo(1);
            assertThat(figures.failureRisk().missed()).isEqualTo(1);
            assertThat(figures.failureRisk().confirmed()).isEqualTo(1);
            assertThat(figures.failureRisk().markedFalse()).isEqualTo(1);
            // The failure labelled pump-1's 60 readings, the false alarm 11 of pump-2's: scored as predicted.
            assertThat(figures.scoredFailures() + figures.scoredNormals()).isEqualTo(71);
            assertThat(figures.scoredFailures()).isEqualTo(60);
        });
    }

    @Test
    void shouldRefuseFeedbackForAModelKeyWithoutModel() {
        ModelCore core = new ModelCore(new DriftlineConfig(Map.of()).pipeline());
        List<Outcome> outcomes = core.apply("L", feedback(ModelAction.FALSE_ALARM, "pump-1", 0, null),
                new InputMeta(T0, T0), new InMemoryCoreState());
        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.Rejected.class, rejected ->
                assertThat(rejected.reason()).isEqualTo(Outcome.Rejected.Reason.UNKNOWN_MODEL));
    }

    private static ModelCore sixHourHorizon() {
        return new ModelCore(new DriftlineConfig(Map.of(DriftlineConfig.LABEL_HORIZON_MS, Duration.ofHours(6).toMillis()))
                .pipeline());
    }

    /** pump-1 and pump-2 reporting every minute for {@code minutes}. */
    private static InMemoryCoreState twoPumps(ModelCore core, int minutes) {
        InMemoryCoreState state = new InMemoryCoreState();
        for (int minute = 0; minute < minutes; minute++) {
            read(core, state, "pump-1", minute);
            read(core, state, "pump-2", minute);
        }
        return state;
    }

    private static ModelInput feedback(ModelAction action, String deviceId, int startMinute, Long endMinute) {
        return ModelInput.newBuilder().setCommand(ModelCommand.newBuilder().setModelKey("L").setAction(action)
                .setRequestedBy("alice").setReason("inspected").setRequestedAt(Instant.ofEpochMilli(T0 + 100 * MINUTE))
                .setAlertId("FAILURE_RISK:" + deviceId + ":" + startMinute).setDeviceId(deviceId)
                .setEpisodeStart(Instant.ofEpochMilli(T0 + startMinute * MINUTE))
                .setEpisodeEnd(endMinute == null ? null : Instant.ofEpochMilli(T0 + endMinute * MINUTE))
                .build()).build();
    }

    private static List<Alert> read(ModelCore core, CoreState state, String deviceId, int minute) {
        return alerts(core.apply("L", ModelInput.newBuilder().setReading(reading(deviceId, minute)).build(),
                new InputMeta(T0, T0), state));
    }

    private static List<Alert> alerts(List<Outcome> outcomes) {
        return outcomes.stream().filter(Outcome.Alerted.class::isInstance).map(o -> ((Outcome.Alerted) o).alert())
                .toList();
    }

    private static SensorReading reading(String deviceId, int minute) {
        return SensorReading.newBuilder()
                .setDeviceId(deviceId)
                .setMachineType("L")
                .setEventTime(Instant.ofEpochMilli(T0 + minute * MINUTE))
                .setSequence(minute)
                .setSensors(Map.of("temperature", 70.0 + minute % 5, "vibration", 0.1 * (minute % 3)))
                .build();
    }
}
