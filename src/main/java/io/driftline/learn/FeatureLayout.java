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

    /** How many owners' {@link #perSlot} values a layout keeps: a model's feature spaces and its journal. */
    static final int OWNERS = 4;

    private String[] names = new String[8];
    private int size;
    private final Map<String, Integer> slots = new HashMap<>();
    private Object[] owners = new Object[0];
    private int[][] values = new int[0][];
    private int evict;

    /** An int that an owner derives from a slot's name. */
    @FunctionalInterface
    public interface SlotValue<O> {
        int of(O owner, String name);
    }

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

    /**
     * An int per slot that {@code owner} derives from the slot's name (a feature space, the attribute of
     * the slot; a model's journal, the index of its name in the string table), computed once per slot
     * and kept here: a model pools many devices' readings, so a cache of the last layout the owner met
     * would miss at nearly every reading. Kept for the last {@link #OWNERS} owners met. The owner may
     * change a value it gave (a name it has added to its string table since).
     */
    public <O> int[] perSlot(O owner, SlotValue<O> value) {
        int entry = 0;
        while (entry < owners.length && owners[entry] != owner) {
            entry++;
        }
        if (entry == owners.length) {
            if (owners.length < OWNERS) {
                owners = Arrays.copyOf(owners, entry + 1);
                values = Arrays.copyOf(values, entry + 1);
            } else {
                entry = evict;
                evict = (evict + 1) % OWNERS;
            }
            owners[entry] = owner;
            values[entry] = new int[0];
        }
        int[] computed = values[entry];
        if (computed.length < size) {
            int from = computed.length;
            computed = Arrays.copyOf(computed, size);
            for (int slot = from; slot < size; slot++) {
                computed[slot] = value.of(owner, names[slot]);
            }
            values[entry] = computed;
        }
        return computed;
    }

    /** The names in slot order. */
    public List<String> names() {
        return List.of(Arrays.copyOf(names, size));
    }
}
