package io.driftline.backfill;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.SensorReading;
import io.driftline.registry.TrustedClasses;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Puts any number of records in event-time order with bounded memory (an external merge sort):
 * records are collected in runs of {@code runSize}, each full run is sorted and written to a file
 * in {@code spillDir}, and {@link #sorted()} merges the files and the last run. Input that fits in
 * one run never touches the disk. History exports come per device or per period and are seldom in
 * one time order across them; a sorted input costs one pass per run (the sort finds it sorted).
 */
final class TimeOrder implements Closeable {

    private static final int BUFFER = 1 << 16;
    private static final byte READING = 0;
    private static final byte MAINTENANCE = 1;
    /** A first run's capacity: small inputs stay small, larger ones grow to runSize once. */
    private static final int INITIAL_RUN_CAPACITY = 1 << 12;

    private final Path spillDir;
    private final int runSize;
    private final List<Path> runs = new ArrayList<>();
    private final List<Closeable> open = new ArrayList<>();
    private List<TimedRecord> current;
    private long size;
    private long earliest = Long.MAX_VALUE;

    TimeOrder(Path spillDir, int runSize) {
        this.spillDir = spillDir;
        this.runSize = runSize;
        this.current = new ArrayList<>(Math.min(runSize, INITIAL_RUN_CAPACITY));
        TrustedClasses.trust(SensorReading.class, SensorReading.getClassSchema());
        TrustedClasses.trust(MaintenanceEvent.class, MaintenanceEvent.getClassSchema());
    }

    void add(TimedRecord record) throws IOException {
        current.add(record);
        earliest = Math.min(earliest, record.time());
        size++;
        if (current.size() >= runSize) {
            spill();
        }
    }

    long size() {
        return size;
    }

    /** The earliest event time added (Long.MAX_VALUE before the first record). */
    long earliest() {
        return earliest;
    }

    /** Runs written to disk so far. */
    int spilledRuns() {
        return runs.size();
    }

    /** Every record added, in event-time order (then input order); call once, after the last add. */
    Iterator<TimedRecord> sorted() throws IOException {
        current.sort(TimedRecord.EVENT_TIME_ORDER);
        if (runs.isEmpty()) {
            return current.iterator();
        }
        PriorityQueue<Source> heads = new PriorityQueue<>((a, b) -> TimedRecord.EVENT_TIME_ORDER.compare(a.head, b.head));
        for (Path run : runs) {
            RunReader reader = new RunReader(run);
            open.add(reader);
            Source source = new Source(reader::next);
            if (source.advance()) {
                heads.add(source);
            }
        }
        Iterator<TimedRecord> memory = current.iterator();
        Source last = new Source(() -> memory.hasNext() ? memory.next() : null);
        if (last.advance()) {
            heads.add(last);
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !heads.isEmpty();
            }

            @Override
            public TimedRecord next() {
                Source source = heads.poll();
                if (source == null) {
                    throw new NoSuchElementException();
                }
                TimedRecord record = source.head;
                if (source.advance()) {
                    heads.add(source);
                }
                return record;
            }
        };
    }

    private void spill() throws IOException {
        current.sort(TimedRecord.EVENT_TIME_ORDER);
        Path run = Files.createTempFile(spillDir, "run-", ".bin");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), BUFFER))) {
            for (TimedRecord record : current) {
                ByteBuffer bytes = record.value() instanceof SensorReading reading
                        ? reading.toByteBuffer() : ((MaintenanceEvent) record.value()).toByteBuffer();
                out.writeLong(record.time());
                out.writeLong(record.position());
                out.writeByte(record.value() instanceof SensorReading ? READING : MAINTENANCE);
                out.writeInt(bytes.remaining());
                out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            }
        }
        runs.add(run);
        current = new ArrayList<>(runSize);
    }

    /** Closes the runs being merged and deletes them. */
    @Override
    public void close() throws IOException {
        for (Closeable reader : open) {
            reader.close();
        }
        for (Path run : runs) {
            Files.deleteIfExists(run);
        }
    }

    private interface Next {
        TimedRecord next();
    }

    private static final class Source {
        private final Next next;
        private TimedRecord head;

        Source(Next next) {
            this.next = next;
        }

        boolean advance() {
            head = next.next();
            return head != null;
        }
    }

    private static final class RunReader implements Closeable {
        private final DataInputStream in;

        RunReader(Path run) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), BUFFER));
        }

        /** The next record of the run, null at its end. */
        TimedRecord next() {
            try {
                long time;
                try {
                    time = in.readLong();
                } catch (EOFException end) {
                    return null;
                }
                long position = in.readLong();
                byte kind = in.readByte();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                return new TimedRecord(time, position, kind == READING
                        ? SensorReading.fromByteBuffer(buffer) : MaintenanceEvent.fromByteBuffer(buffer));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
