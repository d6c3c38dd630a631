package io.driftline.label;

/** The truth about one reading, once known. */
public enum Label {
    /** The device failed within the horizon after the reading. */
    POSITIVE,
    /** The horizon passed without a failure. */
    NEGATIVE
}
