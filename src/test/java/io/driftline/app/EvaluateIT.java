package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.cli.Cli;
import io.driftline.learn.MoaReference;
import java.util.stream.Stream;
import moa.evaluation.preview.LearningCurve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code driftline evaluate} runs MOA's learner through the real topology on a real broker and
 * must print exactly the accuracy and kappa of MOA's own {@code EvaluatePrequential} on the same
 * stream, computed here in-process.
 */
class EvaluateIT {

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("ConceptDriftStream -s (generators.SEAGenerator -f 1) "
                        + "-d (generators.SEAGenerator -f 3) -p 50000 -w 1", "none", "trees.HoeffdingTree"),
                Arguments.of("generators.AgrawalGenerator -f 1", "none", "trees.HoeffdingTree"),
                Arguments.of("ConceptDriftStream -s (generators.SEAGenerator -f 1) "
                        + "-d (generators.SEAGenerator -f 3) -p 50000 -w 1", "reset",
                        "drift.DriftDetectionMethodClassifier -l trees.HoeffdingTree -d (ADWINChangeDetector -a 0.002)"));
    }

    @ParameterizedTest
    @MethodSource("streams")
    void shouldPrintMoasOwnPrequentialAccuracyAndKappa(String stream, String adaptation, String moaLearner)
            throws Exception {
        int instances = 100_000;
        String output = Cli.run("evaluate", "--stream", stream, "--learner", "trees.HoeffdingTree",
                "--adaptation", adaptation, "--instances", Integer.toString(instances));
        String[] lines = output.strip().split("\n");
        JsonNode result = new ObjectMapper().readTree(lines[lines.length - 1]);

        LearningCurve moa = MoaReference.evaluatePrequential(stream, moaLearner, instances);
        assertThat(result.get("instances").asLong()).isEqualTo(instances);
        assertThat(result.get("accuracy").asDouble()).isEqualTo(MoaReference.last(moa, "classifications correct (percent)"));
        assertThat(result.get("kappa").asDouble()).isEqualTo(MoaReference.last(moa, "Kappa Statistic (percent)"));
    }

    /**
     * A regression stream replayed with in-band targets: the remaining-life regressor's MAE, RMSE and
     * R² from the published predictions equal MOA's EvaluatePrequentialRegression's.
     */
    @Test
    void shouldPrintMoasOwnPrequentialRegressionFigures() throws Exception {
        String stream = "generators.HyperplaneGeneratorForRegression -i 3 -k 4";
        int instances = 20_000;
        String output = Cli.run("evaluate", "--stream", stream, "--learner", "trees.FIMTDD",
                "--instances", Integer.toString(instances));
        String[] lines = output.strip().split("\n");
        JsonNode result = new ObjectMapper().readTree(lines[lines.length - 1]);

        LearningCurve moa = MoaReference.evaluatePrequentialRegression(stream, "trees.FIMTDD", instances);
        assertThat(result.get("instances").asLong()).isEqualTo(instances);
        assertThat(result.get("mae").asDouble()).isEqualTo(MoaReference.last(moa, "mean absolute error"));
        assertThat(result.get("rmse").asDouble()).isEqualTo(MoaReference.last(moa, "root mean squared error"));
        assertThat(result.get("r2").asDouble()).isEqualTo(MoaReference.last(moa, "coefficient of determination"));
    }
}
