package io.driftline.state;

import io.driftline.state.DeviceState.PendingReading;

/** What looking up a reading that waited for its label found: the reading, or why it is gone. */
public sealed interface PendingLookup {

    record Found(PendingReading reading) implements PendingLookup {
    }

    /** The reading is gone: it is never trained on nor scored, and is counted under {@code reason}. */
    record Gone(Reason reason) implements PendingLookup {
    }

    /** Why a reading was no longer kept. */
    enum Reason {
        /**
         * It waited longer than its store keeps readings ({@link PendingClock}): its device stopped
         * reporting, or fell further behind the newest readings of its task while it waited, by more
         * than {@code label.pending.margin.ms}.
         */
        EXPIRED,
        /**
         * It had not expired but was not there: lost with the key-value pending store of an earlier
         * Driftline at an upgrade, or with changelog records the broker deleted (by their retention)
         * while the application was down after a crash.
         */
        MISSING
    }
}
