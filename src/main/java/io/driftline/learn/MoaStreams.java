package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import moa.core.Example;
import moa.options.ClassOption;
import moa.options.OptionHandler;
import moa.streams.ExampleStream;

/** MOA's stream generators and file streams as sequences of {@link LabelledObservation}s. */
public final class MoaStreams {

    private MoaStreams() {
    }

    /** A labelled stream with the classes and features of its MOA header. */
    public interface Source extends Iterator<LabelledObservation> {

        List<String> classes();

        List<FeatureDef> features();
    }

    /** A stream with a numeric class attribute: targets to regress, with the features of its MOA header. */
    public interface RegressionSource extends Iterator<RegressionExample> {

        List<FeatureDef> features();
    }

    /** An observation with its numeric target. */
    public record RegressionExample(Observation observation, double target) {
    }

    /** Whether the stream of {@code spec} has a numeric class attribute (a regression stream). */
    public static boolean isRegression(String spec) {
        return stream(spec).getHeader().classAttribute().isNumeric();
    }

    /** Opens a regression stream (a numeric class attribute, e.g. {@code generators.HyperplaneGeneratorForRegression}). */
    public static RegressionSource openRegression(String spec) {
        StreamSource source = new StreamSource(stream(spec));
        if (!source.header.classAttribute().isNumeric()) {
            throw new IllegalArgumentException("not a regression stream (its class attribute is nominal): " + spec);
        }
        return new RegressionSource() {
            @Override
            public List<FeatureDef> features() {
                return source.features();
            }

            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public RegressionExample next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Instance instance = source.stream.nextInstance().getData();
                return new RegressionExample(observation(instance), instance.classValue());
            }
        };
    }

    /**
     * Opens a stream from its MOA CLI spec, e.g. {@code generators.SEAGenerator -f 2} or
     * {@code ConceptDriftStream -s (generators.SEAGenerator -f 1) -d (generators.SEAGenerator -f 3) -p 50000 -w 1}.
     */
    public static Source open(String spec) {
        return new StreamSource(stream(spec));
    }

    @SuppressWarnings("unchecked")
    private static ExampleStream<Example<Instance>> stream(String spec) {
        Object stream;
        try {
            stream = ClassOption.cliStringToObject(spec, ExampleStream.class, null);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a MOA stream spec: " + spec + " (" + e.getMessage() + ")", e);
        }
        if (stream instanceof OptionHandler handler) {
            handler.prepareForUse();
        }
        return (ExampleStream<Example<Instance>>) stream;
    }

    private static final class StreamSource implements Source {

        private final ExampleStream<Example<Instance>> stream;
        private final InstancesHeader header;

        StreamSource(ExampleStream<Example<Instance>> stream) {
            this.stream = stream;
            this.header = stream.getHeader();
        }

        @Override
        public List<String> classes() {
            Attribute classAttribute = header.classAttribute();
            List<String> classes = new ArrayList<>(classAttribute.numValues());
            for (int i = 0; i < classAttribute.numValues(); i++) {
                classes.add(classAttribute.value(i));
            }
            return classes;
        }

        @Override
        public List<FeatureDef> features() {
            List<FeatureDef> features = new ArrayList<>();
            for (int i = 0; i < header.numAttributes(); i++) {
                if (i == header.classIndex()) {
                    continue;
                }
                Attribute attribute = header.attribute(i);
                if (attribute.isNominal()) {
                    List<String> values = new ArrayList<>(attribute.numValues());
                    for (int v = 0; v < attribute.numValues(); v++) {
                        values.add(attribute.value(v));
                    }
                    features.add(FeatureDef.nominal(attribute.name(), values));
                } else {
                    features.add(FeatureDef.numeric(attribute.name()));
                }
            }
            return features;
        }

        @Override
        public boolean hasNext() {
            return stream.hasMoreInstances();
        }

        @Override
        public LabelledObservation next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Instance instance = stream.nextInstance().getData();
            String label = instance.classIsMissing() ? null : instance.classAttribute().value((int) instance.classValue());
            return new LabelledObservation(observation(instance), label);
        }
    }

    /** The instance's attributes other than its class; missing values left out. */
    private static Observation observation(Instance instance) {
        Map<String, Double> numeric = new LinkedHashMap<>();
        Map<String, String> nominal = new LinkedHashMap<>();
        for (int i = 0; i < instance.numAttributes(); i++) {
            if (i == instance.classIndex() || instance.isMissing(i)) {
                continue;
            }
            Attribute attribute = instance.attribute(i);
            if (attribute.isNominal()) {
                nominal.put(attribute.name(), attribute.value((int) instance.value(i)));
            } else {
                numeric.put(attribute.name(), instance.value(i));
            }
        }
        return new Observation(numeric, nominal);
    }
}
