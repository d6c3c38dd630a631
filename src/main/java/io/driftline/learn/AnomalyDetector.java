package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import moa.classifiers.Classifier;
import moa.classifiers.OneClassClassifier;

/**
 * A model's unsupervised anomaly detector: a MOA one-class learner ({@code oneclass.HSTrees} by
 * default) that scores every reading from the first one (test), then learns it (train), with no
 * label. The score is the learner's own {@link OneClassClassifier#getAnomalyScore}: for HSTrees,
 * in [0,1], higher is more anomalous, 0.5 during its first reference window (51 readings).
 *
 * <p>Half-Space Trees cut each dimension's [0,1] workspace in halves, so each raw sensor value is
 * scaled into [0,1] by its z-score against the model's running mean and standard deviation of that
 * sensor (before the reading updates them): {@code 0.5 + z / (2 * SPREAD)}, clipped, so that
 * {@link #SPREAD} standard deviations either side of the mean span the workspace. Chosen over min-max
 * scaling by the range seen so far, which one extreme value compresses for good (the values of the
 * degradations that made the range then sit at its edge, where an earlier one's did): on the
 * simulated fleet, with no episode lacking a failure either way, the median lead of ANOMALY before
 * a failure was 4.5 to 5 hours with z-scores and about 3 with min-max. The sensors are those of the
 * model's first reading, in name order, fixed for the detector's life (a one-class learner's
 * dimensions are); a sensor missing from a reading, or not finite, is given its running mean (0.5).
 * MOA requires a class attribute: it is last, constant (the first of {@code normal, anomaly}), and
 * counts among HSTrees' dimensions as MOA builds them.
 *
 * <p>The same z-scores tell which sensors stand out: {@link Anomaly#topSensors()}.
 *
 * <p>Deterministic (the learner's random seed is part of its spec), so a replayed model rebuilds it
 * exactly. Its size is fixed once built: for HSTrees, {@code t} trees of {@code 2^h - 1} nodes, which
 * {@link HalfSpaceTrees} computes as MOA does in a small part of MOA's memory.
 */
public final class AnomalyDetector implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Sensors named as standing out in an anomaly. */
    public static final int TOP_SENSORS = 3;
    /** Standard deviations from the mean to either end of [0,1]. */
    public static final double SPREAD = 5;

    private final String spec;
    // MOA's learner; null when the spec is MOA's HSTrees, which the forest computes (absent from checkpoints
    // written before it, whose MOA HSTrees keeps scoring, exactly as well).
    private final Classifier learner;
    private final HalfSpaceTrees forest;
    // Null until the first reading with a sensor fixes the dimensions.
    private String[] sensors;
    // Null for the forest, which takes the values as they are.
    private InstancesHeader header;
    private long[] count;
    private double[] mean;
    private double[] squares;
    private long learned;

    private AnomalyDetector(String spec) {
        this.spec = spec;
        this.forest = HalfSpaceTrees.of(spec).orElse(null);
        this.learner = forest == null ? newLearner(spec) : null;
    }

    /** A detector whose learner is the MOA one-class learner of {@code spec}, e.g. {@code oneclass.HSTrees -t 10}. */
    public static AnomalyDetector create(String spec) {
        return new AnomalyDetector(spec);
    }

    /** A MOA one-class learner from its CLI spec, as MOA's tasks build one. */
    public static Classifier newLearner(String spec) {
        Classifier classifier = OnlineModel.newLearner(spec);
        if (!(classifier instanceof OneClassClassifier)) {
            throw new IllegalArgumentException("not a MOA one-class learner (moa.classifiers.oneclass): " + spec);
        }
        return classifier;
    }

    /** The spec the detector was built from. */
    public String spec() {
        return spec;
    }

    /**
     * Test, then train: the anomaly score of a reading's {@code sensors} (null values allowed), then
     * learns them. Null while no reading had a sensor.
     */
    public Anomaly score(Map<String, Double> sensors) {
        if (this.sensors == null && !fixDimensions(sensors)) {
            return null;
        }
        double[] values = new double[this.sensors.length + 1];
        double[] z = new double[this.sensors.length];
        for (int i = 0; i < this.sensors.length; i++) {
            Double raw = sensors.get(this.sensors[i]);
            boolean known = raw != null && Double.isFinite(raw);
            double value = known ? raw : count[i] == 0 ? 0 : mean[i];
            z[i] = count[i] < 2 || squares[i] == 0 ? 0 : (value - mean[i]) / Math.sqrt(squares[i] / (count[i] - 1));
            values[i] = Math.min(1, Math.max(0, 0.5 + z[i] / (2 * SPREAD)));
            if (known) {
                learn(i, value);
            }
        }
        double score;
        if (forest != null) {
            score = forest.score(values);
            forest.learn(values);
        } else {
            Instance instance = new DenseInstance(1, values);
            instance.setDataset(header);
            score = ((OneClassClassifier) learner).getAnomalyScore(instance);
            learner.trainOnInstance(instance);
        }
        return new Anomaly(score, topSensors(z), learned++);
    }

    private boolean fixDimensions(Map<String, Double> first) {
        TreeSet<String> names = new TreeSet<>(first.keySet());
        if (names.isEmpty()) {
            return false;
        }
        sensors = names.toArray(new String[0]);
        if (learner != null) {
            List<Attribute> attributes = new ArrayList<>(sensors.length + 1);
            for (String sensor : sensors) {
                attributes.add(new Attribute(sensor));
            }
            attributes.add(new Attribute("class", List.of("normal", "anomaly")));
            Instances instances = new Instances("sensors", attributes, 0);
            instances.setClassIndex(sensors.length);
            header = new InstancesHeader(instances);
            learner.setModelContext(header);
        }
        int n = sensors.length;
        count = new long[n];
        mean = new double[n];
        squares = new double[n];
        return true;
    }

    /** Welford's running mean and sum of squared deviations of sensor {@code i}. */
    private void learn(int i, double value) {
        count[i]++;
        double delta = value - mean[i];
        mean[i] += delta / count[i];
        squares[i] += delta * (value - mean[i]);
    }

    private List<Anomaly.Deviation> topSensors(double[] z) {
        List<Anomaly.Deviation> top = new ArrayList<>(TOP_SENSORS);
        boolean[] taken = new boolean[z.length];
        for (int k = 0; k < TOP_SENSORS && k < z.length; k++) {
            int best = -1;
            for (int i = 0; i < z.length; i++) {
                if (!taken[i] && (best < 0 || Math.abs(z[i]) > Math.abs(z[best]))) {
                    best = i;
                }
            }
            taken[best] = true;
            top.add(new Anomaly.Deviation(sensors[best], z[best]));
        }
        return top;
    }
}
