package io.driftline.drift;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A step in a sensor the model's tree splits on: its learned thresholds are in the sensor's old
 * units, so what it learned no longer applies, before any label can show it. A change confined to
 * the rare failure class (new firmware reporting vibration 2.5 times higher: healthy machines still
 * read as healthy, degrading ones are flagged hours early) moves the model's 0/1 error rate by well
 * under a point, which no detector on the error stream tells from noise; the inputs show it at once.
 *
 * @param sensor        the sensor that shifted
 * @param spreads       how far its mean moved, in its normal spreads (standard deviations)
 * @param splitFeatures the model's split features on the sensor (the sensor or its rolling statistics)
 */
public record InputShift(String sensor, double spreads, List<String> splitFeatures) implements Serializable {

    public InputShift {
        splitFeatures = List.copyOf(splitFeatures);
    }

    /**
     * The input shift {@code drift} is for a model whose tree splits on {@code splitFeatures}: one
     * when its mean moved by at least {@code minSpreads} normal spreads and the tree splits on the
     * sensor or a rolling statistic of it ({@code sensor.mean}, ...). Small steps, such as those a
     * gradual change is detected in, leave learned thresholds roughly right and are not one.
     */
    public static Optional<InputShift> of(DataDrift drift, Set<String> splitFeatures, double minSpreads) {
        if (minSpreads <= 0 || drift.spreadBefore() <= 0) {
            return Optional.empty();
        }
        double spreads = Math.abs(drift.meanAfter() - drift.meanBefore()) / drift.spreadBefore();
        List<String> onSensor = splitFeatures.stream()
                .filter(feature -> feature.equals(drift.sensor()) || feature.startsWith(drift.sensor() + "."))
                .sorted()
                .toList();
        return spreads >= minSpreads && !onSensor.isEmpty()
                ? Optional.of(new InputShift(drift.sensor(), spreads, onSensor))
                : Optional.empty();
    }
}
