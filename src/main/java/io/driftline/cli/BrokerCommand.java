package io.driftline.cli;

import io.driftline.config.DriftlineConfig;
import io.driftline.kafka.EmbeddedKafkaBroker;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run the embedded Kafka broker (KRaft) alone, in the foreground.")
final class BrokerCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        DriftlineConfig config = options.load();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config.dataDir().resolve("kafka"),
                config.getInt(DriftlineConfig.EMBEDDED_BROKER_PORT),
                config.getInt(DriftlineConfig.EMBEDDED_CONTROLLER_PORT));
        System.err.printf("Kafka broker at %s. Ctrl-C stops.%n", broker.bootstrapServers());
        Shutdown.closeOnSignal(List.of(broker));
        return 0;
    }
}
