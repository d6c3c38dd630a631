package io.driftline.learn.legacy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/** Bytes of this package's former serial forms, read as the current classes, as a checkpoint written by an older Driftline is. */
public final class OlderCheckpoints {

    private OlderCheckpoints() {
    }

    /** {@code old} serialised, then read back with its class taken for {@code current}, the class of the same simple name. */
    public static <T> T readAs(Object old, Class<T> current) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(old);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass type) throws IOException, ClassNotFoundException {
                return type.getName().equals(old.getClass().getName()) ? current : super.resolveClass(type);
            }
        }) {
            return current.cast(in.readObject());
        }
    }
}
