package io.driftline.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import moa.evaluation.preview.LearningCurve;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RemainingLifeTest {

    private static final String STREAM = "generators.HyperplaneGeneratorForRegression -i 3 -k 4";
    private static final int INSTANCES = 5_000;
    // model.max.bytes's default: the regressor is measured on its schedule, never reaches it.
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    /** Prequential MAE, RMSE and R² equal MOA's EvaluatePrequentialRegression (Basic evaluator) bit for bit. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "trees.FIMTDD",
            "meta.AdaptiveRandomForestRegressor -s 5"})
    void equalsMoaPrequentialRegression(String learner) {
        LearningCurve moa = MoaReference.evaluatePrequentialRegression(STREAM, learner, INSTANCES);
        RegressionFigures figures = driftline(STREAM, learner, INSTANCES);
        assertEquals(MoaReference.last(moa, "classified instances"), figures.instances());
        assertEquals(MoaReference.last(moa, "mean absolute error"), figures.mae());
        assertEquals(MoaReference.last(moa, "root mean squared error"), figures.rmse());
        assertEquals(MoaReference.last(moa, "coefficient of determination"), figures.r2());
    }

    static RegressionFigures driftline(String stream, String learner, int instances) {
        MoaStreams.RegressionSource source = MoaStreams.openRegression(stream);
        RemainingLife life = RemainingLife.create(learner, source.features());
        for (int i = 0; i < instances && source.hasNext(); i++) {
            MoaStreams.RegressionExample example = source.next();
            life.learn(example.observation(), example.target(), MAX_BYTES);
        }
        return life.figures();
    }

    /**
     * AMRules learns and is scored the same way. Not compared with MOA's task: there its first
     * prediction comes out empty (so unscored), where built and run the same way in-process it is 0.
     */
    @Test
    void amRulesLearns() {
        RegressionFigures figures = driftline(STREAM, "rules.AMRulesRegressor", INSTANCES);
        assertEquals(INSTANCES, figures.instances());
        assertTrue(figures.r2() > 0.5, "R² " + figures.r2());
    }

    /**
     * model.max.bytes bounds the regressor on its own schedule of targets: FIMTDD cannot stop growing,
     * so it starts afresh, while its figures go on (they score what was predicted before and after).
     */
    @Test
    void startsAfreshWhenItOutgrowsTheBoundAndKeepsItsFigures() {
        long bound = 20_000;
        MoaStreams.RegressionSource source = MoaStreams.openRegression(STREAM);
        RemainingLife life = RemainingLife.create("trees.FIMTDD", source.features());
        List<SizeCapped> caps = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            MoaStreams.RegressionExample example = source.next();
            life.learn(example.observation(), example.target(), bound).ifPresent(caps::add);
        }

        assertFalse(caps.isEmpty(), "FIMTDD outgrew " + bound + " bytes");
        long resetAt = 0;
        for (SizeCapped cap : caps) {
            assertEquals(SizeCapped.Role.REMAINING_LIFE, cap.role());
            assertEquals("trees.FIMTDD", cap.spec());
            assertEquals(SizeCapped.Action.RESET, cap.action());
            assertTrue(cap.learnerBytes() > bound, cap.toString());
            assertTrue(ModelSizeTest.scheduled(cap.instancesTrained() - resetAt),
                    "measured " + (cap.instancesTrained() - resetAt) + " targets after its start");
            resetAt = cap.instancesTrained();
        }
        assertEquals(INSTANCES, life.trained());
        assertEquals(INSTANCES, life.figures().instances(), "the figures go on");
    }

    @Test
    void predictsWithoutLearningAndRejectsClassifiers() {
        RemainingLife life = RemainingLife.create("trees.FIMTDD", List.of());
        Observation reading = new Observation(Map.of("temperature", 70.0), Map.of());
        assertEquals(0.0, life.predict(reading));
        assertEquals(0, life.figures().instances());
        life.learn(reading, 3_600_000, MAX_BYTES);
        assertEquals(1, life.trained());
        assertEquals(1, life.figures().instances());
        assertThrows(IllegalArgumentException.class, () -> RemainingLife.create("trees.HoeffdingTree", List.of()));
    }
}
