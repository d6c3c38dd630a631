package io.driftline.backfill;

import java.time.ZoneId;
import java.util.Set;

/**
 * How the columns of history files map onto readings and maintenance events. Every column of a
 * readings file that is none of the named ones is a numeric sensor.
 *
 * @param device             device id column (readings and maintenance)
 * @param machineType        machine type column of readings
 * @param defaultMachineType machine type of readings whose file has no {@code machineType} column; null: required
 * @param time               event time column (readings and maintenance): ISO-8601 or epoch milliseconds
 * @param zone               zone of ISO-8601 times written without an offset
 * @param label              in-band label column of readings; null: none
 * @param attributes         text columns that are nominal attributes (learned from)
 * @param tags               text columns that are tags (kept, not learned from)
 * @param ignored            columns left out altogether (row numbers, free text)
 * @param kind               maintenance event kind column (FAILURE, REPAIR, ...)
 * @param component          maintenance component column (optional in the file)
 * @param description        maintenance description column (optional in the file)
 * @param delimiter          CSV field delimiter
 */
public record HistoryColumns(String device, String machineType, String defaultMachineType, String time, ZoneId zone,
                             String label, Set<String> attributes, Set<String> tags, Set<String> ignored,
                             String kind, String component, String description, char delimiter) {

    public HistoryColumns {
        attributes = Set.copyOf(attributes);
        tags = Set.copyOf(tags);
        ignored = Set.copyOf(ignored);
    }

    /** Whether {@code column} of a readings file is not a sensor. */
    boolean named(String column) {
        return column.equals(device) || column.equals(machineType) || column.equals(time) || column.equals(label)
                || attributes.contains(column) || tags.contains(column) || ignored.contains(column);
    }
}
