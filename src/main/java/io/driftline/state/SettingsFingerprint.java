package io.driftline.state;

import io.driftline.config.PipelineSettings;
import io.driftline.learn.FeatureDef;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The settings that shape a model's state, as a snapshot records them: a model built under other
 * values of these cannot continue (its class attribute, attributes or learner would not match what
 * the readings now mean), so a change resets it. Every other setting is injected at load and
 * applies from then on. Kept as readable text, so that the reset can name what changed.
 *
 * @param learner       the MOA learner spec ({@code learner})
 * @param classes       the class values in order ({@code classes})
 * @param features      the declared features in order ({@code features}), as name or name:{a|b}
 * @param featureWindow the rolling-feature window per machine type ({@code features.window}), sorted by type
 */
record SettingsFingerprint(String learner, List<String> classes, List<String> features, String featureWindow) {

    SettingsFingerprint {
        classes = List.copyOf(classes);
        features = List.copyOf(features);
    }

    static SettingsFingerprint of(PipelineSettings settings) {
        List<String> features = new ArrayList<>();
        for (FeatureDef feature : settings.model().declaredFeatures()) {
            features.add(feature.isNominal() ? feature.name() + ":{" + String.join("|", feature.nominalValues()) + "}"
                    : feature.name());
        }
        Map<String, Integer> windows = new TreeMap<>(settings.featureWindow().values());
        String featureWindow = windows.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(","));
        return new SettingsFingerprint(settings.model().learnerSpec(), settings.model().classes(), features,
                featureWindow);
    }

    /** What differs from {@code current}, one setting per clause; empty when nothing does. */
    String changesTo(SettingsFingerprint current) {
        List<String> changes = new ArrayList<>();
        if (!learner.equals(current.learner)) {
            changes.add("learner changed from '" + learner + "' to '" + current.learner + "'");
        }
        if (!classes.equals(current.classes)) {
            changes.add("classes changed from " + classes + " to " + current.classes);
        }
        if (!features.equals(current.features)) {
            changes.add("features changed from " + features + " to " + current.features);
        }
        if (!featureWindow.equals(current.featureWindow)) {
            changes.add("features.window changed from " + featureWindow + " to " + current.featureWindow);
        }
        return String.join("; ", changes);
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeUTF(learner);
        writeList(out, classes);
        writeList(out, features);
        out.writeUTF(featureWindow);
    }

    static SettingsFingerprint readFrom(DataInputStream in) throws IOException {
        return new SettingsFingerprint(in.readUTF(), readList(in), readList(in), in.readUTF());
    }

    private static void writeList(DataOutput out, List<String> values) throws IOException {
        out.writeShort(values.size());
        for (String value : values) {
            out.writeUTF(value);
        }
    }

    private static List<String> readList(DataInputStream in) throws IOException {
        int size = in.readUnsignedShort();
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(in.readUTF());
        }
        return values;
    }
}
