package io.driftline.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a foreground command running until Ctrl-C (SIGINT) or SIGTERM, then closes what it started. */
final class Shutdown {

    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {
    }

    /** Blocks until the JVM is asked to stop; closes {@code resources} in the given order first. */
    static void closeOnSignal(List<? extends AutoCloseable> resources) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            resources.forEach(Shutdown::closeQuietly);
            closed.countDown();
        }, "driftline-shutdown"));
        closed.await();
    }

    static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("Error while stopping {}", resource, e);
        }
    }
}
