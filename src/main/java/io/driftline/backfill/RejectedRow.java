package io.driftline.backfill;

/** A row that cannot become a record: where it is, why, and what it held. */
public record RejectedRow(String file, long line, RejectReason reason, String detail) {
}
