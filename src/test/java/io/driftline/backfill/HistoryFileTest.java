package io.driftline.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadQuotedFieldsLineBreaksBlankLinesAndAByteOrderMark() throws Exception {
        Path file = write("history.csv", "\uFEFFdevice_id,note,temp\r\n"
                + "d1, plain ,1.5\r\n"
                + "\r\n"
                + "d2,\"a, b \"\"quoted\"\"\",2\n"
                + "d3,\"two\nlines\",3\n"
                + "d4,,4\n");

        List<Object> rows = rows(file);

        assertThat(rows).containsExactly(
                new HistoryRow(2, Map.of("device_id", "d1", "note", "plain", "temp", "1.5")),
                new HistoryRow(4, Map.of("device_id", "d2", "note", "a, b \"quoted\"", "temp", "2")),
                new HistoryRow(5, Map.of("device_id", "d3", "note", "two\nlines", "temp", "3")),
                new HistoryRow(7, Map.of("device_id", "d4", "note", "", "temp", "4")));
    }

    @Test
    void shouldRejectShortLongAndUnterminatedRowsWithTheirLineAndReadOn() throws Exception {
        Path file = write("history.csv", "a,b,c\n1,2\n1,2,3,4\n1,2,3\n1,\"open,3\n");

        assertThat(rows(file)).containsExactly(
                new RejectedRow(file.toString(), 2, RejectReason.SHORT_ROW, "2 fields, the header has 3"),
                new RejectedRow(file.toString(), 3, RejectReason.LONG_ROW, "4 fields, the header has 3"),
                new HistoryRow(4, Map.of("a", "1", "b", "2", "c", "3")),
                new RejectedRow(file.toString(), 5, RejectReason.UNTERMINATED_QUOTE,
                        "a quoted field is still open at the end of the file"));
    }

    @Test
    void shouldUseTheDelimiterGiven() throws Exception {
        Path file = write("history.tsv", "a\tb\nx,y\tz\n");
        try (RowReader reader = HistoryFile.open(file, '\t')) {
            assertThat(reader.columns()).contains(List.of("a", "b"));
            assertThat(reader.next()).isEqualTo(new HistoryRow(2, Map.of("a", "x,y", "b", "z")));
        }
    }

    @Test
    void shouldReadGzipWhateverTheNameAndCountTheCompressedBytes() throws Exception {
        Path file = dir.resolve("export.csv");
        StringBuilder text = new StringBuilder("device_id,temp\n");
        for (int i = 0; i < 1000; i++) {
            text.append("d").append(i).append(',').append(i).append('\n');
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }

        List<Object> rows = rows(file);

        assertThat(rows).hasSize(1000).last().isEqualTo(new HistoryRow(1001, Map.of("device_id", "d999", "temp", "999")));
        try (RowReader reader = HistoryFile.open(file, ',')) {
            while (reader.next() != null) {
                assertThat(reader.bytesRead()).isLessThanOrEqualTo(Files.size(file));
            }
            assertThat(reader.bytesRead()).isEqualTo(Files.size(file));
        }
    }

    @Test
    void shouldReadJsonLinesAndRejectWhatIsNotAFlatObject() throws Exception {
        Path file = write("history.jsonl", "{\"device_id\":\"d1\",\"temp\":21.5,\"event_time\":1767225600000,\"site\":null}\n"
                + "\n"
                + "{\"device_id\":\"d2\",\n"
                + "[1,2]\n"
                + "{\"device_id\":\"d3\",\"sensors\":{\"temp\":1}}\n");

        List<Object> rows = rows(file);

        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).isEqualTo(new HistoryRow(1, Map.of("device_id", "d1", "temp", "21.5",
                "event_time", "1767225600000", "site", "")));
        assertThat(rows.subList(1, 4)).extracting(row -> ((RejectedRow) row).line() + " " + ((RejectedRow) row).reason())
                .containsExactly("3 MALFORMED_JSON", "4 MALFORMED_JSON", "5 MALFORMED_JSON");
        assertThat(HistoryFile.isJsonLines(Path.of("a.ndjson.gz"))).isTrue();
        assertThat(HistoryFile.isJsonLines(Path.of("a.csv.gz"))).isFalse();
    }

    @Test
    void shouldFailOnAnEmptyFileOrADuplicateColumn() throws Exception {
        assertThatThrownBy(() -> HistoryFile.open(write("empty.csv", "\n\n"), ',')).isInstanceOf(IOException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> HistoryFile.open(write("twice.csv", "a,b,a\n"), ',')).isInstanceOf(IOException.class)
                .hasMessageContaining("twice");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Every row of {@code file}, and every rejected row in its place. */
    private static List<Object> rows(Path file) throws IOException {
        List<Object> rows = new ArrayList<>();
        try (RowReader reader = HistoryFile.open(file, ',')) {
            while (true) {
                try {
                    HistoryRow row = reader.next();
                    if (row == null) {
                        return rows;
                    }
                    rows.add(row);
                } catch (RowException e) {
                    rows.add(e.in(file.toString()));
                }
            }
        }
    }
}
