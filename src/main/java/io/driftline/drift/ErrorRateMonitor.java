package io.driftline.drift;

import java.io.Serializable;
import java.util.Optional;
import java.util.regex.Pattern;
import moa.classifiers.core.driftdetection.ADWINChangeDetector;
import moa.classifiers.core.driftdetection.ChangeDetector;
import moa.classifiers.core.driftdetection.HDDM_W_Test;
import moa.options.ClassOption;

/**
 * A MOA change detector on a model's 0/1 error stream ({@code concept.drift.detector}: any
 * {@code moa.classifiers.core.driftdetection.ChangeDetector} CLI spec, e.g. {@code ADWINChangeDetector},
 * {@code DDM -n 30}, {@code EDDM}, {@code PageHinkleyDM}, {@code HDDM_A_Test}, {@code HDDM_W_Test}).
 * After each input it is in control, in a warning zone, or reports a {@link ConceptDrift}, by the rule of
 * MOA's {@code DriftDetectionMethodClassifier}: a change is drift, unless the detector also says warning.
 * With cool-down, minimum increase and warm-up 0 it fires at exactly the instances MOA's detector
 * does (tested).
 *
 * <p>Driftline's filters on top. While the error rate climbs, ADWIN cuts again every few dozen inputs:
 * a cool-down of {@code cooldown} inputs after a reported drift reports nothing, so one change raises
 * one alert (and one reset). With many readings ADWIN also finds rises too small to act on; a cut whose
 * error rate rose by less than {@code minIncrease} is not reported (ADWIN only: the other detectors
 * carry their own thresholds in their spec, e.g. {@code DDM -o}). In the first {@code warmup} inputs
 * after {@link #modelReplaced} (or creation) a new model's error rate falls and its early noise is no
 * drift: neither drift nor warning is reported. A change that is not reported counts as in control.
 *
 * <p>The settings are not part of the monitor's state: they are not serialised, and {@link #configure}
 * applies the current ones after a checkpoint is read. A changed detector spec (or ADWIN delta) starts
 * the detector afresh, since one detector's statistics mean nothing to another.
 */
public final class ErrorRateMonitor implements Serializable {

    private static final long serialVersionUID = 2L;
    private static final Pattern ADWIN_DELTA_OPTION = Pattern.compile("(^|\\s)-a(\\s|$)");

    private ChangeDetector detector;
    // The spec the detector was built from, with concept.drift.delta applied to ADWIN.
    private String builtFrom;
    private transient long cooldown;
    private transient double minIncrease;
    private transient long warmup;
    private long instances;
    private long quietUntil;
    private long modelSince;
    private boolean warning;
    // Other detectors' estimates are no error rates (EDDM's is a distance between errors): Driftline
    // counts the errors of the current period (since the last change, before the warning zone) and zone.
    private long periodInputs;
    private long periodErrors;
    private long zoneInputs;
    private long zoneErrors;

    public ErrorRateMonitor(String detectorSpec, double delta, long cooldown, double minIncrease, long warmup) {
        configure(detectorSpec, delta, cooldown, minIncrease, warmup);
    }

    /**
     * The detector {@code spec} names, prepared for use, as MOA's tasks build one; an
     * {@code ADWINChangeDetector} without its own {@code -a} gets {@code delta}, and {@code HDDM_W_Test}
     * is {@link HddmWTest} (MOA's shares its statistics between all instances).
     *
     * @throws IllegalArgumentException when {@code spec} is not a MOA change detector's spec
     */
    public static ChangeDetector newDetector(String spec, double delta) {
        ChangeDetector detector = parse(spec);
        if (detector.getClass() == ADWINChangeDetector.class) {
            AdwinDetector adwin = new AdwinDetector();
            adwin.deltaAdwinOption.setValue(ADWIN_DELTA_OPTION.matcher(spec).find()
                    ? ((ADWINChangeDetector) detector).deltaAdwinOption.getValue() : delta);
            detector = adwin;
        } else if (detector.getClass() == HDDM_W_Test.class) {
            String trimmed = spec.trim();
            int optionsFrom = trimmed.indexOf(' ');
            detector = parse(HddmWTest.class.getName() + (optionsFrom < 0 ? "" : trimmed.substring(optionsFrom)));
        }
        detector.prepareForUse();
        return detector;
    }

    private static ChangeDetector parse(String spec) {
        Object built;
        try {
            built = ClassOption.cliStringToObject(spec, ChangeDetector.class, null);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a MOA change detector spec: " + spec + " (" + e.getMessage()
                    + ")", e);
        }
        if (!(built instanceof ChangeDetector)) {
            throw new IllegalArgumentException("not a MOA change detector spec: " + spec);
        }
        return (ChangeDetector) built;
    }

    private static String builtFrom(String spec, double delta) {
        return spec.trim() + (parse(spec).getClass() == ADWINChangeDetector.class ? " @delta=" + delta : "");
    }

    /** Sets the monitor's settings; they apply from the next input on. */
    public void configure(String detectorSpec, double delta, long cooldown, double minIncrease, long warmup) {
        String wanted = builtFrom(detectorSpec, delta);
        if (!wanted.equals(builtFrom)) {
            detector = newDetector(detectorSpec, delta);
            builtFrom = wanted;
            warning = false;
            periodInputs = periodErrors = zoneInputs = zoneErrors = 0;
        }
        this.cooldown = cooldown;
        this.minIncrease = minIncrease;
        this.warmup = warmup;
    }

    /** The model was replaced by a fresh or background one: its warm-up starts. */
    public void modelReplaced() {
        modelSince = instances;
    }

    /** Feeds one scored prediction; the drift it shows, if reported. */
    public Optional<ConceptDrift> add(boolean error) {
        instances++;
        double before = detector.getEstimation();
        detector.input(error ? 1.0 : 0.0);
        zoneInputs++;
        zoneErrors += error ? 1 : 0;
        boolean warmingUp = instances - modelSince <= warmup;
        warning = detector.getWarningZone() && !warmingUp;
        if (detector.getChange() && !detector.getWarningZone()) {
            ConceptDrift drift = drift(before);
            periodInputs = periodErrors = zoneInputs = zoneErrors = 0;
            boolean risenEnough = !(detector instanceof AdwinDetector)
                    || drift.errorRateAfter() - drift.errorRateBefore() >= minIncrease;
            if (!warmingUp && instances > quietUntil && risenEnough) {
                quietUntil = instances + cooldown;
                return Optional.of(drift);
            }
        } else if (!detector.getWarningZone()) {
            periodInputs += zoneInputs;
            periodErrors += zoneErrors;
            zoneInputs = zoneErrors = 0;
        }
        return Optional.empty();
    }

    /**
     * A sensor the model splits on shifted: a concept drift, unless the model is warming up or the
     * last drift's cool-down has not passed (the same rules as for drifts on the error stream).
     */
    public Optional<ConceptDrift> inputShifted(InputShift shift) {
        if (instances - modelSince <= warmup || instances <= quietUntil) {
            return Optional.empty();
        }
        quietUntil = instances + cooldown;
        double estimate = detector.getEstimation();
        return Optional.of(new ConceptDrift(instances, estimate, estimate, 0, shift));
    }

    private ConceptDrift drift(double before) {
        if (detector instanceof AdwinDetector adwin) {
            return new ConceptDrift(instances, before, adwin.getEstimation(), adwin.width());
        }
        double errorRateBefore = periodInputs == 0 ? 0 : (double) periodErrors / periodInputs;
        return new ConceptDrift(instances, errorRateBefore, (double) zoneErrors / zoneInputs, (int) zoneInputs);
    }

    /** Whether the last input left the detector in a warning zone (never while the model warms up). */
    public boolean warningZone() {
        return warning;
    }
}
