package io.driftline.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollingFeaturesTest {

    @Test
    void shouldDescribeTheLastWindowOfValues() {
        RollingFeatures features = new RollingFeatures(3);
        features.update(0, Map.of("t", 100.0));
        features.update(1_000, Map.of("t", 1.0));
        features.update(2_000, Map.of("t", 2.0));
        Map<String, Double> out = features.update(3_000, Map.of("t", 6.0));

        // Window holds 1, 2, 6 at seconds 1, 2, 3: the 100 has left it.
        assertThat(out.get("t.mean")).isEqualTo(3.0);
        assertThat(out.get("t.min")).isEqualTo(1.0);
        assertThat(out.get("t.max")).isEqualTo(6.0);
        assertThat(out.get("t.std")).isCloseTo(Math.sqrt(7.0), within(1e-12));
        assertThat(out.get("t.slope")).isCloseTo(2.5, within(1e-12));
        assertThat(out.get("t.delta")).isEqualTo(4.0);
    }

    @Test
    void shouldSkipMissingAndNonFiniteValues() {
        RollingFeatures features = new RollingFeatures(5);
        features.update(0, Map.of("t", 1.0));
        Map<String, Double> values = new HashMap<>();
        values.put("t", Double.NaN);
        values.put("p", Double.POSITIVE_INFINITY);
        Map<String, Double> out = features.update(1_000, values);

        assertThat(out).containsOnlyKeys("t.mean", "t.min", "t.max");
        assertThat(out.get("t.mean")).isEqualTo(1.0);
    }
}
