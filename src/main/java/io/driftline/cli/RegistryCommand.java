package io.driftline.cli;

import io.driftline.config.DriftlineConfig;
import io.driftline.registry.RegistryServer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Run the embedded schema registry (Apicurio, Confluent-compatible API) alone.")
final class RegistryCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        DriftlineConfig config = options.load();
        RegistryServer registry = RegistryServer.start(config.getInt(DriftlineConfig.EMBEDDED_REGISTRY_PORT),
                config.dataDir().resolve("registry"));
        System.err.printf("Schema registry at %s. Ctrl-C stops.%n", registry.url());
        Shutdown.closeOnSignal(List.of(registry));
        return 0;
    }
}
