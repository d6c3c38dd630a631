package io.driftline.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.app.Evaluation;
import io.driftline.avro.Alert;
import io.driftline.avro.AlertKind;
import io.driftline.avro.ModelInput;
import io.driftline.avro.ModelStatus;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.MoaStreams;
import io.driftline.sim.MoaReplay;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** model.max.bytes through the core: one MODEL_CAPPED alert, and the model's status says it stopped growing. */
class ModelSizeCapTest {

    private static final String RBF = "generators.RandomRBFGenerator -a 10 -c 2";

    @Test
    void shouldAlertOnceAndReportAHoeffdingTreeThatModelMaxBytesStoppedGrowing() {
        MoaStreams.Source source = MoaStreams.open(RBF);
        DriftlineConfig config = Evaluation.configFor(new DriftlineConfig(Map.of(DriftlineConfig.MODEL_MAX_BYTES,
                "60000")), source, "trees.HoeffdingTree", "none");
        ModelCore core = new ModelCore(config.pipeline());
        InMemoryCoreState state = new InMemoryCoreState();
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        List<Alert> alerts = new ArrayList<>();

        new MoaReplay(source, 120_000, 7, "L", clock::incrementAndGet).forEachRemaining(reading -> {
            for (Outcome outcome : core.apply("fleet", ModelInput.newBuilder().setReading(reading).build(),
                    new InputMeta(clock.get(), clock.get()), state)) {
                if (outcome instanceof Outcome.Alerted alerted) {
                    alerts.add(alerted.alert());
                }
            }
        });

        assertThat(alerts).filteredOn(alert -> alert.getKind() == AlertKind.MODEL_CAPPED).singleElement()
                .satisfies(alert -> {
                    assertThat(alert.getDetails()).containsEntry("action", "STOPPED_GROWING")
                            .containsEntry("maxBytes", "60000");
                    assertThat(Long.parseLong(alert.getDetails().get("learnerBytes"))).isGreaterThan(60_000);
                });
        ModelStatus status = ModelStatuses.of("fleet", state.model("fleet"), Instant.now(), 0);
        assertThat(status.getGrowthStopped()).isTrue();
        assertThat(status.getModelBytes()).isGreaterThan(60_000);
    }
}
