package io.driftline.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API Driftline needs, for Avro schemas only (no schema
 * references, contexts, modes or deletes: Driftline's schemas are self-contained and managed by
 * their producers). Implementations are thread-safe; every method throws {@link
 * SchemaRegistryException} when the registry refuses or cannot be reached.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (a no-op returning the existing id if it is
     * already there) and returns its registry-wide id. Refused with HTTP 409 when incompatible with
     * the subject's compatibility level.
     */
    int register(String subject, Schema schema);

    /** The version of {@code subject} equal to {@code schema}; HTTP 404 if there is none. */
    RegisteredSchema lookup(String subject, Schema schema);

    /** The schema with registry id {@code id}; HTTP 404 with error code 40403 if there is none. */
    Schema getById(int id);

    /** The newest version of {@code subject}. */
    RegisteredSchema getLatest(String subject);

    /** Version {@code version} (from 1) of {@code subject}. */
    RegisteredSchema getVersion(String subject, int version);

    /**
     * Whether {@code schema} could be registered under {@code subject} now. A subject without
     * versions accepts anything.
     */
    CompatibilityResult testCompatibility(String subject, Schema schema);

    /** The registry-wide default compatibility level. */
    CompatibilityLevel getCompatibility();

    /** The level that applies to {@code subject}: its own, else the registry-wide default. */
    CompatibilityLevel getCompatibility(String subject);

    void setCompatibility(CompatibilityLevel level);

    void setCompatibility(String subject, CompatibilityLevel level);

    /** All subjects, sorted. */
    List<String> subjects();
}
