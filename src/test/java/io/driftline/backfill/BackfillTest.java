package io.driftline.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.MaintenanceKind;
import io.driftline.avro.SensorReading;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillTest {

    private static final HistoryColumns COLUMNS = new HistoryColumns("device_id", "machine_type", null, "event_time",
            ZoneOffset.UTC, null, Set.of("firmware"), Set.of("site"), Set.of("row"), "kind", "component", "description", ',');
    private static final Set<String> TYPES = Set.of("L", "M", "H");
    private static final Backfill.Progress QUIET = new Backfill.Progress() {
        @Override
        public void reading(long bytesRead, long totalBytes, long rows) {
        }

        @Override
        public void producing(long produced, long total) {
        }
    };

    @TempDir
    Path dir;

    /** What a backfill handed to its sinks, in order. */
    private record Produced(String key, SpecificRecord value, long timestamp) {
    }

    @Test
    void shouldProduceGoodRowsInEventTimeOrderAcrossFilesAndDevicesAndRejectTheRest() throws Exception {
        Path readings = Files.writeString(dir.resolve("readings.csv"), """
                row,device_id,machine_type,event_time,temperature_c,torque_nm,site,firmware
                1,d2,M,2026-01-01T00:02:00Z,70.5,40,north,v1
                2,d1,L,2026-01-01T00:01:00Z,60.0,,south,v2
                3,d1,L,not a time,61.0,41,south,v2
                4,d2,M,2026-01-01T00:00:00Z,70.0,39.5,north,v1
                5,,L,2026-01-01T00:03:00Z,62.0,42,south,v2
                6,d1,L,2026-01-01T00:00:00Z,sixty,42,south,v2
                7,d1,L,2026-01-01T00:00:00Z,59.5
                8,d3,X,2026-01-01T00:00:00Z,50.0,30,west,v1
                9,d1,L,1767225780000,62.5,43,south,v2
                """);
        Path later = gzip("later.csv.gz", """
                device_id,machine_type,event_time,temperature_c
                d2,M,2026-01-01 00:03:00,71.0
                d1,L,2026-01-01T00:02:00Z,61.5
                """);
        Path maintenance = Files.writeString(dir.resolve("maintenance.jsonl"), """
                {"device_id":"d1","event_time":"2026-01-01T00:02:30Z","kind":"failure","component":"spindle"}
                {"device_id":"d2","event_time":"2026-01-01T00:02:30Z","kind":"exploded"}
                {"device_id":"d2","event_time":"2026-01-01T00:01:00Z","kind":"preventive maintenance","description":"oiled"}
                """);
        Path rejectsFile = dir.resolve("rejects.csv");

        List<Produced> produced = new ArrayList<>();
        Backfill.Summary summary;
        Path spill = Files.createDirectory(dir.resolve("spill"));
        try (Rejects rejects = new Rejects(rejectsFile);
             Backfill backfill = Backfill.read(List.of(readings, later), List.of(maintenance), COLUMNS, TYPES, spill, 2,
                     rejects, QUIET)) {
            assertThat(backfill.oldestEventTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
            summary = backfill.produce((key, value, time) -> produced.add(new Produced(key, value, time)),
                    (key, value, time) -> produced.add(new Produced(key, value, time)), QUIET);
        }

        assertThat(produced).extracting(p -> p.key() + "@" + Instant.ofEpochMilli(p.timestamp()).toString().substring(11, 19)
                        + (p.value() instanceof MaintenanceEvent event ? " " + event.getKind() : ""))
                .containsExactly("d2@00:00:00", "d1@00:01:00", "d2@00:01:00 PREVENTIVE_MAINTENANCE", "d2@00:02:00",
                        "d1@00:02:00", "d1@00:02:30 FAILURE", "d1@00:03:00", "d2@00:03:00");
        for (Produced p : produced) {
            Instant eventTime = p.value() instanceof SensorReading reading ? reading.getEventTime()
                    : ((MaintenanceEvent) p.value()).getEventTime();
            assertThat(p.timestamp()).isEqualTo(eventTime.toEpochMilli());
        }
        List<SensorReading> d1 = readingsOf(produced, "d1");
        assertThat(d1).extracting(SensorReading::getSequence).containsExactly(1L, 2L, 3L);
        assertThat(readingsOf(produced, "d2")).extracting(SensorReading::getSequence).containsExactly(1L, 2L, 3L);
        SensorReading first = d1.get(0);
        assertThat(first.getSensors()).isEqualTo(Map.of("temperature_c", 60.0));
        assertThat(first.getAttributes()).isEqualTo(Map.of("firmware", "v2"));
        assertThat(first.getTags()).isEqualTo(Map.of("site", "south"));
        assertThat(first.getMachineType()).isEqualTo("L");
        assertThat(first.getLabel()).isNull();
        MaintenanceEvent failure = (MaintenanceEvent) produced.get(5).value();
        assertThat(failure.getComponent()).isEqualTo("spindle");
        assertThat(failure.getDescription()).isNull();

        assertThat(Files.readAllLines(rejectsFile)).containsExactly("file,line,reason,detail",
                "\"" + readings + "\",4,UNPARSABLE_TIME,\"column event_time: neither ISO-8601 nor epoch milliseconds: not a time\"",
                "\"" + readings + "\",6,MISSING_DEVICE_ID,\"column device_id is empty\"",
                "\"" + readings + "\",7,UNPARSABLE_NUMBER,\"column temperature_c: 'sixty'\"",
                "\"" + readings + "\",8,SHORT_ROW,\"5 fields, the header has 8\"",
                "\"" + readings + "\",9,UNKNOWN_MACHINE_TYPE,\"machine type 'X' is not in machine.types " + TYPES + "\"",
                "\"" + maintenance + "\",2,UNKNOWN_KIND,\"kind 'exploded' is none of "
                        + Arrays.toString(MaintenanceKind.values()) + "\"");
        assertThat(summary.readings()).isEqualTo(6);
        assertThat(summary.maintenanceEvents()).isEqualTo(2);
        assertThat(summary.devices()).isEqualTo(2);
        assertThat(summary.rejectedTotal()).isEqualTo(6);
        assertThat(summary.rejected()).containsEntry(RejectReason.UNPARSABLE_TIME, 1L).containsEntry(RejectReason.UNKNOWN_KIND, 1L);
        assertThat(summary.firstEventTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(summary.lastEventTime()).isEqualTo(Instant.parse("2026-01-01T00:03:00Z"));
        assertThat(summary.spilledRuns()).as("8 records in runs of 2").isEqualTo(4);
        try (Stream<Path> left = Files.list(spill)) {
            assertThat(left).as("runs deleted on close").isEmpty();
        }
    }

    @Test
    void shouldOrderTheSameWhetherItSpillsOrNot() throws Exception {
        StringBuilder csv = new StringBuilder("device_id,machine_type,event_time,value\n");
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 5_000; i++) {
            csv.append("d").append(random.nextInt(20)).append(",H,").append(1_000_000L + random.nextInt(600) * 1000L)
                    .append(',').append(i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("shuffled.csv"), csv);

        List<Produced> spilled = backfill(file, 97);
        List<Produced> inMemory = backfill(file, Backfill.RUN_SIZE);

        assertThat(spilled).hasSize(5_000).isEqualTo(inMemory);
        for (int i = 1; i < spilled.size(); i++) {
            Produced before = spilled.get(i - 1);
            Produced after = spilled.get(i);
            assertThat(after.timestamp()).isGreaterThanOrEqualTo(before.timestamp());
            if (after.timestamp() == before.timestamp()) {
                assertThat(value(after)).as("equal times keep the file's order").isGreaterThan(value(before));
            }
        }
    }

    @Test
    void shouldStopBeforeTheFirstRowWhenAFileLacksAColumnOrIsMissing() throws Exception {
        Path good = Files.writeString(dir.resolve("good.csv"), "device_id,machine_type,event_time,t\nd1,L,0,1\n");
        Path bad = Files.writeString(dir.resolve("bad.csv"), "device,machine_type,event_time,t\nd1,L,0,1\n");
        Path rejectsFile = dir.resolve("rejects.csv");

        try (Rejects rejects = new Rejects(rejectsFile)) {
            assertThatThrownBy(() -> Backfill.read(List.of(good, bad), List.of(), COLUMNS, TYPES, dir, 10, rejects, QUIET))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(bad + " has no column 'device_id' (its columns: device, machine_type, event_time, t)")
                    .hasMessageContaining("--device-column");
            assertThatThrownBy(() -> Backfill.read(List.of(good, dir.resolve("missing.csv")), List.of(), COLUMNS, TYPES, dir,
                    10, rejects, QUIET)).isInstanceOf(IOException.class).hasMessageContaining("no such file");
        }
        assertThat(rejectsFile).doesNotExist();
    }

    @Test
    void shouldStopLoudlyWhenAFileIsCutShort() throws Exception {
        StringBuilder csv = new StringBuilder("device_id,machine_type,event_time,value\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append("d1,L,").append(i).append(',').append(i).append('\n');
        }
        Path whole = gzip("whole.csv.gz", csv.toString());
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(dir.resolve("truncated.csv.gz"), Arrays.copyOf(bytes, bytes.length / 2));

        try (Rejects rejects = new Rejects(dir.resolve("rejects.csv"))) {
            assertThatThrownBy(() -> Backfill.read(List.of(truncated), List.of(), COLUMNS, TYPES, dir, 1000, rejects, QUIET))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(truncated + " could not be read to its end")
                    .hasMessageContaining("nothing was produced");
        }
    }

    @Test
    void shouldTakeTheDefaultMachineTypeAndTheLabelColumn() throws Exception {
        HistoryColumns columns = new HistoryColumns("id", "type", "H", "ts", ZoneOffset.UTC, "failed", Set.of(), Set.of(),
                Set.of(), "kind", "component", "description", ';');
        Path file = Files.writeString(dir.resolve("ai4i.csv"), "id;ts;torque;failed\nm1;0;40,5;\nm1;1000;41;failure\nm1;2000;42;\n");

        try (Rejects rejects = new Rejects(dir.resolve("rejects.csv"));
             Backfill backfill = Backfill.read(List.of(file), List.of(), columns, TYPES, dir, 10, rejects, QUIET)) {
            List<SensorReading> readings = new ArrayList<>();
            backfill.produce((key, reading, time) -> readings.add(reading), (key, event, time) -> { }, QUIET);
            assertThat(readings).extracting(SensorReading::getMachineType).containsExactly("H", "H");
            assertThat(readings).extracting(SensorReading::getLabel).containsExactly("failure", null);
            assertThat(readings.get(0).getSensors()).isEqualTo(Map.of("torque", 41.0));
            assertThat(rejects.counts()).containsExactly(Map.entry(RejectReason.UNPARSABLE_NUMBER, 1L));
        }
    }

    private List<Produced> backfill(Path file, int runSize) throws IOException {
        List<Produced> produced = new ArrayList<>();
        try (Rejects rejects = new Rejects(dir.resolve("rejects.csv"));
             Backfill backfill = Backfill.read(List.of(file), List.of(), COLUMNS, TYPES, dir, runSize, rejects, QUIET)) {
            backfill.produce((key, value, time) -> produced.add(new Produced(key, value, time)),
                    (key, value, time) -> produced.add(new Produced(key, value, time)), QUIET);
        }
        return produced;
    }

    private static double value(Produced produced) {
        return ((SensorReading) produced.value()).getSensors().get("value");
    }

    private static List<SensorReading> readingsOf(List<Produced> produced, String device) {
        return produced.stream().filter(p -> p.key().equals(device) && p.value() instanceof SensorReading)
                .map(p -> (SensorReading) p.value()).toList();
    }

    private Path gzip(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
