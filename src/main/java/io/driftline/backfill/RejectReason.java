package io.driftline.backfill;

/** Why a row of a history file was not produced; written to the rejects file and counted in the summary. */
public enum RejectReason {
    /** The device id column is missing or empty. */
    MISSING_DEVICE_ID,
    /** No machine type: the column is empty and no default was given. */
    MISSING_MACHINE_TYPE,
    /** A machine type the configuration does not list (machine.types): Driftline would dead-letter it. */
    UNKNOWN_MACHINE_TYPE,
    /** The event time is missing or neither ISO-8601 nor epoch milliseconds. */
    UNPARSABLE_TIME,
    /** A sensor column holds something that is not a number. */
    UNPARSABLE_NUMBER,
    /** A maintenance kind that is not FAILURE, REPAIR, INSPECTION, PREVENTIVE_MAINTENANCE or UNKNOWN. */
    UNKNOWN_KIND,
    /** Fewer fields than the header has columns. */
    SHORT_ROW,
    /** More fields than the header has columns. */
    LONG_ROW,
    /** A quoted CSV field that the file ends inside. */
    UNTERMINATED_QUOTE,
    /** A JSON line that does not parse as one object of plain values. */
    MALFORMED_JSON
}
