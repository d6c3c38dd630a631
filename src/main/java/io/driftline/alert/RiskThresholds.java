package io.driftline.alert;

import java.io.Serializable;

/**
 * When a device's failure probability becomes an alert.
 *
 * @param raise probability at or above which a reading counts towards raising
 * @param clear probability below which a reading counts towards clearing; lower than
 *     {@code raise} (hysteresis), so a probability hovering at the threshold does not flap
 * @param debounce consecutive readings needed to raise or to clear
 */
public record RiskThresholds(double raise, double clear, int debounce) implements Serializable {

    public RiskThresholds {
        if (!(0 < clear && clear <= raise && raise <= 1)) {
            throw new IllegalArgumentException("need 0 < clear <= raise <= 1, got clear=" + clear + " raise=" + raise);
        }
        if (debounce < 1) {
            throw new IllegalArgumentException("debounce must be at least 1, was " + debounce);
        }
    }
}
