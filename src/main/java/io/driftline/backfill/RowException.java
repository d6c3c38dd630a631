package io.driftline.backfill;

/** A row that cannot become a record; the reader stays usable for the rows after it. */
final class RowException extends Exception {

    private final long line;
    private final RejectReason reason;

    RowException(long line, RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.line = line;
        this.reason = reason;
    }

    RejectedRow in(String file) {
        return new RejectedRow(file, line, reason, getMessage());
    }

    RejectReason reason() {
        return reason;
    }
}
