package io.driftline.backfill;

import java.util.Map;

/** One row of a history file: the line it starts on (1-based) and its values by column (empty: no value). */
record HistoryRow(long line, Map<String, String> values) {

    /** The value of {@code column}, or "" when the row has none. */
    String value(String column) {
        String value = column == null ? null : values.get(column);
        return value == null ? "" : value;
    }
}
