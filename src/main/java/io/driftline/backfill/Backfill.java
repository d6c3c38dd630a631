package io.driftline.backfill;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.SensorReading;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * A backfill in two passes. {@link #read} parses every history file (readings, then maintenance),
 * rejecting bad rows, and puts the records in event-time order across files and devices; nothing
 * is produced until every file has been read, so a file that cannot be read stops the backfill
 * before its first record, never half-way. {@link #produce} then hands the records, in that
 * order, to the readings and maintenance sinks, numbering each device's readings.
 */
public final class Backfill implements Closeable {

    /** Where a backfill reports how far it got; called on the backfill's thread. */
    public interface Progress {
        void reading(long bytesRead, long totalBytes, long rows);

        void producing(long produced, long total);
    }

    /** Where records go (a Kafka producer, or a list in tests). */
    @FunctionalInterface
    public interface Sink<V> {
        void publish(String key, V value, long timestamp);
    }

    /** What was produced and what was rejected. */
    public record Summary(long readings, long maintenanceEvents, long devices, Instant firstEventTime,
                          Instant lastEventTime, Map<RejectReason, Long> rejected, long spilledRuns) {

        public long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Records held in memory per sorted run before it is written to disk. */
    public static final int RUN_SIZE = 200_000;
    private static final long REPORT_EVERY = 10_000;

    private final TimeOrder order;
    private final Rejects rejects;
    private final int spilledRuns;

    private Backfill(TimeOrder order, Rejects rejects) {
        this.order = order;
        this.rejects = rejects;
        this.spilledRuns = order.spilledRuns();
    }

    /**
     * Reads every file; throws before reading any row when a file is missing or its header lacks a
     * needed column, and stops with an IOException when a file cannot be read to its end.
     */
    public static Backfill read(List<Path> readingFiles, List<Path> maintenanceFiles, HistoryColumns columns,
                                Set<String> machineTypes, Path spillDir, int runSize, Rejects rejects,
                                Progress progress) throws IOException {
        HistoryRows rows = new HistoryRows(columns, machineTypes);
        long totalBytes = 0;
        for (Path file : readingFiles) {
            totalBytes += checkHeader(file, columns, header -> rows.checkReadingsHeader(file, header));
        }
        for (Path file : maintenanceFiles) {
            totalBytes += checkHeader(file, columns, header -> rows.checkMaintenanceHeader(file, header));
        }
        TimeOrder order = new TimeOrder(spillDir, runSize);
        progress.reading(0, totalBytes, 0);
        try {
            Reader reader = new Reader(order, rejects, progress, totalBytes);
            for (Path file : readingFiles) {
                reader.read(file, columns.delimiter(), rows::reading);
            }
            for (Path file : maintenanceFiles) {
                reader.read(file, columns.delimiter(), rows::maintenance);
            }
            progress.reading(totalBytes, totalBytes, reader.rows);
            return new Backfill(order, rejects);
        } catch (IOException | RuntimeException e) {
            order.close();
            throw e;
        }
    }

    /** Records in order after {@link #read}. */
    public long records() {
        return order.size();
    }

    /** The earliest event time read, or null when no row was good. */
    public Instant oldestEventTime() {
        return order.size() == 0 ? null : Instant.ofEpochMilli(order.earliest());
    }

    /** Hands every record to its sink in event-time order, readings numbered per device from 1. */
    public Summary produce(Sink<SensorReading> readings, Sink<MaintenanceEvent> maintenance, Progress progress)
            throws IOException {
        Map<String, Long> sequences = new HashMap<>();
        Set<String> devices = new HashSet<>();
        long readingCount = 0;
        long maintenanceCount = 0;
        Instant first = null;
        Instant last = null;
        long total = order.size();
        long produced = 0;
        progress.producing(0, total);
        Iterator<TimedRecord> sorted = order.sorted();
        while (sorted.hasNext()) {
            TimedRecord record = sorted.next();
            if (record.value() instanceof SensorReading reading) {
                reading.setSequence(sequences.merge(reading.getDeviceId(), 1L, Long::sum));
                readings.publish(reading.getDeviceId(), reading, record.time());
                devices.add(reading.getDeviceId());
                readingCount++;
            } else {
                MaintenanceEvent event = (MaintenanceEvent) record.value();
                maintenance.publish(event.getDeviceId(), event, record.time());
                devices.add(event.getDeviceId());
                maintenanceCount++;
            }
            Instant time = Instant.ofEpochMilli(record.time());
            first = first == null ? time : first;
            last = time;
            if (++produced % REPORT_EVERY == 0) {
                progress.producing(produced, total);
            }
        }
        progress.producing(produced, total);
        return new Summary(readingCount, maintenanceCount, devices.size(), first, last, rejects.counts(), spilledRuns);
    }

    /** The summary of a backfill that read but produced nothing ({@code --dry-run}). */
    public Summary unproduced() {
        return new Summary(0, 0, 0, null, null, rejects.counts(), spilledRuns);
    }

    /** Deletes the sorted runs on disk. */
    @Override
    public void close() throws IOException {
        order.close();
    }

    private interface HeaderCheck {
        void check(List<String> header) throws IOException;
    }

    /** Opens {@code file} and checks its header (CSV); returns its size. */
    private static long checkHeader(Path file, HistoryColumns columns, HeaderCheck check) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file: " + file);
        }
        try (RowReader reader = HistoryFile.open(file, columns.delimiter())) {
            if (reader.columns().isPresent()) {
                check.check(reader.columns().get());
            }
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(file.toString()) ? e : new IOException(file + ": " + e.getMessage(), e);
        }
        return Files.size(file);
    }

    private interface Conversion<V> {
        V convert(HistoryRow row) throws RowException;
    }

    /** The read pass over every file, with one position counter and one progress. */
    private static final class Reader {
        private final TimeOrder order;
        private final Rejects rejects;
        private final Progress progress;
        private final long totalBytes;
        private long bytesBefore;
        private long rows;
        private long position;

        Reader(TimeOrder order, Rejects rejects, Progress progress, long totalBytes) {
            this.order = order;
            this.rejects = rejects;
            this.progress = progress;
            this.totalBytes = totalBytes;
        }

        <V extends SpecificRecord> void read(Path file, char delimiter, Conversion<V> conversion)
                throws IOException {
            String name = file.toString();
            try (RowReader reader = HistoryFile.open(file, delimiter)) {
                while (true) {
                    HistoryRow row;
                    try {
                        row = reader.next();
                        if (row == null) {
                            break;
                        }
                        V value = conversion.convert(row);
                        long time = value instanceof SensorReading reading ? reading.getEventTime().toEpochMilli()
                                : ((MaintenanceEvent) value).getEventTime().toEpochMilli();
                        order.add(new TimedRecord(time, position++, value));
                    } catch (RowException e) {
                        rejects.add(e.in(name));
                    }
                    if (++rows % REPORT_EVERY == 0) {
                        progress.reading(bytesBefore + reader.bytesRead(), totalBytes, rows);
                    }
                }
            } catch (IOException e) {
                throw new IOException(name + " could not be read to its end (after " + rows + " rows in all): "
                        + e.getMessage() + "; nothing was produced", e);
            }
            bytesBefore += Files.size(file);
        }
    }
}
