package io.driftline.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * JSON lines: one flat object per line, its fields read as a CSV row's columns (numbers and
 * strings alike; null is no value). Blank lines are skipped.
 */
final class JsonLines implements RowReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedReader in;
    private final LongSupplier bytesRead;
    private long line;

    JsonLines(BufferedReader in, LongSupplier bytesRead) {
        this.in = in;
        this.bytesRead = bytesRead;
    }

    @Override
    public HistoryRow next() throws IOException, RowException {
        String text;
        do {
            text = in.readLine();
            line++;
        } while (text != null && text.isBlank());
        if (text == null) {
            return null;
        }
        JsonNode object;
        try {
            object = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RowException(line, RejectReason.MALFORMED_JSON, e.getOriginalMessage());
        }
        if (object == null || !object.isObject()) {
            throw new RowException(line, RejectReason.MALFORMED_JSON, "not a JSON object");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isContainerNode()) {
                throw new RowException(line, RejectReason.MALFORMED_JSON, "field " + field.getKey() + " is not a plain value");
            }
            values.put(field.getKey(), value.isNull() ? "" : value.asText().strip());
        }
        return new HistoryRow(line, values);
    }

    @Override
    public Optional<List<String>> columns() {
        return Optional.empty();
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
