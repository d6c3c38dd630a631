package io.driftline.registry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a failed registry request is repeated: exponential backoff from
 * {@code initialBackoff}, doubling up to {@code maxBackoff}, with "equal jitter" (half fixed, half
 * random) so that many clients restarted together do not hit a recovering registry in lockstep.
 *
 * @param maxRetries repetitions after the first attempt (0: never repeat)
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxRetries < 0 || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("invalid retry policy: " + maxRetries + ", " + initialBackoff
                    + ", " + maxBackoff);
        }
    }

    /** The pause before repetition {@code retry} (from 0). */
    Duration backoff(int retry) {
        long ceiling = initialBackoff.toMillis() << Math.min(retry, 30);
        long capped = ceiling < 0 ? maxBackoff.toMillis() : Math.min(ceiling, maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
    }
}
