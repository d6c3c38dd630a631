package io.driftline.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureVectorTest {

    @Test
    void shouldBeTheMapOfTheSlotsItHas() {
        FeatureLayout layout = withSlots(new FeatureLayout(), 70);
        int a = layout.slot("a");
        FeatureVector.Builder builder = FeatureVector.on(layout);
        builder.set(a, 1.5);
        builder.set(layout.slot("s69"), Double.NaN);
        builder.set(layout.slot("s68"), -0.0);
        FeatureVector vector = builder.build();
        layout.slot("later");

        Map<String, Double> expected = new HashMap<>(Map.of("a", 1.5, "s69", Double.NaN, "s68", -0.0));
        assertThat(vector).isEqualTo(expected).hasSameHashCodeAs(expected).hasSize(3);
        assertThat(expected).isEqualTo(vector);
        assertThat(vector.get("s69")).isNaN();
        assertThat(vector.get("s1")).isNull();
        assertThat(vector.containsKey("later")).isFalse();
        assertThat(vector.get("later")).isNull();
        assertThat(vector.slots()).isEqualTo(71);
        assertThatThrownBy(() -> vector.put("b", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldPackByItsLayoutWithNaNWhereAbsent() {
        FeatureLayout layout = withSlots(new FeatureLayout(), 3);
        FeatureVector.Builder builder = FeatureVector.on(layout);
        builder.set(2, 7.0);
        builder.set(0, Double.NaN);
        double[] packed = builder.build().packed();

        assertThat(packed).hasSize(3);
        assertThat(Double.isNaN(packed[0]) && Double.isNaN(packed[1])).isTrue();
        assertThat(packed[2]).isEqualTo(7.0);
        // A NaN the reading had is absent once packed: the model sees a missing value either way.
        assertThat(FeatureVector.unpacked(layout, packed)).isEqualTo(Map.of("s2", 7.0));
        assertThatThrownBy(() -> FeatureVector.unpacked(layout, new double[4]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSerialiseAsAMapWithTheSameEntries() throws IOException, ClassNotFoundException {
        FeatureLayout layout = withSlots(new FeatureLayout(), 2);
        FeatureVector.Builder builder = FeatureVector.on(layout);
        builder.set(1, 4.0);
        Observation observation = new Observation(builder.build(), Map.of("firmware", "v1"));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(observation);
        }
        Object read;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            read = in.readObject();
        }

        assertThat(read).isEqualTo(observation);
        assertThat(((Observation) read).numeric()).isInstanceOf(HashMap.class);
    }

    private static FeatureLayout withSlots(FeatureLayout layout, int slots) {
        for (int i = 0; i < slots; i++) {
            layout.slot("s" + i);
        }
        return layout;
    }
}
