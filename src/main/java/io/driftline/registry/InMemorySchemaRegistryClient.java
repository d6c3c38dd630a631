package io.driftline.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * A registry in memory, for tests ({@code schema.registry.url=mock://<scope>}, like Confluent's
 * {@code MockSchemaRegistry}): every serde configured with the same scope shares one instance, so a
 * test's producer side and consumer side see the same ids. {@link #dropScope} forgets one.
 *
 * <p>Behaves like the real registry where Driftline depends on it: ids are registry-wide and
 * reused for equal schemas, versions count from 1 per subject, registering an existing schema is a
 * no-op, compatibility is enforced (default BACKWARD, checked with Avro's {@link
 * SchemaCompatibility}) and missing things raise the same error codes as Confluent's registry.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    /** Keyed by the schema's full JSON (docs included), as the real registry compares schemas. */
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    /**
     * Schemas registered under a subject, by the schema object: a serializer registers on every
     * record, and rendering the schema's JSON each time would make this client, and every benchmark
     * or test that uses it, far slower than the REST client, which caches the same way.
     */
    private final Map<SubjectSchema, Integer> registered = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;

    /** A fresh, unshared registry. */
    public InMemorySchemaRegistryClient() {
    }

    /** The registry shared under {@code scope}, created on first use. */
    public static InMemorySchemaRegistryClient forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, ignored -> new InMemorySchemaRegistryClient());
    }

    /** Forgets the registry of {@code scope}; clients already holding it keep it. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer known = registered.get(key);
        if (known != null) {
            return known;
        }
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        Integer existing = idsBySchemaText.get(schema.toString());
        if (existing != null && versions.contains(existing)) {
            registered.put(key, existing);
            return existing;
        }
        CompatibilityResult compatibility = testCompatibility(subject, schema);
        if (!compatibility.compatible()) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                            + "\": " + compatibility.messages());
        }
        int id = idsBySchemaText.computeIfAbsent(schema.toString(), ignored -> schemasById.size() + 1);
        schemasById.putIfAbsent(id, schema);
        versionsBySubject.computeIfAbsent(subject, ignored -> new ArrayList<>()).add(id);
        registered.put(key, id);
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        List<Integer> versions = existingVersions(subject);
        Integer id = idsBySchemaText.get(schema.toString());
        int index = id == null ? -1 : versions.indexOf(id);
        if (index < 0) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema not found under subject " + subject);
        }
        return new RegisteredSchema(subject, id, index + 1, schemasById.get(id));
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema getLatest(String subject) {
        return getVersion(subject, existingVersions(subject).size());
    }

    @Override
    public synchronized RegisteredSchema getVersion(String subject, int version) {
        List<Integer> versions = existingVersions(subject);
        if (version < 1 || version > versions.size()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND,
                    "Version " + version + " not found for subject " + subject);
        }
        int id = versions.get(version - 1);
        return new RegisteredSchema(subject, id, version, schemasById.get(id));
    }

    @Override
    public synchronized CompatibilityResult testCompatibility(String subject, Schema schema) {
        CompatibilityLevel level = getCompatibility(subject);
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (versions.isEmpty() || level == CompatibilityLevel.NONE) {
            return CompatibilityResult.ofCompatible();
        }
        List<Integer> checked = level.transitive() ? versions : versions.subList(versions.size() - 1, versions.size());
        List<String> messages = new ArrayList<>();
        for (int id : checked) {
            Schema earlier = schemasById.get(id);
            if (level.newMustReadOld()) {
                messages.addAll(incompatibilities(schema, earlier));
            }
            if (level.oldMustReadNew()) {
                messages.addAll(incompatibilities(earlier, schema));
            }
        }
        return new CompatibilityResult(messages.isEmpty(), messages);
    }

    private static List<String> incompatibilities(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities()
                .stream()
                .map(InMemorySchemaRegistryClient::describe)
                .toList();
    }

    private static String describe(Incompatibility incompatibility) {
        return "{errorType:'" + incompatibility.getType() + "', description:'" + incompatibility.getMessage()
                + "', location:'" + incompatibility.getLocation() + "'}";
    }

    @Override
    public synchronized CompatibilityLevel getCompatibility() {
        return globalLevel;
    }

    @Override
    public synchronized CompatibilityLevel getCompatibility(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    @Override
    public synchronized void setCompatibility(CompatibilityLevel level) {
        globalLevel = level;
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        subjectLevels.put(subject, level);
    }

    @Override
    public synchronized List<String> subjects() {
        return versionsBySubject.keySet().stream().sorted().toList();
    }

    private List<Integer> existingVersions(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    @Override
    public String toString() {
        return "InMemorySchemaRegistryClient" + subjects();
    }
}
