package io.driftline.learn.legacy;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import io.driftline.learn.OnlineModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import moa.classifiers.Classifier;
import moa.classifiers.OneClassClassifier;

/**
 * {@code io.driftline.learn.AnomalyDetector} as checkpoints written before {@code HalfSpaceTrees} hold it:
 * its fields, serial version and scoring, with MOA's learner whatever the spec (read as the current class by
 * {@link OlderCheckpoints}).
 */
public final class AnomalyDetector implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String spec;
    private final Classifier learner;
    private String[] sensors;
    private InstancesHeader header;
    private long[] count;
    private double[] mean;
    private double[] squares;
    private long learned;

    public AnomalyDetector(String spec) {
        this.spec = spec;
        this.learner = OnlineModel.newLearner(spec);
    }

    /** The score of {@code sensors} (all present and finite here), then learns them. */
    public double score(Map<String, Double> readings) {
        if (sensors == null) {
            sensors = new TreeSet<>(readings.keySet()).toArray(new String[0]);
            List<Attribute> attributes = new ArrayList<>(sensors.length + 1);
            for (String sensor : sensors) {
                attributes.add(new Attribute(sensor));
            }
            attributes.add(new Attribute("class", List.of("normal", "anomaly")));
            Instances instances = new Instances("sensors", attributes, 0);
            instances.setClassIndex(sensors.length);
            header = new InstancesHeader(instances);
            learner.setModelContext(header);
            count = new long[sensors.length];
            mean = new double[sensors.length];
            squares = new double[sensors.length];
        }
        double[] values = new double[sensors.length + 1];
        for (int i = 0; i < sensors.length; i++) {
            double value = readings.get(sensors[i]);
            double z = count[i] < 2 || squares[i] == 0 ? 0 : (value - mean[i]) / Math.sqrt(squares[i] / (count[i] - 1));
            values[i] = Math.min(1, Math.max(0, 0.5 + z / (2 * io.driftline.learn.AnomalyDetector.SPREAD)));
            count[i]++;
            double delta = value - mean[i];
            mean[i] += delta / count[i];
            squares[i] += delta * (value - mean[i]);
        }
        Instance instance = new DenseInstance(1, values);
        instance.setDataset(header);
        double score = ((OneClassClassifier) learner).getAnomalyScore(instance);
        learner.trainOnInstance(instance);
        learned++;
        return score;
    }
}
