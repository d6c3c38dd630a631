package io.driftline.backfill;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * CSV as spreadsheets and historians write it (RFC 4180): a header row, fields separated by the
 * delimiter, double quotes around fields that hold delimiters, quotes ("" inside) or line breaks.
 * Values are trimmed; blank lines are skipped; line numbers are those of the file.
 */
final class CsvRows implements RowReader {

    private final BufferedReader in;
    private final char delimiter;
    private final LongSupplier bytesRead;
    private final List<String> header;
    private long line;

    CsvRows(BufferedReader in, char delimiter, LongSupplier bytesRead) throws IOException {
        this.in = in;
        this.delimiter = delimiter;
        this.bytesRead = bytesRead;
        String first = nonBlankLine();
        if (first == null) {
            throw new IOException("no header row: the file is empty");
        }
        if (first.startsWith("\uFEFF")) {
            first = first.substring(1);
        }
        try {
            this.header = fields(first, line);
        } catch (RowException e) {
            throw new IOException("header row: " + e.getMessage(), e);
        }
        if (new HashSet<>(header).size() != header.size()) {
            throw new IOException("the header row names a column twice: " + header);
        }
    }

    @Override
    public HistoryRow next() throws IOException, RowException {
        String text = nonBlankLine();
        if (text == null) {
            return null;
        }
        long start = line;
        List<String> fields = fields(text, start);
        if (fields.size() != header.size()) {
            throw new RowException(start, fields.size() < header.size() ? RejectReason.SHORT_ROW : RejectReason.LONG_ROW,
                    fields.size() + " fields, the header has " + header.size());
        }
        Map<String, String> values = new LinkedHashMap<>(header.size() * 2);
        for (int i = 0; i < fields.size(); i++) {
            values.put(header.get(i), fields.get(i));
        }
        return new HistoryRow(start, values);
    }

    /** The fields of the row starting with {@code text}; reads further lines while a quoted field is open. */
    private List<String> fields(String text, long start) throws IOException, RowException {
        List<String> fields = new ArrayList<>(header == null ? 16 : header.size());
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int i = 0;
        while (true) {
            if (i == text.length()) {
                if (!quoted) {
                    break;
                }
                text = in.readLine();
                if (text == null) {
                    throw new RowException(start, RejectReason.UNTERMINATED_QUOTE, "a quoted field is still open at the end of the file");
                }
                line++;
                field.append('\n');
                i = 0;
                continue;
            }
            char c = text.charAt(i++);
            if (quoted) {
                if (c != '"') {
                    field.append(c);
                } else if (i < text.length() && text.charAt(i) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == delimiter) {
                fields.add(wasQuoted ? field.toString() : field.toString().strip());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.toString().isBlank()) {
                field.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else {
                field.append(c);
            }
        }
        fields.add(wasQuoted ? field.toString() : field.toString().strip());
        return fields;
    }

    private String nonBlankLine() throws IOException {
        String text;
        do {
            text = in.readLine();
            line++;
        } while (text != null && text.isBlank());
        return text;
    }

    @Override
    public Optional<List<String>> columns() {
        return Optional.of(header);
    }

    @Override
    public long bytesRead() {
        return bytesRead.getAsLong();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
