package io.driftline.backfill;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.SensorReading;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rows of history files into records, as {@link HistoryColumns} says; a row that cannot be one
 * throws with the reason. Sequence numbers are left at 0: they follow event-time order and are
 * given when the records are produced.
 */
final class HistoryRows {

    private final HistoryColumns columns;
    private final Set<String> machineTypes;

    /** {@code machineTypes}: the configured ones (machine.types); a reading of another type is rejected. */
    HistoryRows(HistoryColumns columns, Set<String> machineTypes) {
        this.columns = columns;
        this.machineTypes = Set.copyOf(machineTypes);
    }

    /** Fails for a readings file whose header lacks a column every row needs. */
    void checkReadingsHeader(Path file, List<String> header) throws IOException {
        require(file, header, columns.device(), "--device-column");
        require(file, header, columns.time(), "--time-column");
        if (columns.defaultMachineType() == null) {
            require(file, header, columns.machineType(), "--machine-type-column, or --machine-type for all rows");
        }
    }

    /** Fails for a maintenance file whose header lacks a column every row needs. */
    void checkMaintenanceHeader(Path file, List<String> header) throws IOException {
        require(file, header, columns.device(), "--device-column");
        require(file, header, columns.time(), "--time-column");
        require(file, header, columns.kind(), "--kind-column");
    }

    private static void require(Path file, List<String> header, String column, String option) throws IOException {
        if (!header.contains(column)) {
            throw new IOException(file + " has no column '" + column + "' (its columns: " + String.join(", ", header)
                    + "); name it with " + option);
        }
    }

    SensorReading reading(HistoryRow row) throws RowException {
        String device = device(row);
        String machineType = row.value(columns.machineType());
        if (machineType.isEmpty()) {
            machineType = columns.defaultMachineType();
        }
        if (machineType == null || machineType.isEmpty()) {
            throw new RowException(row.line(), RejectReason.MISSING_MACHINE_TYPE, "column " + columns.machineType() + " is empty");
        }
        if (!machineTypes.contains(machineType)) {
            throw new RowException(row.line(), RejectReason.UNKNOWN_MACHINE_TYPE,
                    "machine type '" + machineType + "' is not in machine.types " + machineTypes);
        }
        long time = time(row);
        Map<String, Double> sensors = new HashMap<>();
        Map<String, String> attributes = new HashMap<>();
        Map<String, String> tags = new HashMap<>();
        for (Map.Entry<String, String> cell : row.values().entrySet()) {
            String column = cell.getKey();
            String value = cell.getValue();
            if (value.isEmpty()) {
                continue;
            }
            if (columns.attributes().contains(column)) {
                attributes.put(column, value);
            } else if (columns.tags().contains(column)) {
                tags.put(column, value);
            } else if (!columns.named(column)) {
                sensors.put(column, number(row, column, value));
            }
        }
        String label = row.value(columns.label());
        return SensorReading.newBuilder()
                .setDeviceId(device)
                .setMachineType(machineType)
                .setEventTime(Instant.ofEpochMilli(time))
                .setSequence(0)
                .setSensors(sensors)
                .setAttributes(attributes)
                .setTags(tags)
                .setLabel(label.isEmpty() ? null : label)
                .build();
    }

    MaintenanceEvent maintenance(HistoryRow row) throws RowException {
        String device = device(row);
        long time = time(row);
        String kind = row.value(columns.kind()).toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        MaintenanceKind parsed;
        try {
            parsed = MaintenanceKind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw new RowException(row.line(), RejectReason.UNKNOWN_KIND, "kind '" + row.value(columns.kind())
                    + "' is none of " + List.of(MaintenanceKind.values()));
        }
        String component = row.value(columns.component());
        String description = row.value(columns.description());
        return MaintenanceEvent.newBuilder()
                .setDeviceId(device)
                .setEventTime(Instant.ofEpochMilli(time))
                .setKind(parsed)
                .setComponent(component.isEmpty() ? null : component)
                .setDescription(description.isEmpty() ? null : description)
                .build();
    }

    private String device(HistoryRow row) throws RowException {
        String device = row.value(columns.device());
        if (device.isEmpty()) {
            throw new RowException(row.line(), RejectReason.MISSING_DEVICE_ID, "column " + columns.device() + " is empty");
        }
        return device;
    }

    private long time(HistoryRow row) throws RowException {
        String text = row.value(columns.time());
        try {
            return EventTimes.parse(text, columns.zone());
        } catch (DateTimeException e) {
            throw new RowException(row.line(), RejectReason.UNPARSABLE_TIME, "column " + columns.time() + ": " + e.getMessage());
        }
    }

    private static double number(HistoryRow row, String column, String value) throws RowException {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new RowException(row.line(), RejectReason.UNPARSABLE_NUMBER, "column " + column + ": '" + value + "'");
        }
    }
}
