package io.driftline.drift;

import moa.classifiers.core.driftdetection.ADWINChangeDetector;

/**
 * MOA's {@code ADWINChangeDetector} (Bifet &amp; Gavaldà, SDM 2007), unchanged, that also tells the
 * width of ADWIN's window: MOA keeps it private to subclasses, and a concept-drift alert reports it.
 */
final class AdwinDetector extends ADWINChangeDetector {

    private static final long serialVersionUID = 1L;

    /** Inputs in ADWIN's current window (after a cut, the recent part that remains). */
    int width() {
        return adwin == null ? 0 : adwin.getWidth();
    }
}
