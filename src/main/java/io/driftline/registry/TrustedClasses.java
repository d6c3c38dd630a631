package io.driftline.registry;

import java.util.HashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Declares generated classes to Avro's class loading guard. Since 1.12.2, {@code SpecificData}
 * loads the class of every record, enum and fixed it reads only if {@link ClassSecurityValidator}
 * trusts it, and by default it trusts no application class (AVRO-4189): without this, every read
 * fails with a {@code SecurityException}. Trusting exactly the classes a serde was constructed
 * with, and the named types they contain, keeps the guard closed to class names that arrive with
 * data, unlike the {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property.
 */
public final class TrustedClasses {

    private static final Set<String> TRUSTED = new HashSet<>();

    private TrustedClasses() {
    }

    /** Trusts {@code type} and the generated classes of the named types in its schema. */
    public static synchronized void trust(Class<? extends SpecificRecord> type, Schema schema) {
        Set<String> names = new HashSet<>();
        collectNamedTypes(schema, names);
        names.removeAll(TRUSTED);
        if (names.isEmpty()) {
            return;
        }
        ClassSecurityValidator.Builder builder = ClassSecurityValidator.builder();
        for (String name : names) {
            builder.add(name);
        }
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                builder.build()));
        TRUSTED.addAll(names);
    }

    private static void collectNamedTypes(Schema schema, Set<String> names) {
        switch (schema.getType()) {
            case RECORD -> {
                if (names.add(schema.getFullName())) {
                    schema.getFields().forEach(field -> collectNamedTypes(field.schema(), names));
                }
            }
            case ENUM, FIXED -> names.add(schema.getFullName());
            case ARRAY -> collectNamedTypes(schema.getElementType(), names);
            case MAP -> collectNamedTypes(schema.getValueType(), names);
            case UNION -> schema.getTypes().forEach(branch -> collectNamedTypes(branch, names));
            default -> {
                // Primitive types load no class.
            }
        }
    }
}
