package io.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.Prediction;
import io.driftline.avro.Severity;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TailCommandTest {

    private static Alert alert(AlertKind kind, Severity severity, String deviceId) {
        return Alert.newBuilder().setAlertId("a").setKind(kind).setSeverity(severity).setModelKey("L")
                .setDeviceId(deviceId).setEventTime(Instant.parse("2026-01-01T00:00:00Z")).setMessage("m")
                .setDetails(Map.of()).build();
    }

    @Test
    void shouldFilterAlertsByKindAndDevice() {
        Alert risk = alert(AlertKind.FAILURE_RISK, Severity.CRITICAL, "pump-1");
        Alert drift = alert(AlertKind.CONCEPT_DRIFT, Severity.WARNING, null);

        assertThat(TailCommand.matches(risk, Set.of(), null)).isTrue();
        assertThat(TailCommand.matches(risk, Set.of(AlertKind.FAILURE_RISK), "pump-1")).isTrue();
        assertThat(TailCommand.matches(risk, Set.of(AlertKind.CONCEPT_DRIFT), null)).isFalse();
        assertThat(TailCommand.matches(risk, Set.of(), "pump-2")).isFalse();
        assertThat(TailCommand.matches(drift, Set.of(), "pump-1")).isFalse();
    }

    @Test
    void shouldFilterPredictionsByDevice() {
        Prediction prediction = Prediction.newBuilder().setDeviceId("pump-1").setModelKey("L")
                .setReadingTime(Instant.EPOCH).setSequence(1).setPredictedClass("normal").setFailureProbability(0.1)
                .setClassVotes(Map.of()).setModelVersion(0).setProcessedAt(Instant.EPOCH).setLatencyMs(0).build();

        assertThat(TailCommand.matches(prediction, Set.of(AlertKind.FAILURE_RISK), "pump-1")).isTrue();
        assertThat(TailCommand.matches(prediction, Set.of(), "pump-2")).isFalse();
    }

    @Test
    void shouldColourAlertLinesBySeverityOnlyWhenAsked() {
        Alert risk = alert(AlertKind.FAILURE_RISK, Severity.CRITICAL, "pump-1");

        assertThat(AlertLines.format(risk, true)).startsWith("\u001b[1;31m").endsWith("\u001b[0m").contains("FAILURE_RISK");
        assertThat(AlertLines.format(alert(AlertKind.DATA_DRIFT, Severity.WARNING, null), true)).startsWith("\u001b[33m");
        assertThat(AlertLines.format(risk, false)).doesNotContain("\u001b").contains("CRITICAL");
    }
}
