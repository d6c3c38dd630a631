package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where an {@link Observation} becomes a MOA {@link Instance}: one model's attributes, in a fixed
 * order, with the class attribute last.
 *
 * <p>Declared features come first, in their declared order. A feature seen for the first time is
 * appended (several at once in name order, so replays are deterministic); a nominal value seen for
 * the first time is appended to its attribute's domain. Appending keeps every existing attribute
 * and value index stable, which the Hoeffding trees rely on (they size per-attribute state lazily).
 * A feature an observation lacks, a non-finite number, a value of the wrong kind and a nominal
 * value beyond {@link #MAX_NOMINAL_VALUES} are missing values (NaN, as MOA encodes them).
 *
 * <p>Numeric features given as a {@link FeatureVector} are read by slot, with no boxing, each slot's
 * attribute looked up once per layout; any other map by entry. Both give the same instances.
 */
public final class FeatureSpace implements Serializable {

    private static final long serialVersionUID = 1L;
    static final int MAX_NOMINAL_VALUES = 256;
    private static final String CLASS_ATTRIBUTE = "class";
    // What a slot maps to besides a numeric attribute's index: no attribute, or a nominal one.
    private static final int UNKNOWN = -1;
    private static final int NOMINAL = -2;

    // Null: a numeric class attribute (regression).
    private final List<String> classes;
    private final List<String> names = new ArrayList<>();
    private final List<List<String>> nominalValues = new ArrayList<>();
    private final Map<String, Integer> indexByName = new HashMap<>();
    private InstancesHeader header;
    // The attribute of each slot of the last layout a vector came on, while neither grew: a
    // reading's passes (new features, invalid values, the instances to predict and to train) look
    // each name up once. The array is reused for the next layout. Not part of the model.
    private transient FeatureLayout mappedLayout;
    private transient int mappedSize;
    private transient int mappedSlots;
    private transient int[] attributes;

    public FeatureSpace(List<FeatureDef> declared, List<String> classes) {
        this.classes = List.copyOf(classes);
        declare(declared);
    }

    private FeatureSpace(List<FeatureDef> declared) {
        this.classes = null;
        declare(declared);
    }

    private void declare(List<FeatureDef> declared) {
        for (FeatureDef feature : declared) {
            append(feature.name(), feature.isNominal() ? new ArrayList<>(feature.nominalValues()) : null);
        }
        rebuildHeader();
    }

    /** A space whose class attribute is numeric: a regression target. */
    public static FeatureSpace forRegression(List<FeatureDef> declared) {
        return new FeatureSpace(declared);
    }

    /** The header every instance of this space is built against; changes only when the space grows. */
    public InstancesHeader header() {
        return header;
    }

    /** The features in attribute order. */
    public List<FeatureDef> features() {
        List<FeatureDef> features = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            List<String> values = nominalValues.get(i);
            features.add(values == null ? FeatureDef.numeric(names.get(i)) : FeatureDef.nominal(names.get(i), values));
        }
        return features;
    }

    public int size() {
        return names.size();
    }

    /** Adds the features and nominal values of {@code observation} not seen before; true if the space grew. */
    public boolean grow(Observation observation) {
        if (knows(observation)) {
            return false;
        }
        Map<String, List<String>> added = new TreeMap<>();
        observation.numeric().keySet().forEach(name -> {
            if (!indexByName.containsKey(name)) {
                added.put(name, null);
            }
        });
        boolean grew = false;
        for (Map.Entry<String, String> entry : observation.nominal().entrySet()) {
            Integer index = indexByName.get(entry.getKey());
            if (index == null) {
                added.putIfAbsent(entry.getKey(), new ArrayList<>(List.of(entry.getValue())));
            } else {
                List<String> values = nominalValues.get(index);
                if (values != null && !values.contains(entry.getValue()) && values.size() < MAX_NOMINAL_VALUES) {
                    values.add(entry.getValue());
                    grew = true;
                }
            }
        }
        added.forEach(this::append);
        if (grew || !added.isEmpty()) {
            rebuildHeader();
            return true;
        }
        return false;
    }

    /** Whether every feature and nominal value of {@code observation} is known: the usual case, checked without allocating. */
    private boolean knows(Observation observation) {
        if (observation.numeric() instanceof FeatureVector vector) {
            int[] attributes = attributes(vector);
            for (int slot = 0; slot < vector.slots(); slot++) {
                if (vector.has(slot) && attributes[slot] == UNKNOWN) {
                    return false;
                }
            }
        } else {
            for (String name : observation.numeric().keySet()) {
                if (!indexByName.containsKey(name)) {
                    return false;
                }
            }
        }
        for (Map.Entry<String, String> entry : observation.nominal().entrySet()) {
            Integer index = indexByName.get(entry.getKey());
            if (index == null) {
                return false;
            }
            List<String> values = nominalValues.get(index);
            if (values != null && !values.contains(entry.getValue()) && values.size() < MAX_NOMINAL_VALUES) {
                return false;
            }
        }
        return true;
    }

    /**
     * The instance for {@code observation}, with class value {@code classIndex} or a missing class
     * when it is negative. Call {@link #grow} first for the observation's new features to count.
     */
    public Instance toInstance(Observation observation, int classIndex) {
        return toInstance(observation, classIndex < 0 ? Double.NaN : (double) classIndex);
    }

    /**
     * The instance for {@code observation}, with class value {@code classValue} (NaN: missing), e.g.
     * a regression target. Call {@link #grow} first for the observation's new features to count.
     */
    public Instance toInstance(Observation observation, double classValue) {
        int n = names.size();
        double[] values = new double[n + 1];
        FeatureVector vector = observation.numeric() instanceof FeatureVector v ? v : null;
        if (vector != null) {
            Arrays.fill(values, 0, n, Double.NaN);
            int[] attributes = attributes(vector);
            for (int slot = 0; slot < vector.slots(); slot++) {
                int index = attributes[slot];
                if (index >= 0 && vector.has(slot)) {
                    double value = vector.value(slot);
                    values[index] = Double.isFinite(value) ? value : Double.NaN;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            List<String> domain = nominalValues.get(i);
            String name = names.get(i);
            if (domain == null) {
                if (vector == null) {
                    Double value = observation.numeric().get(name);
                    values[i] = value == null || !Double.isFinite(value) ? Double.NaN : value;
                }
            } else {
                String value = observation.nominal().get(name);
                int index = value == null ? -1 : domain.indexOf(value);
                values[i] = index < 0 ? Double.NaN : index;
            }
        }
        values[n] = classValue;
        Instance instance = new DenseInstance(1.0, values);
        instance.setDataset(header);
        return instance;
    }

    /** Values of {@code observation} that become missing although present: non-finite, wrong kind, unknown. */
    public int invalidValues(Observation observation) {
        int invalid = 0;
        if (observation.numeric() instanceof FeatureVector vector) {
            int[] attributes = attributes(vector);
            for (int slot = 0; slot < vector.slots(); slot++) {
                if (vector.has(slot) && (!Double.isFinite(vector.value(slot)) || attributes[slot] == NOMINAL)) {
                    invalid++;
                }
            }
        } else {
            for (Map.Entry<String, Double> entry : observation.numeric().entrySet()) {
                Double value = entry.getValue();
                if (value == null || !Double.isFinite(value) || isNominal(entry.getKey())) {
                    invalid++;
                }
            }
        }
        for (Map.Entry<String, String> entry : observation.nominal().entrySet()) {
            Integer index = indexByName.get(entry.getKey());
            List<String> domain = index == null ? null : nominalValues.get(index);
            if (domain == null || !domain.contains(entry.getValue())) {
                invalid++;
            }
        }
        return invalid;
    }

    /** The attribute of each slot of {@code vector}'s layout: its index, {@link #UNKNOWN} or {@link #NOMINAL}. */
    private int[] attributes(FeatureVector vector) {
        FeatureLayout layout = vector.layout();
        if (layout != mappedLayout || mappedSize != names.size() || mappedSlots < vector.slots()) {
            int slots = layout.size();
            if (attributes == null || attributes.length < slots) {
                attributes = new int[slots];
            }
            for (int slot = 0; slot < slots; slot++) {
                Integer index = indexByName.get(layout.name(slot));
                attributes[slot] = index == null ? UNKNOWN : nominalValues.get(index) != null ? NOMINAL : index;
            }
            mappedLayout = layout;
            mappedSize = names.size();
            mappedSlots = slots;
        }
        return attributes;
    }

    private boolean isNominal(String feature) {
        Integer index = indexByName.get(feature);
        return index != null && nominalValues.get(index) != null;
    }

    private void append(String feature, List<String> values) {
        // One copy of each name for all models: with a model per device, 100k copies of 50-odd
        // names would otherwise cost some 500 MB.
        String name = feature.intern();
        if (indexByName.putIfAbsent(name, names.size()) != null) {
            throw new IllegalArgumentException("feature " + name + " declared twice");
        }
        names.add(name);
        nominalValues.add(values);
    }

    private void rebuildHeader() {
        List<Attribute> attributes = new ArrayList<>(names.size() + 1);
        for (int i = 0; i < names.size(); i++) {
            List<String> values = nominalValues.get(i);
            attributes.add(values == null ? new Attribute(names.get(i))
                    : new Attribute(names.get(i), Collections.unmodifiableList(new ArrayList<>(values))));
        }
        attributes.add(classes == null ? new Attribute(CLASS_ATTRIBUTE) : new Attribute(CLASS_ATTRIBUTE, classes));
        Instances instances = new Instances("driftline", attributes, 0);
        instances.setClassIndex(names.size());
        header = new InstancesHeader(instances);
    }
}
