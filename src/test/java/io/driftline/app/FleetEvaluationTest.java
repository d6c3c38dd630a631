package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.drift.DriftScorecard;
import io.driftline.drift.DriftScorecard.ModelScore;
import io.driftline.drift.ScriptedChange;
import io.driftline.sim.FleetSimulator;
import io.driftline.sim.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A small scenario run through the per-model core: every reading reaches its model, and every model is scored. */
class FleetEvaluationTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration DURATION = Duration.ofHours(4);

    private static FleetSimulator.Settings fleet(Scenario scenario) {
        return new FleetSimulator.Settings(50, 7, START, Duration.ofMinutes(1), 1.0, Duration.ofHours(2),
                Duration.ofMinutes(30), scenario, Duration.ofHours(2), null);
    }

    private static FleetEvaluation.Result run(PipelineSettings pipeline, Scenario scenario) {
        return FleetEvaluation.run(pipeline, new FleetEvaluation.Settings(fleet(scenario), DURATION,
                Duration.ofHours(1), Duration.ofHours(6)), (readings, simulated) -> { });
    }

    /** Readings of the simulated fleet before the end of the run, counted from the simulator itself. */
    private static long readingsOf(FleetSimulator.Settings settings, String machineType) {
        FleetSimulator simulator = new FleetSimulator(settings);
        long end = START.plus(DURATION).toEpochMilli();
        long count = 0;
        for (FleetSimulator.Event event = simulator.next(); event.timeMillis() < end; event = simulator.next()) {
            if (event instanceof FleetSimulator.Reading reading
                    && (machineType == null || reading.reading().getMachineType().equals(machineType))) {
                count++;
            }
        }
        return count;
    }

    @Test
    void shouldProcessEveryReadingAndScoreEveryModel() {
        FleetEvaluation.Result result = run(new DriftlineConfig(Map.of()).pipeline(), Scenario.FIRMWARE);

        assertThat(result.readings()).isEqualTo(readingsOf(fleet(Scenario.FIRMWARE), null));
        assertThat(result.maintenance()).as("failures after the 2-hour degradation, and repairs").isPositive();
        assertThat(result.deadLettered()).isZero();
        DriftScorecard.Report score = result.score();
        assertThat(score.simulated()).isEqualTo(DURATION);
        assertThat(score.models()).extracting(ModelScore::modelKey).containsExactly("H", "L", "M");
        assertThat(score.models()).allSatisfy(model -> {
            assertThat(model.readings()).isEqualTo(readingsOf(fleet(Scenario.FIRMWARE), model.modelKey()));
            assertThat(model.series()).extracting(DriftScorecard.Point::minute).containsExactly(60L, 120L, 180L, 240L);
        });
        ModelScore m = score.models().get(2);
        assertThat(m.detections()).extracting(d -> d.change().kind())
                .containsExactlyInAnyOrder(ScriptedChange.Kind.CONCEPT, ScriptedChange.Kind.DATA);
    }

    @Test
    void shouldDeadLetterTheNewTypesReadingsUnlessItIsAKnownType() {
        FleetEvaluation.Result unknown = run(new DriftlineConfig(Map.of()).pipeline(), Scenario.NEW_MACHINE_TYPE);
        long readingsOfX = readingsOf(fleet(Scenario.NEW_MACHINE_TYPE), "X");
        assertThat(readingsOfX).isPositive();
        assertThat(unknown.deadLettered()).isEqualTo(readingsOfX);
        assertThat(unknown.score().passed()).as("model X is expected").isFalse();

        FleetEvaluation.Result known = run(new DriftlineConfig(Map.of(DriftlineConfig.MACHINE_TYPES, "L,M,H,X"))
                .pipeline(), Scenario.NEW_MACHINE_TYPE);
        assertThat(known.deadLettered()).isZero();
        assertThat(known.score().models()).filteredOn(model -> model.modelKey().equals("X"))
                .singleElement().satisfies(x -> assertThat(x.readings()).isEqualTo(readingsOfX));
    }
}
