package io.driftline.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Where the log goes once a command knows its data directory: everything logged to a file there,
 * and to the console only what {@link ConsoleFilter} lets through, unless {@code verbose}.
 */
public final class Logging {

    /** The console appender's name in logback.xml. */
    static final String CONSOLE = "STDERR";
    static final String FILE = "FILE";
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger - %msg%n";

    private Logging() {
    }

    /** The log file of a command whose data directory is {@code dataDir}. */
    public static Path fileIn(Path dataDir) {
        return dataDir.resolve("driftline.log");
    }

    /** Appends the whole log to {@code file} (replacing an earlier log file of this JVM); {@code verbose} shows it all on the console too. */
    public static void toFile(Path file, boolean verbose) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName(FILE);
        appender.setFile(file.toAbsolutePath().toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        Appender<ILoggingEvent> previous = root.getAppender(FILE);
        root.addAppender(appender);
        if (previous != null) {
            root.detachAppender(previous);
            previous.stop();
        }
        Appender<ILoggingEvent> console = root.getAppender(CONSOLE);
        if (verbose && console != null) {
            console.clearAllFilters();
        }
    }
}
