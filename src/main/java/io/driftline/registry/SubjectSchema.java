package io.driftline.registry;

import org.apache.avro.Schema;

/** A schema under a subject: the key of the clients' caches of registrations and lookups. */
record SubjectSchema(String subject, Schema schema) {
}
