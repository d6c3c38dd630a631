package io.driftline.learn;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A feature declared up front: numeric, or nominal with its values in order. Declaring the
 * features of a data set fixes the model's attribute order (and so reproduces a MOA stream's
 * header exactly); undeclared features are added as they appear.
 */
public record FeatureDef(String name, List<String> nominalValues) implements Serializable {

    public FeatureDef {
        Objects.requireNonNull(name, "name");
        nominalValues = List.copyOf(nominalValues);
    }

    public static FeatureDef numeric(String name) {
        return new FeatureDef(name, List.of());
    }

    public static FeatureDef nominal(String name, List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("nominal feature " + name + " needs at least one value");
        }
        return new FeatureDef(name, values);
    }

    public boolean isNominal() {
        return !nominalValues.isEmpty();
    }
}
