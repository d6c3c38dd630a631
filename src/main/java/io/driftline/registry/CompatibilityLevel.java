package io.driftline.registry;

/**
 * The registry's compatibility levels (Confluent names). BACKWARD: consumers using the new schema
 * can read data written with the previous one; FORWARD: the reverse; FULL: both. The
 * {@code _TRANSITIVE} variants check against every earlier version, not only the latest.
 */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    boolean newMustReadOld() {
        return this != NONE && this != FORWARD && this != FORWARD_TRANSITIVE;
    }

    boolean oldMustReadNew() {
        return this != NONE && this != BACKWARD && this != BACKWARD_TRANSITIVE;
    }

    boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }
}
