package io.driftline.registry;

import java.util.List;

/**
 * The registry's verdict on a candidate schema.
 *
 * @param compatible whether the schema may be registered under the subject's compatibility level
 * @param messages why not, as the registry worded it (Confluent's {@code messages}, Apicurio's
 *     {@code reason}); may be empty even when incompatible
 */
public record CompatibilityResult(boolean compatible, List<String> messages) {

    public CompatibilityResult {
        messages = List.copyOf(messages);
    }

    public static CompatibilityResult ofCompatible() {
        return new CompatibilityResult(true, List.of());
    }
}
