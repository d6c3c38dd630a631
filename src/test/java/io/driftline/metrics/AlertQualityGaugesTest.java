package io.driftline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftline.alertquality.AlertEvent;
import io.driftline.avro.ModelStatus;
import io.driftline.config.DriftlineConfig;
import io.driftline.core.ModelStatuses;
import io.driftline.state.ModelState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model status's alert quality becomes gauges per model, machine type and episode kind. */
class AlertQualityGaugesTest {

    @Test
    void shouldGaugeEachMachineTypesAlertQualityAndTheModelsKappaM() {
        ModelState model = new ModelState(new DriftlineConfig(Map.of()).modelSettings());
        model.alertQuality("L", AlertEvent.of(AlertEvent.Kind.OBSERVED, AlertEvent.FAILURE_RISK, 86_400_000L));
        model.alertQuality("L", AlertEvent.of(AlertEvent.Kind.CAUGHT, AlertEvent.FAILURE_RISK, 120_000L));
        model.alertQuality("L", AlertEvent.of(AlertEvent.Kind.MISSED, AlertEvent.ANOMALY, 0));
        model.alertQuality("L", AlertEvent.of(AlertEvent.Kind.FALSE_ALARMS, AlertEvent.ANOMALY, 3));
        model.alertQuality("L", AlertEvent.of(AlertEvent.Kind.UNDECIDED, AlertEvent.FAILURE_RISK, 2));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DriftlineMetrics metrics = new DriftlineMetrics(registry);

        ModelStatus status = ModelStatuses.of("L", model, Instant.EPOCH, 0);
        metrics.modelStatus(status);

        assertThat(gauge(registry, "driftline.alert.quality.recall", "FAILURE_RISK")).isEqualTo(1.0);
        assertThat(gauge(registry, "driftline.alert.quality.lead.median.seconds", "FAILURE_RISK")).isEqualTo(120.0);
        assertThat(gauge(registry, "driftline.alert.quality.recall", "ANOMALY")).isZero();
        assertThat(gauge(registry, "driftline.alert.quality.false.alarms.per.machine.day", "ANOMALY")).isEqualTo(3.0);
        assertThat(gauge(registry, "driftline.alert.quality.undecided", "FAILURE_RISK")).isEqualTo(2.0);
        assertThat(gauge(registry, "driftline.alert.quality.undecided", "ANOMALY")).isZero();
        assertThat(registry.get("driftline.alert.quality.failures").tag("machine_type", "L").gauge().value())
                .isEqualTo(1.0);
        // No labelled reading yet: no figures, no area.
        assertThat(registry.get("driftline.model.kappa.m").tag("model", "L").gauge().value()).isNaN();
        assertThat(registry.get("driftline.alert.quality.roc.auc").tag("machine_type", "L").gauge().value()).isNaN();

        metrics.modelGone("L");
        assertThat(gauge(registry, "driftline.alert.quality.recall", "FAILURE_RISK")).isNaN();
    }

    private static double gauge(SimpleMeterRegistry registry, String name, String kind) {
        return registry.get(name).tag("model", "L").tag("machine_type", "L").tag("kind", kind).gauge().value();
    }
}
