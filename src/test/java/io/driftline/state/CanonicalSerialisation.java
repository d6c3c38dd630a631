package io.driftline.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * A value's Java serialisation with equal strings and boxed numbers as one object each. Java
 * serialisation writes a value again as a reference to its first occurrence only when it is the same
 * object, so two models equal in content serialise to different bytes when they share their strings
 * differently: a replayed model's come from the journal's string table where the live model's come
 * from the readings, a decoded model's feature names are those of the attributes in use where the
 * written ones were shared with its other fields, and a deserialised Integer is a new object where the
 * live model's small ones are the JDK's cached ones.
 */
final class CanonicalSerialisation {

    private CanonicalSerialisation() {
    }

    static byte[] of(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<Object, Object> canonical = new HashMap<>();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes) {
            {
                enableReplaceObject(true);
            }

            @Override
            protected Object replaceObject(Object object) {
                return object instanceof String || object instanceof Number || object instanceof Boolean
                        ? canonical.computeIfAbsent(object, same -> same) : object;
            }
        }) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }
}
