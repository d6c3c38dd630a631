/**
 * Avro on Kafka the Confluent way, without Confluent's jars (they are not on Maven Central): a
 * client for the Confluent Schema Registry REST API ({@link io.driftline.registry.RestSchemaRegistryClient}),
 * an in-memory registry for tests ({@link io.driftline.registry.InMemorySchemaRegistryClient},
 * {@code mock://<scope>}), serdes speaking the Confluent wire format
 * ({@link io.driftline.registry.SpecificAvroSerde}, {@link io.driftline.registry.GenericAvroSerde})
 * and a launcher for a local Apicurio registry ({@link io.driftline.registry.RegistryServer}).
 *
 * <p>Two failure types, deliberately distinct: {@link io.driftline.registry.InvalidPayloadException}
 * means the bytes of one record are bad (dead-letter the record), {@link
 * io.driftline.registry.SchemaRegistryException} means the registry could not answer (retry or
 * stop; never dead-letter good records because of it).
 */
package io.driftline.registry;
