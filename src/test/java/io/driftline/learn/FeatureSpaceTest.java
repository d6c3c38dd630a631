package io.driftline.learn;

import static org.assertj.core.api.Assertions.assertThat;

import com.yahoo.labs.samoa.instances.Instance;
import io.driftline.config.DriftlineConfig;
import io.driftline.learn.legacy.OlderCheckpoints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureSpaceTest {

    private final FeatureSpace space = new FeatureSpace(
            List.of(FeatureDef.numeric("temperature"), FeatureDef.nominal("firmware", List.of("v1", "v2"))),
            List.of("normal", "failure"));

    @Test
    void shouldPutDeclaredFeaturesFirstAndTheClassLast() {
        Instance instance = space.toInstance(new Observation(Map.of("temperature", 71.5), Map.of("firmware", "v2")), 1);

        assertThat(instance.numAttributes()).isEqualTo(3);
        assertThat(instance.classIndex()).isEqualTo(2);
        assertThat(instance.value(0)).isEqualTo(71.5);
        assertThat(instance.value(1)).isEqualTo(1.0);
        assertThat(instance.classValue()).isEqualTo(1.0);
        assertThat(space.header().classAttribute().value(1)).isEqualTo("failure");
    }

    @Test
    void shouldTreatAbsentNonFiniteAndWronglyTypedValuesAsMissing() {
        Observation observation = new Observation(Map.of("temperature", Double.NaN, "firmware", 3.0), Map.of());

        Instance instance = space.toInstance(observation, -1);

        assertThat(instance.isMissing(0)).isTrue();
        assertThat(instance.isMissing(1)).isTrue();
        assertThat(instance.classIsMissing()).isTrue();
        assertThat(space.invalidValues(observation)).isEqualTo(2);
    }

    @Test
    void shouldAppendNewFeaturesInNameOrderKeepingExistingIndices() {
        boolean grew = space.grow(new Observation(Map.of("vibration", 1.0, "current", 2.0), Map.of("firmware", "v3")));

        assertThat(grew).isTrue();
        assertThat(space.features()).containsExactly(FeatureDef.numeric("temperature"),
                FeatureDef.nominal("firmware", List.of("v1", "v2", "v3")), FeatureDef.numeric("current"),
                FeatureDef.numeric("vibration"));
        Instance instance = space.toInstance(new Observation(Map.of("temperature", 1.0, "vibration", 4.0),
                Map.of("firmware", "v3")), 0);
        assertThat(instance.value(0)).isEqualTo(1.0);
        assertThat(instance.value(1)).isEqualTo(2.0);
        assertThat(instance.isMissing(2)).isTrue();
        assertThat(instance.value(3)).isEqualTo(4.0);
        assertThat(instance.classIndex()).isEqualTo(4);
        assertThat(space.grow(new Observation(Map.of("vibration", 3.0), Map.of()))).isFalse();
    }

    @Test
    void shouldStopGrowingANominalDomainAtItsLimit() {
        for (int i = 0; i < FeatureSpace.MAX_NOMINAL_VALUES + 10; i++) {
            space.grow(new Observation(Map.of(), Map.of("firmware", "build-" + i)));
        }
        Observation beyond = new Observation(Map.of(), Map.of("firmware", "build-" + (FeatureSpace.MAX_NOMINAL_VALUES + 5)));

        assertThat(space.features().get(1).nominalValues()).hasSize(FeatureSpace.MAX_NOMINAL_VALUES);
        assertThat(space.toInstance(beyond, -1).isMissing(1)).isTrue();
        assertThat(space.invalidValues(beyond)).isEqualTo(1);
    }

    @Test
    void shouldGrowAndBuildTheSameFromAFeatureVectorAsFromAMapWithItsEntries() {
        FeatureLayout layout = new FeatureLayout();
        List.of("humidity", "vibration", "temperature", "firmware", "pressure", "current").forEach(layout::slot);
        FeatureVector.Builder builder = FeatureVector.on(layout);
        builder.set(layout.slot("vibration"), -0.0);
        builder.set(layout.slot("temperature"), 71.5);
        builder.set(layout.slot("firmware"), 1.0);
        builder.set(layout.slot("pressure"), Double.NaN);
        builder.set(layout.slot("current"), Double.POSITIVE_INFINITY);
        FeatureVector vector = builder.build();
        Observation fromVector = new Observation(vector, Map.of("firmware", "v2"));
        Observation fromMap = new Observation(new HashMap<>(vector), Map.of("firmware", "v2"));
        FeatureSpace other = new FeatureSpace(
                List.of(FeatureDef.numeric("temperature"), FeatureDef.nominal("firmware", List.of("v1", "v2"))),
                List.of("normal", "failure"));

        assertThat(space.grow(fromVector)).isEqualTo(other.grow(fromMap)).isTrue();
        assertThat(space.features()).isEqualTo(other.features());
        assertThat(space.grow(fromVector)).isFalse();
        double[] expected = other.toInstance(fromMap, 1).toDoubleArray();
        double[] actual = space.toInstance(fromVector, 1).toDoubleArray();
        assertThat(Arrays.stream(actual).mapToLong(Double::doubleToRawLongBits).toArray())
                .containsExactly(Arrays.stream(expected).mapToLong(Double::doubleToRawLongBits).toArray());
        assertThat(actual[0]).isEqualTo(71.5);
        assertThat(space.invalidValues(fromVector)).isEqualTo(other.invalidValues(fromMap)).isEqualTo(3);
    }

    @Test
    void shouldFollowEachLayoutAndItsGrowthAsVectorsOfSeveralDevicesAlternate() {
        FeatureLayout first = new FeatureLayout();
        FeatureLayout second = new FeatureLayout();
        List.of("temperature", "vibration").forEach(first::slot);
        List.of("vibration", "firmware", "temperature").forEach(second::slot);
        FeatureSpace other = new FeatureSpace(
                List.of(FeatureDef.numeric("temperature"), FeatureDef.nominal("firmware", List.of("v1", "v2"))),
                List.of("normal", "failure"));
        for (int i = 0; i < 6; i++) {
            FeatureLayout layout = i % 2 == 0 ? first : second;
            if (i == 2) {
                first.slot("pressure");
            }
            FeatureVector.Builder builder = FeatureVector.on(layout);
            for (int slot = 0; slot < layout.size(); slot++) {
                builder.set(slot, i * 10.0 + slot);
            }
            Observation fromVector = new Observation(builder.build(), Map.of());
            Observation fromMap = new Observation(new HashMap<>(fromVector.numeric()), Map.of());

            assertThat(space.grow(fromVector)).as("reading %d", i).isEqualTo(other.grow(fromMap));
            assertThat(space.invalidValues(fromVector)).isEqualTo(other.invalidValues(fromMap));
            assertThat(space.toInstance(fromVector, 0).toDoubleArray()).as("reading %d", i)
                    .containsExactly(other.toInstance(fromMap, 0).toDoubleArray());
        }
        assertThat(space.features()).isEqualTo(other.features()).hasSize(4);
    }

    /**
     * Spaces of the same features share their attributes, MOA header included, and a space that grows takes
     * another without changing the one the others keep.
     */
    @Test
    void shouldShareTheHeaderOfTheSameFeaturesAndGrowAlone() {
        FeatureSpace other = new FeatureSpace(
                List.of(FeatureDef.numeric("temperature"), FeatureDef.nominal("firmware", List.of("v1", "v2"))),
                List.of("normal", "failure"));
        assertThat(other.header()).isSameAs(space.header());

        other.grow(new Observation(Map.of("vibration", 1.0), Map.of("firmware", "v3")));

        assertThat(other.header()).isNotSameAs(space.header());
        assertThat(space.features()).containsExactly(FeatureDef.numeric("temperature"),
                FeatureDef.nominal("firmware", List.of("v1", "v2")));
        assertThat(space.header().numAttributes()).isEqualTo(3);
        assertThat(other.header().numAttributes()).isEqualTo(4);
    }

    /**
     * A space read back takes the attributes in use for its features, whether it was written as now or
     * before they were shared (the same fields).
     */
    @Test
    void shouldTakeTheAttributesInUseWhenReadBack() throws Exception {
        FeatureSpace current = OlderCheckpoints.readAs(space, FeatureSpace.class);
        io.driftline.learn.legacy.FeatureSpace older = new io.driftline.learn.legacy.FeatureSpace(
                List.of("normal", "failure"), new ArrayList<>(List.of("temperature", "firmware")),
                new ArrayList<>(Arrays.asList(null, new ArrayList<>(List.of("v1", "v2")))),
                new HashMap<>(Map.of("temperature", 0, "firmware", 1)), space.header());

        assertThat(current.header()).isSameAs(space.header());
        assertThat(OlderCheckpoints.readAs(older, FeatureSpace.class).header()).isSameAs(space.header());
    }

    /** A model read back from a checkpoint gives its learner the shared header: its own copy is dropped. */
    @Test
    void shouldGiveTheLearnerOfAModelReadBackTheSharedHeader() throws Exception {
        ModelSettings settings = new DriftlineConfig(Map.of()).pipeline().model();
        OnlineModel live = OnlineModel.create(settings);
        live.learn(new Observation(Map.of("temperature", 70.0), Map.of()), "normal",
                live.predict(new Observation(Map.of("temperature", 70.0), Map.of())));

        OnlineModel read = OlderCheckpoints.readAs(live, OnlineModel.class);
        read.attach(settings);

        assertThat(read.exported().model().getModelContext()).isSameAs(live.exported().model().getModelContext());
    }
}
