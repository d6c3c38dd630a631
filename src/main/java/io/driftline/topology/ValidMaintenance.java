package io.driftline.topology;

import io.driftline.avro.MaintenanceEvent;

/**
 * A maintenance event that decoded and passed validation, with the record's key and value as they
 * came: the device stage may still dead-letter it, and a dead letter is the original record.
 */
public record ValidMaintenance(MaintenanceEvent event, byte[] key, byte[] value) implements Decoded {
}
