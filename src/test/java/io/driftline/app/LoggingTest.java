package io.driftline.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LoggingTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

    @AfterEach
    void detachTheFile() {
        Appender<ILoggingEvent> file = root.getAppender(Logging.FILE);
        if (file != null) {
            root.detachAppender(file);
            file.stop();
        }
    }

    @Test
    void shouldWriteEveryLoggerToTheFileOfTheLastDataDirectory(@TempDir Path dir) throws Exception {
        Path first = Logging.fileIn(dir.resolve("first"));
        Path second = Logging.fileIn(dir.resolve("second"));
        Logging.toFile(first, false);
        LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").warn("kafka warning one");
        Logging.toFile(second, false);
        LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").warn("kafka warning two");
        LoggerFactory.getLogger(LoggingTest.class).info("driftline message");

        assertThat(first).content().contains("WARN", "org.apache.kafka.clients.NetworkClient", "kafka warning one")
                .doesNotContain("kafka warning two");
        assertThat(second).content().contains("kafka warning two", "driftline message");
        assertThat(second.getParent().resolve("driftline.log")).isEqualTo(second);
        assertThat(Files.readAllLines(second)).hasSize(2);
    }

    @Test
    void shouldLetEverythingOnTheConsoleWhenVerbose(@TempDir Path dir) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(Logging.CONSOLE);
        console.addFilter(new ConsoleFilter());
        Appender<ILoggingEvent> original = root.getAppender(Logging.CONSOLE);
        root.detachAppender(original);
        root.addAppender(console);
        try {
            Logging.toFile(Logging.fileIn(dir), false);
            assertThat(console.getCopyOfAttachedFiltersList()).hasSize(1);
            Logging.toFile(Logging.fileIn(dir), true);
            assertThat(console.getCopyOfAttachedFiltersList()).isEmpty();
        } finally {
            root.detachAppender(console);
            root.addAppender(original);
        }
    }
}
