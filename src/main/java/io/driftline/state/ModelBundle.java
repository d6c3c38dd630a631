package io.driftline.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.driftline.config.PipelineSettings;
import io.driftline.learn.EvaluationSnapshot;
import io.driftline.learn.FeatureDef;
import io.driftline.learn.ModelSettings;
import io.driftline.learn.OnlineModel;
import io.driftline.learn.TreeDescription;
import io.driftline.state.CheckpointCodec.CheckpointDecodingException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import moa.classifiers.Classifier;

/**
 * A model taken out of a deployment, to seed a model key elsewhere or to carry it across an
 * upgrade: a JSON document of an explicit {@link #FORMAT}. It holds the serving learner's MOA
 * bytes (its deflated Java serialisation: MOA's learners have no other form) with what they mean
 * (the learner spec, the attributes in order, the classes, the {@code features.window} the rolling
 * features were computed with), the Driftline and MOA versions that wrote it, the model's
 * evaluation, and for a Hoeffding tree a readable description of the tree.
 *
 * <p>Only the learner travels, not Driftline's own classes around it (evaluator, drift monitors,
 * challengers), so a Driftline upgrade that changes those still reads the bundle; an upgrade of MOA
 * that changes the learner's classes cannot, and the import is refused naming both MOA versions.
 *
 * <p>Importing checks the bundle against the importing deployment's settings: the same classes,
 * declared features and {@code features.window}, and a learner it runs ({@code learner} or one of
 * {@code learner.challengers}); otherwise the readings would mean something else to the model.
 *
 * @param format           {@link #FORMAT}
 * @param modelKey         the model key it was exported from
 * @param exportedAt       when, ISO-8601
 * @param writtenBy        the Driftline and MOA versions that exported it
 * @param version          the model key's version exported (see {@link ModelVersions})
 * @param learner          the serving learner's MOA spec
 * @param classes          the class values in order
 * @param features         the model's attributes in order, the declared ones first
 * @param featureWindow    {@code features.window} per machine type, as the settings fingerprint writes it
 * @param instancesTrained labelled instances the learner trained on
 * @param evaluation       the model's prequential figures when exported
 * @param tree             the tree, for a Hoeffding tree; null for other learners and in the parts an import sends
 * @param model            the learner's deflated Java serialisation (base64 in the JSON)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelBundle(int format, String modelKey, String exportedAt, WrittenBy writtenBy, long version,
                          String learner, List<String> classes, List<FeatureDef> features, String featureWindow,
                          long instancesTrained, EvaluationSnapshot evaluation, TreeDescription tree, byte[] model) {

    /** The bundle format this Driftline writes and reads. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.INDENT_OUTPUT, true)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** The serving model of {@code state}, the model of {@code modelKey} under {@code settings}, as a bundle. */
    public static ModelBundle of(String modelKey, ModelState state, PipelineSettings settings, Instant now) {
        OnlineModel.Exported exported = state.model().exported();
        return new ModelBundle(FORMAT, modelKey, now.toString(), WrittenBy.current(), state.version(),
                exported.learner(), settings.model().classes(), exported.features(),
                SettingsFingerprint.of(settings).featureWindow(), exported.instancesTrained(), exported.evaluation(),
                exported.tree(), CheckpointCodec.serialise(exported.model()));
    }

    /** The same bundle without the tree's description: what an import carries to the model (the learner is the tree). */
    public ModelBundle withoutTree() {
        return new ModelBundle(format, modelKey, exportedAt, writtenBy, version, learner, classes, features,
                featureWindow, instancesTrained, evaluation, null, model);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bundle of model " + modelKey + " as JSON", e);
        }
    }

    /**
     * The bundle {@link #toJson} wrote.
     *
     * @throws Refused when the bytes are no bundle, or one of a format this Driftline does not read
     */
    public static ModelBundle fromJson(byte[] json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (IOException e) {
            throw new Refused("not a model bundle: " + e.getMessage());
        }
        if (tree == null || !tree.isObject() || !tree.path("format").isInt()) {
            throw new Refused("not a model bundle: no format");
        }
        if (tree.get("format").intValue() != FORMAT) {
            throw new Refused("model bundle of format " + tree.get("format").intValue() + "; this Driftline ("
                    + WrittenBy.current() + ") reads format " + FORMAT);
        }
        ModelBundle bundle;
        try {
            bundle = JSON.treeToValue(tree, ModelBundle.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new Refused("not a model bundle: " + e.getMessage());
        }
        if (bundle.learner() == null || bundle.classes() == null || bundle.features() == null
                || bundle.featureWindow() == null || bundle.model() == null || bundle.writtenBy() == null) {
            throw new Refused("incomplete model bundle: it needs learner, classes, features, featureWindow, "
                    + "writtenBy and model");
        }
        return bundle;
    }

    /**
     * The model this bundle holds, under {@code settings}: its learner serves, as it was exported.
     *
     * @throws Refused when the bundle does not fit the settings (see the class comment), or its learner
     *     cannot be read back (e.g. written by a MOA whose classes changed since)
     */
    public OnlineModel toModel(PipelineSettings settings) {
        check(settings);
        Classifier learner;
        try {
            learner = ModelCheckpoints.thawLearner(model);
        } catch (CheckpointDecodingException e) {
            throw new Refused("the bundle's learner cannot be read (written by " + writtenBy + "; this is "
                    + WrittenBy.current() + "): " + e.getMessage());
        }
        Class<?> expected = OnlineModel.newLearner(this.learner).getClass();
        if (!expected.equals(learner.getClass())) {
            throw new Refused("the bundle's model is a " + learner.getClass().getName() + ", not the " + expected.getName()
                    + " its learner spec '" + this.learner + "' makes");
        }
        List<String> attributes = attributes(learner);
        List<String> names = features.stream().map(FeatureDef::name).toList();
        if (attributes != null && !attributes.equals(names)) {
            throw new Refused("the bundle's model was trained on attributes " + attributes + ", not on its features "
                    + names);
        }
        try {
            return OnlineModel.imported(settings.model(), this.learner, features, learner, instancesTrained);
        } catch (IllegalArgumentException e) {
            throw new Refused("the bundle's features cannot make a model: " + e.getMessage());
        }
    }

    /**
     * Refuses a bundle made under settings that shape a model differently.
     *
     * @throws Refused naming each difference
     */
    public void check(PipelineSettings settings) {
        ModelSettings model = settings.model();
        List<String> problems = new ArrayList<>();
        if (!classes.equals(model.classes())) {
            problems.add("its classes " + classes + " are not this deployment's " + model.classes());
        }
        List<FeatureDef> declared = model.declaredFeatures();
        if (features.size() < declared.size() || !features.subList(0, declared.size()).equals(declared)) {
            problems.add("its features " + describe(features) + " do not start with this deployment's declared "
                    + "features " + describe(declared));
        }
        String window = SettingsFingerprint.of(settings).featureWindow();
        if (!featureWindow.equals(window)) {
            problems.add("its features.window " + featureWindow + " is not this deployment's " + window);
        }
        if (!learner.equals(model.learnerSpec()) && !model.lifecycle().challengers().contains(learner)) {
            problems.add("its learner '" + learner + "' is neither this deployment's learner '" + model.learnerSpec()
                    + "' nor one of its learner.challengers " + model.lifecycle().challengers());
        }
        if (!problems.isEmpty()) {
            throw new Refused("model bundle of " + modelKey + " refused: " + String.join("; ", problems));
        }
    }

    /** The attribute names (without the class) the learner was last given, or null if it has none. */
    private static List<String> attributes(Classifier learner) {
        if (learner.getModelContext() == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < learner.getModelContext().numAttributes(); i++) {
            if (i != learner.getModelContext().classIndex()) {
                names.add(learner.getModelContext().attribute(i).name());
            }
        }
        return names;
    }

    private static String describe(List<FeatureDef> features) {
        return features.stream().map(f -> f.isNominal() ? f.name() + ":{" + String.join("|", f.nominalValues()) + "}"
                : f.name()).toList().toString();
    }

    /** A bundle that cannot be imported here, and why. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }
}
