package io.driftline.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.config.ModelScope;
import io.driftline.drift.ScriptedChange;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The scenarios' ground truth as issue #19 tabulates it from their documentation. */
class GroundTruthTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration DRIFT_AT = Duration.ofDays(2);
    private static final Instant AT = START.plus(DRIFT_AT);

    private static GroundTruth truth(Scenario scenario) {
        return GroundTruth.of(scenario, START, DRIFT_AT, ModelScope.MACHINE_TYPE);
    }

    @Test
    void shouldScriptNothingOnTheStationaryFleet() {
        GroundTruth none = truth(Scenario.NONE);
        assertThat(none.changes()).isEmpty();
        assertThat(none.newModels()).isEmpty();
        assertThat(none.models()).containsExactlyInAnyOrder("L", "M", "H");
        assertThat(none.stationary()).isTrue();
    }

    @Test
    void shouldScriptARecalibrationOfEveryModelsTemperatureAndAConceptChangeThatMayFollow() {
        GroundTruth recalibration = truth(Scenario.RECALIBRATION);
        assertThat(recalibration.changes()).hasSize(6).containsOnlyOnce(
                ScriptedChange.data("H", "temperature_c", AT, Duration.ZERO),
                ScriptedChange.concept("H", AT, false));
        assertThat(recalibration.changes()).filteredOn(c -> c.kind() == ScriptedChange.Kind.CONCEPT)
                .noneMatch(ScriptedChange::required);
        assertThat(recalibration.stationary()).isFalse();
    }

    @Test
    void shouldScriptTheFirmwareOnModelMOnly() {
        assertThat(truth(Scenario.FIRMWARE).changes()).containsExactlyInAnyOrder(
                ScriptedChange.concept("M", AT, true),
                ScriptedChange.data("M", "vibration_mm_s", AT, Duration.ZERO));
    }

    @Test
    void shouldScriptTheSeasonAsAGradualChangeOfBothTemperaturesOverTwoDays() {
        GroundTruth seasonal = truth(Scenario.SEASONAL);
        assertThat(seasonal.changes()).hasSize(6)
                .allMatch(c -> c.kind() == ScriptedChange.Kind.DATA && c.ramp().equals(Duration.ofDays(2)))
                .extracting(ScriptedChange::sensor).containsOnly("temperature_c", "process_temperature_c");
    }

    @Test
    void shouldExpectANewModelForTheNewMachineTypeAndNoChangeOnTheOthers() {
        GroundTruth newType = truth(Scenario.NEW_MACHINE_TYPE);
        assertThat(newType.changes()).isEmpty();
        assertThat(newType.newModels()).containsExactly("X");
        assertThat(newType.stationary()).isFalse();
    }

    @Test
    void shouldMergeTheChangesOfEveryTypeIntoTheFleetModel() {
        GroundTruth fleet = GroundTruth.of(Scenario.RECALIBRATION, START, DRIFT_AT, ModelScope.FLEET);
        assertThat(fleet.models()).containsExactly(ModelScope.FLEET_KEY);
        assertThat(fleet.changes()).containsExactly(
                ScriptedChange.data(ModelScope.FLEET_KEY, "temperature_c", AT, Duration.ZERO),
                ScriptedChange.concept(ModelScope.FLEET_KEY, AT, false));
        assertThatThrownBy(() -> GroundTruth.of(Scenario.FIRMWARE, START, DRIFT_AT, ModelScope.DEVICE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
