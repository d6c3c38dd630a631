package io.driftline.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What of the log reaches the console: Driftline's own messages, every error, and the one warning
 * of Kafka's clients a user must act on (a broker that cannot be reached), at most once a minute per
 * message. Kafka's other warnings (topics still being created, deprecation notes, rebalances) are
 * normal in a healthy run and go only to the log file ({@link Logging}), and so do the embedded
 * broker's errors about single produce or fetch requests: the broker answers them with an error
 * code, and the client retries or fails, which Driftline reports (e.g. a transactional producer's
 * first batches answered OUT_OF_ORDER_SEQUENCE_NUMBER while its previous transaction completes,
 * then accepted on retry).
 */
public final class ConsoleFilter extends Filter<ILoggingEvent> {

    static final Duration REPEAT_AFTER = Duration.ofMinutes(1);
    private static final String DRIFTLINE = "io.driftline";
    private static final String UNREACHABLE = "could not be established";
    private static final String BROKER_REQUESTS = "kafka.server.ReplicaManager";

    private final Map<String, Long> lastShown = new ConcurrentHashMap<>();

    @Override
    public FilterReply decide(ILoggingEvent event) {
        String logger = event.getLoggerName();
        if (logger.equals(DRIFTLINE) || logger.startsWith(DRIFTLINE + ".")
                || event.getLevel().isGreaterOrEqual(Level.ERROR) && !logger.equals(BROKER_REQUESTS)) {
            return FilterReply.NEUTRAL;
        }
        String template = event.getMessage();
        if (event.getLevel() == Level.WARN && template != null && template.contains(UNREACHABLE) && firstInAWhile(template, event.getTimeStamp())) {
            return FilterReply.NEUTRAL;
        }
        return FilterReply.DENY;
    }

    private boolean firstInAWhile(String template, long now) {
        boolean[] show = {false};
        lastShown.compute(template, (key, last) -> {
            show[0] = last == null || now - last >= REPEAT_AFTER.toMillis();
            return show[0] ? now : last;
        });
        return show[0];
    }
}
