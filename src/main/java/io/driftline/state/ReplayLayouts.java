package io.driftline.state;

import io.driftline.learn.FeatureLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The feature layouts that observations read back from a model's journal are built on: one per
 * sequence of feature names met. A live observation's features come in its device's layout order,
 * so a model meets few sequences (a fleet of one machine type, one or two). A replayed observation
 * is then a {@link io.driftline.learn.FeatureVector}, which the feature space reads by slot as it
 * reads the live one, rather than a map looked up name by name: a replay, which the background
 * snapshots run for every reading, spent a fifth of its time in those lookups.
 *
 * <p>Not part of a model's state: a replay builds the same observations with or without it.
 */
final class ReplayLayouts {

    /** Beyond this many sequences (a stream whose features keep changing) the layouts are built afresh. */
    static final int MAX_LAYOUTS = 64;

    private final Map<Names, FeatureLayout> layouts = new HashMap<>();

    /** A sequence of string-table references. */
    private record Names(int[] references) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Names names && Arrays.equals(references, names.references);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(references);
        }
    }

    /**
     * The layout whose slots are the names {@code references} refer to in {@code strings}, in that
     * order (distinct references: an observation's features).
     */
    FeatureLayout of(int[] references, List<String> strings) {
        Names names = new Names(references);
        FeatureLayout layout = layouts.get(names);
        if (layout == null) {
            if (layouts.size() == MAX_LAYOUTS) {
                layouts.clear();
            }
            layout = new FeatureLayout();
            for (int reference : references) {
                layout.slot(strings.get(reference));
            }
            layouts.put(names, layout);
        }
        return layout;
    }

    int size() {
        return layouts.size();
    }
}
