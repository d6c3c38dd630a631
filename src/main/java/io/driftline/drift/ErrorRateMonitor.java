package io.driftline.drift;

import java.io.Serializable;
import java.util.Optional;
import moa.classifiers.core.driftdetection.ADWIN;

/**
 * ADWIN on a model's 0/1 error stream: reports a {@link ConceptDrift} when ADWIN cuts its window
 * and the error rate rose (a falling error rate is the model improving, not drift). This is the
 * rule of MOA's {@code ADWINChangeDetector}, so with the same {@code delta} it fires at exactly the
 * instances MOA's does (tested).
 *
 * <p>While the error rate climbs, ADWIN cuts again every few dozen inputs. A cool-down of
 * {@code cooldown} inputs after a reported drift keeps feeding ADWIN but reports nothing, so one
 * change raises one alert (and one reset). With many readings ADWIN also finds rises too small
 * to act on; a cut whose error rate rose by less than {@code minIncrease} is not reported. A
 * cool-down and minimum increase of 0 are MOA's behaviour.
 */
public final class ErrorRateMonitor implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ADWIN adwin;
    private final long cooldown;
    private final double minIncrease;
    private long instances;
    private long quietUntil;

    public ErrorRateMonitor(double delta, long cooldown, double minIncrease) {
        this.adwin = new ADWIN(delta);
        this.cooldown = cooldown;
        this.minIncrease = minIncrease;
    }

    public Optional<ConceptDrift> add(boolean error) {
        instances++;
        double before = adwin.getEstimation();
        if (!adwin.setInput(error ? 1.0 : 0.0) || adwin.getEstimation() <= before
                || adwin.getEstimation() - before < minIncrease || instances <= quietUntil) {
            return Optional.empty();
        }
        quietUntil = instances + cooldown;
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
