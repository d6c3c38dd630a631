package io.driftline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftline.alertquality.AlertEvent;
import io.driftline.alertquality.AlertQuality;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.learn.Observation;
import io.driftline.learn.OnlineModel;
import io.driftline.state.ModelCheckpoints;
import io.driftline.state.ModelState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/models/{key}} shows the remaining-life regressor's figures under {@code state.remainingLife},
 * and the alert quality per machine type under {@code alertQuality}.
 */
class ModelViewJsonTest {

    @Test
    void shouldShowTheRemainingLifeFiguresOrNull() throws Exception {
        OnlineModel model = OnlineModel.create(new DriftlineConfig(Map.of(DriftlineConfig.RUL_ENABLED, true))
                .modelSettings());
        model.learnRemainingLife(new Observation(Map.of("temperature", 70.0), Map.of()), 3_600_000);
        model.learnRemainingLife(new Observation(Map.of("temperature", 80.0), Map.of()), 600_000);

        JsonNode life = json(model).get("state").get("remainingLife");
        assertThat(life.get("instances").asLong()).isEqualTo(2);
        assertThat(life.get("mae").asDouble()).isEqualTo(model.snapshot().remainingLife().mae());
        assertThat(life.has("rmse") && life.has("r2")).isTrue();

        OnlineModel off = OnlineModel.create(new DriftlineConfig(Map.of()).modelSettings());
        assertThat(json(off).get("state").get("remainingLife").isNull()).isTrue();
    }

    /** The model list (and the dashboard's table) names the serving version and each challenger's kappa. */
    @Test
    void shouldListTheServingVersionAndTheChallengersWithTheirKappa() throws Exception {
        DriftlineConfig config = new DriftlineConfig(Map.of(DriftlineConfig.CHALLENGERS, "bayes.NaiveBayes"));
        ModelState state = new ModelState(config.modelSettings(), 0);
        for (int i = 0; i < 50; i++) {
            Observation observation = new Observation(Map.of("temperature", 60.0 + i % 20), Map.of());
            state.learn(observation, i % 20 > 15 ? "failure" : "normal", state.predict(observation, Map.of(), "d", i));
        }
        state = state.promote("bayes.NaiveBayes", config.modelSettings(), 50, "test");

        ModelView view = new ModelView("L", "localhost:8080", state.snapshot(), List.of(), state.versionHistory());
        ModelSummary summary = ModelSummary.of(view);

        assertThat(summary.version()).isEqualTo(2);
        assertThat(summary.learner()).isEqualTo("bayes.NaiveBayes");
        assertThat(summary.challengers()).containsExactly(Map.entry("trees.HoeffdingTree",
                state.snapshot().challengers().get(0).evaluation().kappa()));
        JsonNode json = JsonMappers.api().readTree(JsonMappers.api().writeValueAsString(summary));
        assertThat(json.get("challengers").has("trees.HoeffdingTree")).isTrue();
        JsonNode versions = JsonMappers.api().readTree(JsonMappers.api().writeValueAsString(view)).get("versions");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(1).get("startedAt").asText()).isEqualTo("1970-01-01T00:00:00.050Z");
        assertThat(versions.get(1).get("reason").asText()).isEqualTo("PROMOTED");
    }

    /** A version retired by a settings change was not measured (its figures need its settings): its evaluation is null. */
    @Test
    void shouldShowNoEvaluationForAVersionRetiredByASettingsChange() throws Exception {
        PipelineSettings before = new DriftlineConfig(Map.of()).pipeline();
        PipelineSettings after = new DriftlineConfig(Map.of(DriftlineConfig.LEARNER, "bayes.NaiveBayes")).pipeline();
        ModelState state = new ModelState(before.model(), 0);
        for (int i = 0; i < 50; i++) {
            Observation observation = new Observation(Map.of("temperature", 60.0 + i % 20), Map.of());
            state.learn(observation, i % 20 > 15 ? "failure" : "normal", state.predict(observation, Map.of(), "d", i));
        }
        byte[] snapshot = new ModelCheckpoints(before).encode(state);
        ModelCheckpoints.SettingsChanged changed = catchThrowableOfType(ModelCheckpoints.SettingsChanged.class,
                () -> new ModelCheckpoints(after).decode(snapshot));
        ModelState next = ModelState.afterSettingsChange(changed.retired(), after.model(), 60_000, changed.getMessage());

        JsonNode versions = JsonMappers.api().readTree(JsonMappers.api().writeValueAsString(new ModelView("L",
                "localhost:8080", next.snapshot(), List.of(), next.versionHistory()))).get("versions");

        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).has("evaluation")).isTrue();
        assertThat(versions.get(0).get("evaluation").isNull()).isTrue();
        assertThat(versions.get(1).get("evaluation").get("instances").asLong()).isZero();
        assertThat(versions.get(1).get("detail").asText()).isEqualTo(
                "settings changed: learner changed from 'trees.HoeffdingTree' to 'bayes.NaiveBayes'");
    }

    private static JsonNode json(OnlineModel model) throws Exception {
        return JsonMappers.api().readTree(JsonMappers.api().writeValueAsString(
                new ModelView("L", "localhost:8080", model.snapshot(), List.of(), List.of())));
    }

    @Test
    void shouldShowTheAlertQualityPerMachineTypeWithItsThresholdSuggestion() throws Exception {
        AlertQuality quality = new AlertQuality();
        quality.apply("L", AlertEvent.of(AlertEvent.Kind.OBSERVED, AlertEvent.FAILURE_RISK, 86_400_000L));
        quality.apply("L", AlertEvent.of(AlertEvent.Kind.CAUGHT, AlertEvent.FAILURE_RISK, 1_800_000L));
        OnlineModel model = OnlineModel.create(new DriftlineConfig(Map.of()).modelSettings());

        JsonNode view = JsonMappers.api().readTree(JsonMappers.api().writeValueAsString(
                new ModelView("L", "localhost:8080", model.snapshot(), quality.figures(), List.of())));

        JsonNode type = view.get("alertQuality").get(0);
        assertThat(type.get("machineType").asText()).isEqualTo("L");
        assertThat(type.get("failureRisk").get("caught").asLong()).isEqualTo(1);
        assertThat(type.get("failureRisk").get("medianLeadMs").asDouble()).isEqualTo(1_800_000.0);
        assertThat(type.get("suggestion").get("objective").asText()).isEqualTo(AlertQuality.OBJECTIVE);
        assertThat(view.get("state").get("evaluation").has("kappaM")).isTrue();
    }
}
