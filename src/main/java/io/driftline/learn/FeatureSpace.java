package io.driftline.learn;

import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamField;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>The attributes and their MOA header are {@link SharedAttributes}, shared by every space of the
 * same features; a space that grows takes others. The serial form is the one from before they were
 * shared (their parts), so checkpoints read both ways; a space read back takes the attributes in use.
 *
 * <p>Numeric features given as a {@link FeatureVector} are read by slot, with no boxing, each slot's
 * attribute looked up once per layout; any other map by entry. Both give the same instances.
 */
public final class FeatureSpace implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The serial form from before the attributes were shared: checkpoints hold it. */
    private static final ObjectStreamField[] serialPersistentFields = {
            new ObjectStreamField("classes", List.class), new ObjectStreamField("names", List.class),
            new ObjectStreamField("nominalValues", List.class), new ObjectStreamField("indexByName", Map.class),
            new ObjectStreamField("header", InstancesHeader.class)};
    static final int MAX_NOMINAL_VALUES = 256;
    // What a slot maps to besides a numeric attribute's index: no attribute, or a nominal one.
    private static final int UNKNOWN = -1;
    private static final int NOMINAL = -2;

    // Shared with every space of the same features; written as its parts.
    private transient SharedAttributes shared;

    public FeatureSpace(List<FeatureDef> declared, List<String> classes) {
        this(attributes(declared, List.copyOf(classes)));
    }

    private FeatureSpace(SharedAttributes shared) {
        this.shared = shared;
    }

    /** A space whose class attribute is numeric: a regression target. */
    public static FeatureSpace forRegression(List<FeatureDef> declared) {
        return new FeatureSpace(attributes(declared, null));
    }

    private static SharedAttributes attributes(List<FeatureDef> declared, List<String> classes) {
        List<String> names = new ArrayList<>(declared.size());
        List<List<String>> nominalValues = new ArrayList<>(declared.size());
        for (FeatureDef feature : declared) {
            names.add(feature.name());
            nominalValues.add(feature.isNominal() ? feature.nominalValues() : null);
        }
        return SharedAttributes.of(classes, names, nominalValues);
    }

    /** The header every instance of this space is built against; changes only when the space grows. */
    public InstancesHeader header() {
        return shared.header();
    }

    /** The features in attribute order. */
    public List<FeatureDef> features() {
        List<String> names = shared.names();
        List<FeatureDef> features = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            List<String> values = shared.nominalValues().get(i);
            features.add(values == null ? FeatureDef.numeric(names.get(i)) : FeatureDef.nominal(names.get(i), values));
        }
        return features;
    }

    public int size() {
        return shared.names().size();
    }

    /** Adds the features and nominal values of {@code observation} not seen before; true if the space grew. */
    public boolean grow(Observation observation) {
        if (knows(observation)) {
            return false;
        }
        Map<String, List<String>> added = new TreeMap<>();
        observation.numeric().keySet().forEach(name -> {
            if (shared.indexOf(name) == null) {
                added.put(name, null);
            }
        });
        List<List<String>> nominalValues = new ArrayList<>(shared.nominalValues());
        boolean grew = false;
        for (Map.Entry<String, String> entry : observation.nominal().entrySet()) {
            Integer index = shared.indexOf(entry.getKey());
            if (index == null) {
                added.putIfAbsent(entry.getKey(), List.of(entry.getValue()));
            } else {
                List<String> values = nominalValues.get(index);
                if (values != null && !values.contains(entry.getValue()) && values.size() < MAX_NOMINAL_VALUES) {
                    List<String> more = new ArrayList<>(values);
                    more.add(entry.getValue());
                    nominalValues.set(index, more);
                    grew = true;
                }
            }
        }
        if (!grew && added.isEmpty()) {
            return false;
        }
        List<String> names = new ArrayList<>(shared.names());
        added.forEach((name, values) -> {
            names.add(name);
            nominalValues.add(values);
        });
        shared = SharedAttributes.of(shared.classes(), names, nominalValues);
        return true;
    }

    /** Whether every feature and nominal value of {@code observation} is known: the usual case, checked without allocating. */
    private boolean knows(Observation observation) {
        if (observation.numeric() instanceof FeatureVector vector) {
            int[] attributes = slotAttributes(vector);
            for (int slot = 0; slot < vector.slots(); slot++) {
                if (vector.has(slot) && attributes[slot] == UNKNOWN) {
                    return false;
                }
            }
        } else {
            for (String name : observation.numeric().keySet()) {
                if (shared.indexOf(name) == null) {
                    return false;
                }
            }
        }
        for (Map.Entry<String, String> entry : observation.nominal().entrySet()) {
            Integer index = shared.indexOf(entry.getKey());
            if (index == null) {
                return false;
            }
            List<String> values = shared.nominalValues().get(index);
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
        List<String> names = shared.names();
        List<List<String>> nominalValues = shared.nominalValues();
        int n = names.size();
        double[] values = new double[n + 1];
        FeatureVector vector = observation.numeric() instanceof FeatureVector v ? v : null;
        if (vector != null) {
            Arrays.fill(values, 0, n, Double.NaN);
            int[] attributes = slotAttributes(vector);
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
        instance.setDataset(shared.header());
        return instance;
    }

    /** Values of {@code observation} that become missing although present: non-finite, wrong kind, unknown. */
    public int invalidValues(Observation observation) {
        int invalid = 0;
        if (observation.numeric() instanceof FeatureVector vector) {
            int[] attributes = slotAttributes(vector);
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
            Integer index = shared.indexOf(entry.getKey());
            List<String> domain = index == null ? null : shared.nominalValues().get(index);
            if (domain == null || !domain.contains(entry.getValue())) {
                invalid++;
            }
        }
        return invalid;
    }

    /**
     * The attribute of each slot of {@code vector}'s layout: its index, {@link #UNKNOWN} or
     * {@link #NOMINAL}; kept by the layout for these attributes, so that a reading's passes (new
     * features, invalid values, the instances to predict and to train) look each name up once per
     * device, not once per pass.
     */
    private int[] slotAttributes(FeatureVector vector) {
        return vector.layout().perSlot(shared, FeatureSpace::attribute);
    }

    private static int attribute(SharedAttributes attributes, String name) {
        Integer index = attributes.indexOf(name);
        return index == null ? UNKNOWN : attributes.nominalValues().get(index) != null ? NOMINAL : index;
    }

    private boolean isNominal(String feature) {
        Integer index = shared.indexOf(feature);
        return index != null && shared.nominalValues().get(index) != null;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        ObjectOutputStream.PutField fields = out.putFields();
        fields.put("classes", shared.classes());
        fields.put("names", shared.names());
        fields.put("nominalValues", shared.nominalValues());
        fields.put("indexByName", shared.indexByName());
        fields.put("header", shared.header());
        out.writeFields();
    }

    /** Takes the attributes in use for the features read, if any: the ones written are this model's own copy. */
    @SuppressWarnings("unchecked")
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        ObjectInputStream.GetField fields = in.readFields();
        try {
            shared = SharedAttributes.of((List<String>) fields.get("classes", null), (List<String>) fields.get("names", null),
                    (List<List<String>>) fields.get("nominalValues", null));
        } catch (RuntimeException e) {
            InvalidObjectException unreadable = new InvalidObjectException("cannot read a feature space: " + e);
            unreadable.initCause(e);
            throw unreadable;
        }
    }
}
