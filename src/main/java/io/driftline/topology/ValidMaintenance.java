package io.driftline.topology;

import io.driftline.avro.MaintenanceEvent;

/** A maintenance event that decoded and passed validation. */
public record ValidMaintenance(MaintenanceEvent event) implements Decoded {
}
