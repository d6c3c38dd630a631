package io.driftline.learn;

import static org.assertj.core.api.Assertions.assertThat;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import io.driftline.learn.legacy.OlderCheckpoints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import moa.classifiers.Classifier;
import moa.classifiers.OneClassClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HalfSpaceTreesTest {

    /**
     * The forest scores every instance as MOA's HSTrees does, to the last bit, before learning it, through
     * many windows: Driftline's default forest; windows shorter than the first reference window, at the
     * last size whose masses fit a byte and the first that needs two; deeper trees, other size limits,
     * and thresholds; trees of one node. Values at 0, 1 and 0.5, as clipped z-scores often are, fall
     * on split values and take MOA's side.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "oneclass.HSTrees -t 10 -h 8; 8; 3000",
            "oneclass.HSTrees -t 4 -h 6 -p 30; 3; 2000",
            "oneclass.HSTrees -t 3 -h 7 -p 255; 5; 2000",
            "oneclass.HSTrees -t 3 -h 7 -p 256; 5; 2000",
            "oneclass.HSTrees -t 2 -h 12 -s 0.3 -a 0.4; 6; 1500",
            "oneclass.HSTrees -t 5 -h 1 -p 20; 2; 200"})
    void shouldScoreEveryInstanceExactlyAsMoasHsTrees(String spec, int sensors, int instances) {
        HalfSpaceTrees forest = HalfSpaceTrees.of(spec).orElseThrow();
        Classifier moa = OnlineModel.newLearner(spec);
        InstancesHeader header = header(sensors);
        moa.setModelContext(header);
        Random random = new Random(spec.hashCode());
        Set<Long> scores = new HashSet<>();
        for (int i = 0; i < instances; i++) {
            double[] values = values(random, sensors, i);
            Instance instance = new DenseInstance(1, values.clone());
            instance.setDataset(header);
            double expected = ((OneClassClassifier) moa).getAnomalyScore(instance);
            double actual = forest.score(values);
            assertThat(Double.doubleToLongBits(actual)).as("score of instance %d: %s against MOA's %s", i, actual, expected)
                    .isEqualTo(Double.doubleToLongBits(expected));
            scores.add(Double.doubleToLongBits(actual));
            forest.learn(values);
            moa.trainOnInstance(instance);
        }
        assertThat(scores).as("distinct scores").hasSizeGreaterThan(spec.contains("-h 1 ") ? 1 : 20);
    }

    /**
     * A detector checkpointed before the forest holds MOA's HSTrees object: read back, it goes on scoring
     * with it, exactly as a detector with the forest does.
     */
    @Test
    void shouldGoOnScoringWithMoasObjectFromAnOlderCheckpoint() throws Exception {
        String spec = "oneclass.HSTrees -t 10 -h 8";
        io.driftline.learn.legacy.AnomalyDetector old = new io.driftline.learn.legacy.AnomalyDetector(spec);
        AnomalyDetector current = AnomalyDetector.create(spec);
        Random random = new Random(3);
        for (int i = 0; i < 400; i++) {
            Map<String, Double> readings = readings(random);
            assertThat(Double.doubleToLongBits(current.score(readings).score())).as("score %d", i)
                    .isEqualTo(Double.doubleToLongBits(old.score(readings)));
        }

        AnomalyDetector restored = OlderCheckpoints.readAs(old, AnomalyDetector.class);

        for (int i = 400; i < 1_000; i++) {
            Map<String, Double> readings = readings(random);
            assertThat(Double.doubleToLongBits(restored.score(readings).score())).as("score %d", i)
                    .isEqualTo(Double.doubleToLongBits(current.score(readings).score()));
        }
    }

    private static Map<String, Double> readings(Random random) {
        return Map.of("temperature", 60 + 5 * random.nextGaussian(), "vibration", 2 + random.nextGaussian(),
                "pressure", random.nextDouble() < 0.02 ? 40.0 : 10 + random.nextGaussian());
    }

    /** Another one-class learner, or a subclass of HSTrees, runs as MOA's own object. */
    @Test
    void shouldLeaveOtherLearnersToMoa() {
        assertThat(HalfSpaceTrees.of("oneclass.NearestNeighbourDescription")).isEmpty();
        assertThat(HalfSpaceTrees.of("oneclass.HSTrees -t 2 -h 3")).isPresent();
    }

    private static InstancesHeader header(int sensors) {
        List<Attribute> attributes = new ArrayList<>();
        for (int s = 0; s < sensors; s++) {
            attributes.add(new Attribute("s" + s));
        }
        attributes.add(new Attribute("class", List.of("normal", "anomaly")));
        Instances instances = new Instances("sensors", attributes, 0);
        instances.setClassIndex(sensors);
        return new InstancesHeader(instances);
    }

    /** Normal values around 0.5, with a drift after a while and outliers clipped to 0 and 1; the class last, 0. */
    private static double[] values(Random random, int sensors, int i) {
        double[] values = new double[sensors + 1];
        for (int s = 0; s < sensors; s++) {
            double draw = random.nextDouble();
            double value = draw < 0.03 ? 0.0 : draw < 0.06 ? 1.0 : draw < 0.08 ? 0.5
                    : 0.5 + 0.1 * random.nextGaussian() + (i > 1000 && s == 0 ? 0.2 : 0);
            values[s] = Math.min(1, Math.max(0, value));
        }
        return values;
    }
}
