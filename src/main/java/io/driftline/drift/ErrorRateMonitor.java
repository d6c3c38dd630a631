package io.driftline.drift;

import java.io.Serializable;
import java.util.Optional;
import moa.classifiers.core.driftdetection.ADWIN;

/**
 * ADWIN on a model's 0/1 error stream: reports a {@link ConceptDrift} when ADWIN cuts its window
 * and the error rate rose (a falling error rate is the model improving, not drift). This is the
 * rule of MOA's {@code ADWINChangeDetector}, so with the same {@code delta} it fires at exactly the
 * instances MOA's does (tested).
 */
public final class ErrorRateMonitor implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ADWIN adwin;
    private long instances;

    public ErrorRateMonitor(double delta) {
        this.adwin = new ADWIN(delta);
    }

    public Optional<ConceptDrift> add(boolean error) {
        instances++;
        double before = adwin.getEstimation();
        if (!adwin.setInput(error ? 1.0 : 0.0) || adwin.getEstimation() <= before) {
            return Optional.empty();
        }
        return Optional.of(new ConceptDrift(instances, before, adwin.getEstimation(), adwin.getWidth()));
    }

    /** The error rate over ADWIN's current window. */
    public double errorRate() {
        return adwin.getEstimation();
    }

    public int windowWidth() {
        return adwin.getWidth();
    }
}
