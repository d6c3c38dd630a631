package io.driftline.learn;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One reading's numeric features as flat arrays on its device's {@link FeatureLayout}: a value
 * per slot and whether the reading has it. Built without boxing or a lookup per feature; the
 * per-reading paths ({@link FeatureSpace}, the model journal, a pending reading's packing) read
 * the slots, everything else sees an unmodifiable map by name, equal to any map with the same
 * entries. A value the reading has may be NaN or infinite, as it came (the model counts it as
 * an invalid value); it covers the slots its layout had when it was built.
 *
 * <p>Serialised as a {@link HashMap} with the same entries (a model holds the observations it
 * holds back): the layout stays with its device.
 */
public final class FeatureVector extends AbstractMap<String, Double> implements Serializable {

    private static final long serialVersionUID = 1L;

    // Not serialised: writeReplace substitutes a map.
    private final transient FeatureLayout layout;
    // NaN in the slots the reading lacks, so that packed() is a copy.
    private final transient double[] values;
    private final transient long[] present;
    private final transient int size;

    private FeatureVector(FeatureLayout layout, double[] values, long[] present) {
        this.layout = layout;
        this.values = values;
        this.present = present;
        int count = 0;
        for (long bits : present) {
            count += Long.bitCount(bits);
        }
        this.size = count;
    }

    /** A vector to fill, over the slots {@code layout} has now. */
    public static Builder on(FeatureLayout layout) {
        return new Builder(layout);
    }

    /**
     * The vector {@link #packed} gave, as far as it can tell: a NaN slot is one the reading lacks.
     * Takes {@code packed} over, not a copy.
     */
    public static FeatureVector unpacked(FeatureLayout layout, double[] packed) {
        if (packed.length > layout.size()) {
            throw new IllegalArgumentException(packed.length + " values for " + layout.size() + " features");
        }
        long[] present = new long[words(packed.length)];
        for (int slot = 0; slot < packed.length; slot++) {
            if (!Double.isNaN(packed[slot])) {
                present[slot >>> 6] |= 1L << slot;
            }
        }
        return new FeatureVector(layout, packed, present);
    }

    public FeatureLayout layout() {
        return layout;
    }

    /** The slots this vector covers: the first slots of its layout. */
    public int slots() {
        return values.length;
    }

    /** Whether the reading has the feature of {@code slot}. */
    public boolean has(int slot) {
        return (present[slot >>> 6] & 1L << slot) != 0;
    }

    public String name(int slot) {
        return layout.name(slot);
    }

    /** The value of {@code slot}; NaN where the reading lacks it. */
    public double value(int slot) {
        return values[slot];
    }

    /** The values by slot, NaN where the reading lacks one: a copy (what a pending reading keeps). */
    public double[] packed() {
        return values.clone();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean containsKey(Object name) {
        int slot = layout.find(name);
        return slot >= 0 && slot < values.length && has(slot);
    }

    @Override
    public Double get(Object name) {
        int slot = layout.find(name);
        return slot >= 0 && slot < values.length && has(slot) ? values[slot] : null;
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int slot = nextFrom(0);

                    @Override
                    public boolean hasNext() {
                        return slot >= 0;
                    }

                    @Override
                    public Entry<String, Double> next() {
                        if (slot < 0) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Double> entry = new SimpleImmutableEntry<>(layout.name(slot), values[slot]);
                        slot = nextFrom(slot + 1);
                        return entry;
                    }
                };
            }
        };
    }

    private int nextFrom(int slot) {
        for (int next = slot; next < values.length; next++) {
            if (has(next)) {
                return next;
            }
        }
        return -1;
    }

    private Object writeReplace() {
        return new HashMap<>(this);
    }

    private static int words(int slots) {
        return (slots + Long.SIZE - 1) / Long.SIZE;
    }

    /** Fills one vector, then {@link #build}s it once; a slot set twice keeps the later value. */
    public static final class Builder {
        private final FeatureLayout layout;
        private final double[] values;
        private final long[] present;

        private Builder(FeatureLayout layout) {
            this.layout = layout;
            values = new double[layout.size()];
            Arrays.fill(values, Double.NaN);
            present = new long[words(values.length)];
        }

        public void set(int slot, double value) {
            values[slot] = value;
            present[slot >>> 6] |= 1L << slot;
        }

        public FeatureVector build() {
            return new FeatureVector(layout, values, present);
        }
    }
}
