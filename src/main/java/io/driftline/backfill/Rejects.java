package io.driftline.backfill;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The rejects file: one CSV row per rejected row (file, line, reason, detail), created at the
 * first reject; and the counts by reason for the summary.
 */
public final class Rejects implements Closeable {

    private final Path file;
    private final Map<RejectReason, Long> counts = new EnumMap<>(RejectReason.class);
    private BufferedWriter out;

    public Rejects(Path file) {
        this.file = file;
    }

    void add(RejectedRow row) throws IOException {
        if (out == null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write("file,line,reason,detail\n");
        }
        out.write(quote(row.file()) + "," + row.line() + "," + row.reason() + "," + quote(row.detail()) + "\n");
        counts.merge(row.reason(), 1L, Long::sum);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    public Path file() {
        return file;
    }

    public Map<RejectReason, Long> counts() {
        return Collections.unmodifiableMap(new EnumMap<>(counts));
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
