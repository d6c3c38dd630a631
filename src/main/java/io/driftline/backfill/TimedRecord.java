package io.driftline.backfill;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.SensorReading;
import java.util.Comparator;
import org.apache.avro.specific.SpecificRecord;

/**
 * A reading or maintenance event with its event time and its position in the input (file by
 * file, row by row), which orders records of equal time as the files did.
 */
record TimedRecord(long time, long position, SpecificRecord value) {

    static final Comparator<TimedRecord> EVENT_TIME_ORDER =
            Comparator.comparingLong(TimedRecord::time).thenComparingLong(TimedRecord::position);

    TimedRecord {
        if (!(value instanceof SensorReading) && !(value instanceof MaintenanceEvent)) {
            throw new IllegalArgumentException("neither a reading nor a maintenance event: " + value);
        }
    }
}
