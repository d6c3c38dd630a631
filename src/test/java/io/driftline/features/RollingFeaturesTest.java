package io.driftline.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.driftline.learn.FeatureLayout;
import io.driftline.learn.FeatureVector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
        assertThat(out.get("t")).isEqualTo(6.0);
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

        // The values are the reading's, as they came; no statistic counts them.
        assertThat(out).containsOnlyKeys("t", "p", "t.mean", "t.min", "t.max");
        assertThat(out.get("t")).isNaN();
        assertThat(out.get("t.mean")).isEqualTo(1.0);
    }

    @Test
    void shouldGiveTheValuesAloneWithoutAWindow() {
        RollingFeatures features = new RollingFeatures(0);
        features.update(0, Map.of("t", 1.0));

        assertThat(features.update(1_000, Map.of("t", 2.0, "p", 3.0))).isEqualTo(Map.of("t", 2.0, "p", 3.0));
    }

    /**
     * The flat arrays give, bit for bit, what the per-sensor windows in a tree map gave before them
     * ({@link TreeMapFeatures}, kept here as the reference), on a stream that wraps the window
     * many times, with sensors that come late, skip readings, come in another map order, carry NaN,
     * infinities and nulls, and one named like another's statistic; and so does a copy restored
     * from a checkpoint in the middle of it, on a layout of its own.
     */
    @Test
    void shouldComputeTheSameBitsAsTheWindowsInATreeMap() throws IOException {
        Random random = new Random(18);
        List<String> sensors = List.of("torque", "speed", "vib.x", "torque.mean", "air", "late");
        TreeMapFeatures reference = new TreeMapFeatures(7);
        RollingFeatures features = new RollingFeatures(7);
        RollingFeatures restored = null;
        long time = 1_700_000_000_000L;
        for (int i = 0; i < 2_000; i++) {
            time += 1 + random.nextInt(120_000);
            List<String> names = new ArrayList<>(sensors.subList(0, i < 500 ? 5 : 6));
            if (i % 50 == 7) {
                Collections.shuffle(names, random);
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (String name : names) {
                if (random.nextInt(10) > 0) {
                    values.put(name, value(random));
                }
            }
            Map<String, Double> expected = new HashMap<>(values);
            // A null value is the reading's NaN now: an Avro reading has none.
            expected.replaceAll((name, value) -> value == null ? Double.NaN : value);
            expected.putAll(reference.update(time, values));

            assertSameBits(features.update(time, values), expected);
            if (i == 1_000) {
                restored = restore(features);
            } else if (restored != null) {
                assertSameBits(restored.update(time, values), expected);
            }
        }
    }

    private static Double value(Random random) {
        return switch (random.nextInt(40)) {
            case 0 -> Double.NaN;
            case 1 -> Double.NEGATIVE_INFINITY;
            case 2 -> null;
            case 3 -> -0.0;
            default -> random.nextGaussian() * 1e3;
        };
    }

    private static RollingFeatures restore(RollingFeatures features) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            features.writeTo(out);
        }
        FeatureLayout layout = new FeatureLayout();
        layout.slot("unrelated");
        return RollingFeatures.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), layout);
    }

    private static void assertSameBits(FeatureVector actual, Map<String, Double> expected) {
        assertThat(actual).containsOnlyKeys(expected.keySet());
        expected.forEach((name, value) -> assertThat(Double.doubleToRawLongBits(actual.get(name)))
                .as(name).isEqualTo(Double.doubleToRawLongBits(value)));
    }

    /** The windows as they were before flat arrays: one ring per sensor, by name in a tree map. */
    private static final class TreeMapFeatures {
        private final int window;
        private final Map<String, Ring> sensors = new TreeMap<>();

        TreeMapFeatures(int window) {
            this.window = window;
        }

        Map<String, Double> update(long timeMillis, Map<String, Double> values) {
            Map<String, Double> features = new TreeMap<>();
            values.forEach((sensor, value) -> {
                if (value != null && Double.isFinite(value)) {
                    sensors.computeIfAbsent(sensor, name -> new Ring(window)).add(timeMillis, value);
                }
            });
            sensors.forEach((sensor, ring) -> ring.describe(sensor, features));
            return features;
        }

        private static final class Ring {
            private final double[] values;
            private final long[] times;
            private int size;
            private int next;
            private double previous = Double.NaN;
            private double last = Double.NaN;

            Ring(int capacity) {
                values = new double[capacity];
                times = new long[capacity];
            }

            void add(long time, double value) {
                previous = last;
                last = value;
                values[next] = value;
                times[next] = time;
                next = (next + 1) % values.length;
                size = Math.min(size + 1, values.length);
            }

            void describe(String sensor, Map<String, Double> out) {
                double sum = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                double meanTime = 0;
                long origin = times[(next - size + values.length) % values.length];
                for (int i = 0; i < size; i++) {
                    sum += values[i];
                    min = Math.min(min, values[i]);
                    max = Math.max(max, values[i]);
                    meanTime += (times[i] - origin) / 1000.0;
                }
                double mean = sum / size;
                meanTime /= size;
                out.put(sensor + ".mean", mean);
                out.put(sensor + ".min", min);
                out.put(sensor + ".max", max);
                if (size < 2) {
                    return;
                }
                double squares = 0;
                double covariance = 0;
                double timeVariance = 0;
                for (int i = 0; i < size; i++) {
                    double dx = values[i] - mean;
                    double dt = (times[i] - origin) / 1000.0 - meanTime;
                    squares += dx * dx;
                    covariance += dt * dx;
                    timeVariance += dt * dt;
                }
                out.put(sensor + ".std", Math.sqrt(squares / (size - 1)));
                out.put(sensor + ".slope", timeVariance == 0 ? 0.0 : covariance / timeVariance);
                out.put(sensor + ".delta", last - previous);
            }
        }
    }
}
