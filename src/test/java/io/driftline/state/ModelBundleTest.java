package io.driftline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftline.config.DriftlineConfig;
import io.driftline.config.PipelineSettings;
import io.driftline.core.TrainedModels;
import io.driftline.learn.FeatureDef;
import io.driftline.learn.OnlineModel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model bundle's JSON, and what an import refuses. */
class ModelBundleTest {

    // A tree that splits early on the sensors, so that its description has something to say.
    private static final DriftlineConfig CONFIG = new DriftlineConfig(Map.of(DriftlineConfig.LEARNER,
            "trees.HoeffdingTree -g 50", DriftlineConfig.FEATURE_WINDOW, "*:0", DriftlineConfig.CHALLENGERS,
            "bayes.NaiveBayes", DriftlineConfig.PROMOTION_METRIC, "none"));
    private static final PipelineSettings SETTINGS = CONFIG.pipeline();

    @Test
    void shouldWriteEverythingAModelMeansAndReadItBack() throws Exception {
        ModelState state = TrainedModels.trained(SETTINGS, "L", 2000);
        ModelBundle bundle = ModelBundle.of("L", state, SETTINGS, Instant.parse("2026-12-02T10:00:00Z"));

        byte[] json = bundle.toJson();
        ModelBundle read = ModelBundle.fromJson(json);

        assertThat(read).usingRecursiveComparison().isEqualTo(bundle);
        JsonNode document = new ObjectMapper().readTree(json);
        assertThat(document.get("format").intValue()).isEqualTo(ModelBundle.FORMAT);
        assertThat(document.get("modelKey").asText()).isEqualTo("L");
        assertThat(document.get("exportedAt").asText()).isEqualTo("2026-12-02T10:00:00Z");
        assertThat(document.get("writtenBy").get("moa").asText()).isEqualTo(WrittenBy.current().moa())
                .isNotEqualTo("unknown");
        assertThat(document.get("learner").asText()).isEqualTo("trees.HoeffdingTree -g 50");
        assertThat(document.get("classes")).hasSize(2);
        assertThat(read.features()).isEqualTo(state.snapshot().features());
        assertThat(read.featureWindow()).isEqualTo("*=0");
        assertThat(read.instancesTrained()).isEqualTo(2000);
        assertThat(read.evaluation().instances()).isEqualTo(2000);
        assertThat(document.get("tree").get("splits").intValue()).isPositive();
        assertThat(document.get("tree").get("root").get("splitOn")).isNotEmpty();
        assertThat(document.get("model").asText()).as("base64 of the learner's bytes").isNotEmpty();
        OnlineModel model = read.toModel(SETTINGS);
        assertThat(CheckpointCodec.serialise(model.exported().model()))
                .isEqualTo(CheckpointCodec.serialise(state.model().exported().model()));
    }

    @Test
    void shouldRefuseWhatIsNoBundleOrOfAnotherFormat() throws Exception {
        ObjectNode document = (ObjectNode) new ObjectMapper().readTree(ModelBundle.of("L",
                TrainedModels.trained(SETTINGS, "L", 10), SETTINGS, Instant.now()).toJson());

        assertThatThrownBy(() -> ModelBundle.fromJson("{\"learner".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelBundle.Refused.class).hasMessageStartingWith("not a model bundle: ");
        assertThatThrownBy(() -> ModelBundle.fromJson("[1, 2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelBundle.Refused.class).hasMessage("not a model bundle: no format");
        document.put("format", 2);
        assertThatThrownBy(() -> ModelBundle.fromJson(document.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelBundle.Refused.class)
                .hasMessage("model bundle of format 2; this Driftline (" + WrittenBy.current() + ") reads format 1");
        document.put("format", 1);
        document.remove("model");
        assertThatThrownBy(() -> ModelBundle.fromJson(document.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelBundle.Refused.class).hasMessageStartingWith("incomplete model bundle");
    }

    @Test
    void shouldRefuseABundleOfOtherClassesOrDeclaredFeaturesNamingEach() {
        DriftlineConfig other = CONFIG.with(Map.of(DriftlineConfig.CLASSES, "ok,broken",
                DriftlineConfig.POSITIVE_CLASS, "broken", DriftlineConfig.FEATURES, "load"));
        ModelBundle bundle = ModelBundle.of("L", TrainedModels.trained(SETTINGS, "L", 10), other.pipeline(),
                Instant.now());

        assertThatThrownBy(() -> bundle.toModel(SETTINGS)).isInstanceOf(ModelBundle.Refused.class)
                .hasMessageContaining("its classes [ok, broken] are not this deployment's [normal, failure]");
        assertThatThrownBy(() -> ModelBundle.of("L", TrainedModels.trained(SETTINGS, "L", 10), SETTINGS, Instant.now())
                .toModel(other.pipeline())).isInstanceOf(ModelBundle.Refused.class)
                .hasMessageContaining("do not start with this deployment's declared features [load]");
    }

    /** The spec and the attributes say what the bytes are: bytes of another learner, or other attributes, are refused. */
    @Test
    void shouldRefuseLearnerBytesThatAreNotWhatTheBundleSays() {
        ModelBundle tree = ModelBundle.of("L", TrainedModels.trained(SETTINGS, "L", 100), SETTINGS, Instant.now());
        ModelBundle claimsBayes = new ModelBundle(tree.format(), tree.modelKey(), tree.exportedAt(), tree.writtenBy(),
                tree.version(), "bayes.NaiveBayes", tree.classes(), tree.features(), tree.featureWindow(),
                tree.instancesTrained(), tree.evaluation(), null, tree.model());
        List<FeatureDef> renamed = new ArrayList<>(tree.features());
        renamed.set(0, FeatureDef.numeric("pressure"));
        ModelBundle otherFeatures = new ModelBundle(tree.format(), tree.modelKey(), tree.exportedAt(), tree.writtenBy(),
                tree.version(), tree.learner(), tree.classes(), renamed, tree.featureWindow(), tree.instancesTrained(),
                tree.evaluation(), null, tree.model());

        assertThatThrownBy(() -> claimsBayes.toModel(SETTINGS)).isInstanceOf(ModelBundle.Refused.class)
                .hasMessage("the bundle's model is a moa.classifiers.trees.HoeffdingTree, not the "
                        + "moa.classifiers.bayes.NaiveBayes its learner spec 'bayes.NaiveBayes' makes");
        assertThatThrownBy(() -> otherFeatures.toModel(SETTINGS)).isInstanceOf(ModelBundle.Refused.class)
                .hasMessageContaining("the bundle's model was trained on attributes [");
    }
}
