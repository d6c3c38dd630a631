package io.driftline.learn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where each numeric feature of one device lives in its {@link FeatureVector}s: a slot per name,
 * given in order of first appearance and never taken back, as {@link FeatureSpace} gives attribute
 * indices. Appending keeps every vector built before valid: it covers the slots that existed then.
 *
 * <p>Not thread-safe: a device's layout and its vectors are used on the thread that processes the
 * device.
 */
public final class FeatureLayout {

    private String[] names = new String[8];
    private int size;
    private final Map<String, Integer> slots = new HashMap<>();

    /** The slot of {@code name}, appended when it is new. */
    public int slot(String name) {
        Integer slot = slots.get(name);
        if (slot != null) {
            return slot;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, 2 * size);
        }
        // One copy of each name for all devices: 100k devices would otherwise hold 100k copies of each.
        String interned = name.intern();
        names[size] = interned;
        slots.put(interned, size);
        return size++;
    }

    /** The slot of {@code name}; -1 when it has none. */
    public int find(Object name) {
        Integer slot = slots.get(name);
        return slot == null ? -1 : slot;
    }

    public String name(int slot) {
        return names[Objects.checkIndex(slot, size)];
    }

    /** Slots given so far. */
    public int size() {
        return size;
    }

    /** The names in slot order. */
    public List<String> names() {
        return List.of(Arrays.copyOf(names, size));
    }
}
