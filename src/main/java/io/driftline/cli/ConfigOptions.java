package io.driftline.cli;

import io.driftline.app.Logging;
import io.driftline.config.DriftlineConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by every command that needs the configuration. Precedence: flags > env > file > defaults. */
final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file (see the README's configuration table).")
    Path file;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Override one configuration key, e.g. --set model.scope=device.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers; default: the embedded broker.")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "Schema registry URL; default: the embedded registry.")
    String registryUrl;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory for local state (default: data).")
    Path dataDir;

    @Option(names = {"-v", "--verbose"},
            description = "Show the whole log on the console, Kafka's own warnings included (it always goes to "
                    + "driftline.log in the data directory).")
    boolean verbose;

    DriftlineConfig load() {
        return load(Map.of());
    }

    /**
     * The configuration, with {@code commandDefaults} under the user's own flags; from here on the
     * log goes to the data directory's log file.
     */
    DriftlineConfig load(Map<String, ?> commandDefaults) {
        Map<String, Object> flags = new HashMap<>(overrides);
        if (bootstrapServers != null) {
            flags.put(DriftlineConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (registryUrl != null) {
            flags.put(DriftlineConfig.SCHEMA_REGISTRY_URL, registryUrl);
        }
        if (dataDir != null) {
            flags.put(DriftlineConfig.DATA_DIR, dataDir.toString());
        }
        DriftlineConfig config = DriftlineConfig.load(commandDefaults, file, System.getenv(), flags);
        Logging.toFile(Logging.fileIn(config.dataDir()), verbose);
        return config;
    }
}
