package io.driftline.learn.legacy;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.io.Serializable;
import java.util.List;
import java.util.stream.IntStream;
import moa.core.InstanceExample;
import moa.core.Utils;
import moa.evaluation.BasicClassificationPerformanceEvaluator;
import moa.evaluation.WindowClassificationPerformanceEvaluator;

/**
 * {@code io.driftline.learn.PrequentialEvaluator} as checkpoints written before its compact window hold
 * it: its fields, serial version and scoring, with MOA's window evaluator. Java serialisation matches a
 * class by its simple name and serial version, so these bytes, read with the class renamed
 * ({@link OlderCheckpoints}), are what an older Driftline wrote.
 */
public final class PrequentialEvaluator implements Serializable {

    private static final long serialVersionUID = 1L;

    private final int numClasses;
    private final int window;
    private final InstancesHeader classOnly;
    private final BasicClassificationPerformanceEvaluator cumulative = new BasicClassificationPerformanceEvaluator();
    private final WindowClassificationPerformanceEvaluator windowed = new WindowClassificationPerformanceEvaluator();
    private final long[][] confusion;
    private long instances;
    // Never resized here: the window covers every prediction.
    private long windowFrom;

    public PrequentialEvaluator(int numClasses, int window) {
        this.numClasses = numClasses;
        this.window = window;
        List<String> labels = IntStream.range(0, numClasses).mapToObj(Integer::toString).toList();
        Instances header = new Instances("labels", List.of(new Attribute("class", labels)), 0);
        header.setClassIndex(0);
        this.classOnly = new InstancesHeader(header);
        cumulative.prepareForUse();
        windowed.widthOption.setValue(window);
        windowed.prepareForUse();
        this.confusion = new long[numClasses][numClasses];
    }

    public void add(int trueClass, double[] votes) {
        Instance instance = new DenseInstance(1.0, new double[] {trueClass});
        instance.setDataset(classOnly);
        InstanceExample example = new InstanceExample(instance);
        cumulative.addResult(example, votes);
        windowed.addResult(example, votes);
        confusion[trueClass][Utils.maxIndex(votes)]++;
        instances++;
    }
}
