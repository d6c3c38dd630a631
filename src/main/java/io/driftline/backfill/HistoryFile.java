package io.driftline.backfill;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Opens a history file: gzip when its first bytes say so (whatever its name), JSON lines when its
 * name (without .gz) ends in .jsonl, .ndjson or .json, CSV otherwise.
 */
final class HistoryFile {

    private static final int BUFFER = 1 << 16;

    private HistoryFile() {
    }

    static boolean isJsonLines(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - ".gz".length());
        }
        return name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json");
    }

    static RowReader open(Path file, char delimiter) throws IOException {
        Counting raw = new Counting(Files.newInputStream(file));
        try {
            InputStream in = new BufferedInputStream(raw, BUFFER);
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            if (gzip) {
                in = new GZIPInputStream(in, BUFFER);
            }
            BufferedReader text = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER);
            return isJsonLines(file) ? new JsonLines(text, raw::count) : new CsvRows(text, delimiter, raw::count);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Counts the bytes read from the file itself, for progress. */
    private static final class Counting extends FilterInputStream {

        private volatile long count;

        Counting(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
