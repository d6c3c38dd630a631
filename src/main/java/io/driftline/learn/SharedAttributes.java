package io.driftline.learn;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import moa.classifiers.AbstractClassifier;
import moa.classifiers.Classifier;

/**
 * The attributes of a {@link FeatureSpace}: the features' names and nominal domains in attribute
 * order, an index by name, and the MOA header, shared by every space of the same classes and features
 * ({@link #of}). With a model per device they are the same for thousands of models, and each model's
 * own copy was some 8 KB of its heap (twice that once decoded from a checkpoint: names and index boxes
 * are not shared then). Immutable: a space that grows takes another.
 *
 * <p>The MOA header is shared by the learners of those models too ({@code setModelContext}); MOA's
 * learners only read it (in MOA 2024.07.0 its one part built lazily, a nominal attribute's index of
 * values, is built by MOA's file loader and generators only, never by a learner).
 */
final class SharedAttributes {

    // An entry lives as long as its value: the key is reachable from the value only.
    private static final Map<Key, WeakReference<SharedAttributes>> IN_USE = new WeakHashMap<>();
    private static final String CLASS_ATTRIBUTE = "class";

    private final Key key;
    private final Map<String, Integer> indexByName;
    private final InstancesHeader header;

    private SharedAttributes(Key key) {
        this.key = key;
        Map<String, Integer> index = new HashMap<>();
        List<Attribute> attributes = new ArrayList<>(key.names().size() + 1);
        for (int i = 0; i < key.names().size(); i++) {
            String name = key.names().get(i);
            if (index.putIfAbsent(name, i) != null) {
                throw new IllegalArgumentException("feature " + name + " declared twice");
            }
            List<String> values = key.nominalValues().get(i);
            attributes.add(values == null ? new Attribute(name) : new Attribute(name, values));
        }
        attributes.add(key.classes() == null ? new Attribute(CLASS_ATTRIBUTE) : new Attribute(CLASS_ATTRIBUTE, key.classes()));
        Instances instances = new Instances("driftline", attributes, 0);
        instances.setClassIndex(key.names().size());
        this.indexByName = Collections.unmodifiableMap(index);
        this.header = new InstancesHeader(instances);
    }

    /**
     * The attributes of {@code names} with {@code nominalValues} (null for a numeric feature), and
     * {@code classes} (null: a numeric class attribute, a regression target): the one in use by another
     * space, or a new one. Names are interned: one copy of each for all models.
     *
     * @throws IllegalArgumentException when a name is there twice
     */
    static SharedAttributes of(List<String> classes, List<String> names, List<List<String>> nominalValues) {
        List<String> interned = new ArrayList<>(names.size());
        List<List<String>> domains = new ArrayList<>(nominalValues.size());
        for (int i = 0; i < names.size(); i++) {
            interned.add(names.get(i).intern());
            domains.add(nominalValues.get(i) == null ? null : List.copyOf(nominalValues.get(i)));
        }
        Key key = new Key(classes == null ? null : List.copyOf(classes), Collections.unmodifiableList(interned),
                Collections.unmodifiableList(domains));
        synchronized (IN_USE) {
            WeakReference<SharedAttributes> known = IN_USE.get(key);
            SharedAttributes shared = known == null ? null : known.get();
            if (shared == null) {
                shared = new SharedAttributes(key);
                IN_USE.put(key, new WeakReference<>(shared));
            }
            return shared;
        }
    }

    /**
     * {@code learner} takes {@code header}, shared, for its model context, when that is all its
     * {@code setModelContext} does (MOA's own, for Hoeffding trees among others; kNN's, for one, drops
     * what it learned): a learner read back from a checkpoint holds its own copy of the header.
     */
    static void share(Classifier learner, InstancesHeader header) {
        if (learner.getModelContext() != header && setsContextOnly(learner)) {
            learner.setModelContext(header);
        }
    }

    private static boolean setsContextOnly(Classifier learner) {
        try {
            return learner.getClass().getMethod("setModelContext", InstancesHeader.class).getDeclaringClass()
                    == AbstractClassifier.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Null for a numeric class attribute. */
    List<String> classes() {
        return key.classes();
    }

    List<String> names() {
        return key.names();
    }

    /** Per feature, its nominal domain, or null when it is numeric. */
    List<List<String>> nominalValues() {
        return key.nominalValues();
    }

    /** The attribute index of {@code name}, or null. */
    Integer indexOf(String name) {
        return indexByName.get(name);
    }

    Map<String, Integer> indexByName() {
        return indexByName;
    }

    InstancesHeader header() {
        return header;
    }

    private record Key(List<String> classes, List<String> names, List<List<String>> nominalValues) {
    }
}
