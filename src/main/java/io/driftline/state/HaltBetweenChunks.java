package io.driftline.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test hook for the crash test of chunked checkpoints: halts the JVM while a chunked checkpoint
 * is half written, between its first and its second chunk, as a power cut would. Off unless the
 * system property {@value #PROPERTY} names a file; then it fires at the first chunked write after
 * that file exists (the test creates it once the run is far enough in), records that it fired in
 * {@link #firedMarker} and halts: no shutdown hook, no flush, the transaction left open.
 */
public final class HaltBetweenChunks {

    public static final String PROPERTY = "driftline.test.halt-between-chunks";
    /** The exit status of a halted JVM (as after SIGKILL). */
    public static final int STATUS = 137;

    // Read once: the hook costs nothing when the property is not set.
    private static final Path ARMED = armedFile(System.getProperty(PROPERTY));

    private HaltBetweenChunks() {
    }

    /** The file the hook writes, next to {@code armed}, just before it halts. */
    public static Path firedMarker(Path armed) {
        return armed.resolveSibling(armed.getFileName() + ".fired");
    }

    /** Called between the first and the second chunk of a chunked checkpoint of {@code key}. */
    static void betweenChunks(String key, int chunks) {
        if (ARMED != null && Files.exists(ARMED)) {
            try {
                Files.writeString(firedMarker(ARMED), "halted after chunk 1 of " + chunks + " of " + key + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().halt(STATUS);
        }
    }

    private static Path armedFile(String property) {
        return property == null || property.isBlank() ? null : Path.of(property);
    }
}
