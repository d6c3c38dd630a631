package io.driftline.cli;

import io.driftline.app.DriftlineService;
import io.driftline.app.Infrastructure;
import io.driftline.app.Logging;
import io.driftline.config.DriftlineConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the Driftline topology (embedded broker and registry unless servers are given).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        DriftlineConfig config = options.load();
        Infrastructure infrastructure = Infrastructure.start(config);
        DriftlineService service = DriftlineService.start(config, infrastructure);
        System.err.printf("Driftline running: %s. Ctrl-C stops. Full log: %s%n", infrastructure,
                Logging.fileIn(config.dataDir()));
        service.httpUrl(config.getString(DriftlineConfig.HTTP_HOST))
                .ifPresent(url -> System.err.printf("HTTP API and dashboard: %s%n", url));
        Shutdown.closeOnSignal(List.of(service, infrastructure));
        return 0;
    }
}
