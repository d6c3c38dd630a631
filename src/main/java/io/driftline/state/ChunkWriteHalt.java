package io.driftline.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test hook for crash tests: with the system property {@value #PROPERTY} set to a file path,
 * the first snapshot written in more than one chunk stops after its first chunk, inside the
 * commit: the file is created (the test's proof that the writer stopped there) and the writing
 * thread waits for ever, so that the test can kill the process between two chunks of one
 * transaction. Without the property it does nothing.
 */
final class ChunkWriteHalt {

    static final String PROPERTY = "driftline.test.halt-between-chunks";
    private static final String TARGET = System.getProperty(PROPERTY);
    private static final AtomicBoolean HALTED = new AtomicBoolean();

    private ChunkWriteHalt() {
    }

    /** Called between writing the first and the second chunk of a snapshot. */
    static void betweenChunks() {
        if (TARGET == null || !HALTED.compareAndSet(false, true)) {
            return;
        }
        try {
            Files.writeString(Path.of(TARGET), "halted between two chunks of a snapshot\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // Killed, not interrupted, ends this: that is the test.
            }
        }
    }
}
