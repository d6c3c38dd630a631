package io.driftline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.avro.MaintenanceEvent;
import io.driftline.avro.SensorReading;
import io.driftline.backfill.Backfill;
import io.driftline.backfill.HistoryColumns;
import io.driftline.backfill.Rejects;
import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.TopicAdmin;
import io.driftline.sim.RecordPublisher;
import io.driftline.topology.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Produce history files (historian exports) as SensorReadings and MaintenanceEvents with their "
                + "original event times, in event-time order across files and devices.",
                "CSV with a header row (one numeric column per sensor) or JSON lines (.jsonl, .ndjson, .json), "
                        + "gzip accepted. Bad rows go to the rejects file with their line number and reason.",
                "Prints, last, one JSON line with the counts. Exit status 0: every row produced; "
                        + "3: the good rows produced, some rejected; 1: an error, nothing produced "
                        + "(or, if the broker failed while producing, the records it did not acknowledge are counted)."})
final class BackfillCommand implements Callable<Integer> {

    /** Exit status when every good row was produced and some rows were rejected. */
    static final int SOME_REJECTED = 3;

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--readings", arity = "1..*", paramLabel = "FILE",
            description = "Readings history files (a shell glob works).")
    List<Path> readings = new ArrayList<>();

    @Option(names = "--maintenance", arity = "1..*", paramLabel = "FILE",
            description = "Maintenance history files: device, time, kind, optional component and description.")
    List<Path> maintenance = new ArrayList<>();

    @Option(names = "--device-column", defaultValue = "device_id", paramLabel = "NAME",
            description = "Device id column of both kinds of file (default: ${DEFAULT-VALUE}).")
    String deviceColumn;

    @Option(names = "--machine-type-column", defaultValue = "machine_type", paramLabel = "NAME",
            description = "Machine type column of readings (default: ${DEFAULT-VALUE}).")
    String machineTypeColumn;

    @Option(names = "--machine-type", paramLabel = "TYPE",
            description = "Machine type of readings whose machine type column is absent or empty.")
    String machineType;

    @Option(names = "--time-column", defaultValue = "event_time", paramLabel = "NAME",
            description = "Event time column of both kinds of file: ISO-8601 or epoch milliseconds (default: ${DEFAULT-VALUE}).")
    String timeColumn;

    @Option(names = "--time-zone", defaultValue = "UTC", paramLabel = "ZONE",
            description = "Zone of ISO-8601 times written without an offset, e.g. Europe/Berlin (default: ${DEFAULT-VALUE}).")
    ZoneId zone;

    @Option(names = "--attribute-columns", split = ",", paramLabel = "NAME",
            description = "Text columns that are nominal attributes the models learn from (e.g. firmware).")
    List<String> attributeColumns = new ArrayList<>();

    @Option(names = "--tag-columns", split = ",", paramLabel = "NAME",
            description = "Text columns kept as tags, not learned from (e.g. site, gateway).")
    List<String> tagColumns = new ArrayList<>();

    @Option(names = "--ignore-columns", split = ",", paramLabel = "NAME",
            description = "Columns left out (row numbers, free text).")
    List<String> ignoreColumns = new ArrayList<>();

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "In-band label column (the class of each reading, when the history has it).")
    String labelColumn;

    @Option(names = "--kind-column", defaultValue = "kind", paramLabel = "NAME",
            description = "Maintenance kind column: FAILURE, REPAIR, INSPECTION, PREVENTIVE_MAINTENANCE (default: ${DEFAULT-VALUE}).")
    String kindColumn;

    @Option(names = "--component-column", defaultValue = "component", paramLabel = "NAME",
            description = "Maintenance component column, if present (default: ${DEFAULT-VALUE}).")
    String componentColumn;

    @Option(names = "--description-column", defaultValue = "description", paramLabel = "NAME",
            description = "Maintenance description column, if present (default: ${DEFAULT-VALUE}).")
    String descriptionColumn;

    @Option(names = "--delimiter", defaultValue = ",", paramLabel = "CHAR",
            description = "CSV field delimiter; 'tab' for tabs (default: ${DEFAULT-VALUE}).")
    String delimiter;

    @Option(names = "--rejects", paramLabel = "FILE",
            description = "Where rejected rows go (file, line, reason, detail); default: backfill-rejects.csv in the data directory.")
    Path rejectsFile;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "R",
            description = "Readings per second; 0: as fast as the producer goes (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--dry-run", description = "Read, check and order the files and report, without producing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        if (readings.isEmpty() && maintenance.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give --readings FILE and/or --maintenance FILE");
        }
        DriftlineConfig config = options.load();
        HistoryColumns columns = new HistoryColumns(deviceColumn, machineTypeColumn, machineType, timeColumn, zone,
                labelColumn, new HashSet<>(attributeColumns), new HashSet<>(tagColumns), new HashSet<>(ignoreColumns),
                kindColumn, componentColumn, descriptionColumn, delimiter());
        Path rejectsPath = rejectsFile != null ? rejectsFile : config.dataDir().resolve("backfill-rejects.csv");
        Files.deleteIfExists(rejectsPath);
        Files.createDirectories(config.dataDir());
        Path spillDir = Files.createTempDirectory(config.dataDir(), "backfill-");
        ProgressBar progress = new ProgressBar(System.err, System.console() != null, System::nanoTime);
        long started = System.nanoTime();
        Backfill.Summary summary;
        Topics topics = Topics.from(config, config.registryClientSettings(config.registryUrlToConnect()));
        try (Rejects rejects = new Rejects(rejectsPath);
             Backfill backfill = Backfill.read(readings, maintenance, columns, new HashSet<>(config.getList(
                     DriftlineConfig.MACHINE_TYPES)), spillDir, Backfill.RUN_SIZE, rejects, progress)) {
            progress.finish();
            if (dryRun) {
                summary = backfill.unproduced();
            } else {
                summary = produce(config, topics, backfill, progress);
            }
        } catch (IOException | IllegalStateException e) {
            // The messages say what was produced (nothing, unless the broker failed mid-way) and what to do.
            progress.finish();
            System.err.println("backfill: " + e.getMessage());
            return 1;
        } finally {
            progress.finish();
            Utils.delete(spillDir.toFile());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        report(summary, topics, rejectsPath, seconds);
        return summary.rejectedTotal() > 0 ? SOME_REJECTED : 0;
    }

    private Backfill.Summary produce(DriftlineConfig config, Topics topics, Backfill backfill, ProgressBar progress)
            throws Exception {
        Map<String, Object> clientSettings = config.kafkaClientSettings();
        List<String> names = List.of(topics.readings().name(), topics.maintenance().name());
        TopicAdmin.ensureTopics(clientSettings, names, config.getInt(DriftlineConfig.TOPIC_PARTITIONS),
                config.getShort(DriftlineConfig.TOPIC_REPLICATION_FACTOR), Duration.ofSeconds(60));
        checkRetention(TopicAdmin.retentionMs(clientSettings, names), backfill);
        try (RecordPublisher<String, SensorReading> readingPublisher = new RecordPublisher<>(clientSettings,
                topics.readings(), rate);
             RecordPublisher<String, MaintenanceEvent> maintenancePublisher = new RecordPublisher<>(clientSettings,
                     topics.maintenance(), 0)) {
            return backfill.produce(readingPublisher::publish, maintenancePublisher::publish, progress);
        }
    }

    /**
     * Refuses to produce records the broker would delete at once: a topic's time-based retention
     * counts from the record timestamps, which are the history's event times (docs/reliability.md).
     */
    private static void checkRetention(Map<String, Long> retention, Backfill backfill) {
        Instant oldest = backfill.oldestEventTime();
        if (oldest == null) {
            return;
        }
        retention.forEach((topic, millis) -> {
            if (millis >= 0 && oldest.isBefore(Instant.now().minusMillis(millis))) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s keeps records for retention.ms=%d (%s) "
                        + "and the history starts at %s: the broker would delete the backfilled records as they "
                        + "arrive. Give %s a retention that covers the history (or retention.ms=-1) first; "
                        + "see docs/reliability.md.", topic, millis, Duration.ofMillis(millis), oldest, topic));
            }
        });
    }

    private char delimiter() {
        if (delimiter.equalsIgnoreCase("tab") || delimiter.equals("\\t")) {
            return '\t';
        }
        if (delimiter.length() != 1) {
            throw new ParameterException(spec.commandLine(), "--delimiter must be one character or 'tab': " + delimiter);
        }
        return delimiter.charAt(0);
    }

    private void report(Backfill.Summary summary, Topics topics, Path rejectsPath, double seconds) throws Exception {
        if (dryRun) {
            System.err.printf(Locale.ROOT, "Dry run: nothing produced (%.1f s).%n", seconds);
        } else {
            System.err.printf(Locale.ROOT, "Backfilled %,d readings to %s and %,d maintenance events to %s, "
                            + "%,d devices, event times %s to %s, in %.1f s.%n", summary.readings(),
                    topics.readings().name(), summary.maintenanceEvents(), topics.maintenance().name(),
                    summary.devices(), summary.firstEventTime(), summary.lastEventTime(), seconds);
        }
        if (summary.rejectedTotal() > 0) {
            System.err.printf(Locale.ROOT, "Rejected %,d rows (%s): each with its file, line and reason in %s.%n",
                    summary.rejectedTotal(), summary.rejected().entrySet().stream()
                            .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", ")),
                    rejectsPath);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("readings", summary.readings());
        line.put("maintenance_events", summary.maintenanceEvents());
        line.put("devices", summary.devices());
        line.put("first_event_time", summary.firstEventTime() == null ? null : summary.firstEventTime().toString());
        line.put("last_event_time", summary.lastEventTime() == null ? null : summary.lastEventTime().toString());
        line.put("rejected", summary.rejectedTotal());
        Map<String, Long> reasons = new LinkedHashMap<>();
        summary.rejected().forEach((reason, count) -> reasons.put(reason.name(), count));
        line.put("rejected_by_reason", reasons);
        line.put("rejects_file", summary.rejectedTotal() > 0 ? rejectsPath.toString() : null);
        line.put("dry_run", dryRun);
        line.put("seconds", Math.round(seconds * 10) / 10.0);
        System.out.println(new ObjectMapper().writeValueAsString(line));
    }
}
