package io.driftline.registry;

import io.driftline.tls.StoreFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Confluent-compatible schema registry (Apicurio Registry 2.4.2 with H2 storage) in a child
 * JVM, for the demo and integration tests; dev/test only (Quarkus 2.16 is end of life).
 *
 * <p>Bound to 127.0.0.1, plain HTTP or, given a key store ({@link Https}), HTTPS only. With a data directory the schemas and their ids survive restarts (H2 file
 * {@code <dir>/registry.mv.db}); without one they live in memory. The child's output goes to
 * {@code registry.log} in the data directory (else under {@code target/} or the temp dir). Like
 * Confluent's registry and unlike Apicurio's default, new schemas must be BACKWARD compatible.
 *
 * <p>{@link #close()} stops the child and its descendants; a shutdown hook does the same when the
 * parent JVM exits (Ctrl-C, SIGTERM). A parent killed with SIGKILL cannot run hooks: its orphaned
 * registry is found through {@code registry.pid} in the data directory and stopped at the next start.
 */
public final class RegistryServer implements AutoCloseable {

    /** System property naming the runnable jar (set by the build for integration tests). */
    public static final String JAR_PROPERTY = "driftline.registry.jar";
    /** Environment variable naming the runnable jar. */
    public static final String JAR_ENVIRONMENT = "DRIFTLINE_REGISTRY_JAR";
    /** Where the jar is looked for, relative to the working directory, when neither names it. */
    public static final Path DEFAULT_JAR = Path.of("src/registry-server/target/driftline-registry-server-runner.jar");
    public static final String API_PATH = "/apis/ccompat/v7";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int PORT_ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(RegistryServer.class);

    /**
     * Serve HTTPS only, with the certificate and key of {@code keyStore}; {@code client} is how
     * this launcher reaches it to see that it is up (it must trust that certificate).
     */
    public record Https(StoreFile keyStore, SSLContext client) {
    }

    private final Process process;
    private final int port;
    private final Https https;
    private final Path logFile;
    private final Path pidFile;
    private final Thread shutdownHook;

    private RegistryServer(Process process, int port, Https https, Path logFile, Path pidFile) {
        this.process = process;
        this.port = port;
        this.https = https;
        this.logFile = logFile;
        this.pidFile = pidFile;
        this.shutdownHook = new Thread(this::stop, "driftline-registry-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** An in-memory registry on {@code port} (0: a free port). */
    public static RegistryServer start(int port) {
        return start(port, null);
    }

    /**
     * A registry on {@code port} (0: a free port) keeping its data in {@code dataDir} (null: in
     * memory); returns once it answers requests.
     *
     * @throws IllegalStateException if the jar is missing or the registry does not come up
     */
    public static RegistryServer start(int port, Path dataDir) {
        return start(port, dataDir, null);
    }

    /** As {@link #start(int, Path)}, over HTTPS only when {@code https} is not null. */
    public static RegistryServer start(int port, Path dataDir, Https https) {
        Path jar = locateJar();
        try {
            Path logDir = dataDir != null ? dataDir : defaultLogDir();
            Files.createDirectories(logDir);
            Path pidFile = dataDir == null ? null : dataDir.resolve("registry.pid");
            if (pidFile != null) {
                stopOrphan(pidFile, jar);
            }
            IllegalStateException failure = null;
            for (int attempt = 0; attempt < (port == 0 ? PORT_ATTEMPTS : 1); attempt++) {
                int chosen = port == 0 ? freePort() : port;
                Path logFile = logDir.resolve(dataDir != null ? "registry.log" : "registry-" + chosen + ".log");
                Process process = launch(jar, chosen, dataDir, https, logFile);
                RegistryServer server = new RegistryServer(process, chosen, https, logFile, pidFile);
                try {
                    server.awaitReady();
                    if (pidFile != null) {
                        Files.writeString(pidFile, Long.toString(process.pid()));
                    }
                    log.info("Schema registry at {} (pid {}, log {})", server.url(), process.pid(), logFile);
                    return server;
                } catch (IllegalStateException e) {
                    // A free port picked here can be taken before the child binds it: try another.
                    server.close();
                    failure = e;
                }
            }
            throw failure;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the schema registry", e);
        }
    }

    /** The Confluent-compatible API's base URL, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}. */
    public String url() {
        return (https == null ? "http" : "https") + "://127.0.0.1:" + port + API_PATH;
    }

    public int port() {
        return port;
    }

    /** The registry JVM's process id. */
    public long pid() {
        return process.pid();
    }

    /** Where the registry's own output goes. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the registry (gracefully, so H2 closes its file; forcibly after 15 s). Idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or will run: stopping twice is harmless.
        }
        stop();
    }

    @Override
    public String toString() {
        return "RegistryServer[" + url() + ", pid " + process.pid() + "]";
    }

    private void stop() {
        ProcessHandle handle = process.toHandle();
        List<ProcessHandle> descendants = handle.descendants().toList();
        handle.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("Schema registry (pid {}) did not stop in {} s; killing it", process.pid(),
                        STOP_TIMEOUT.toSeconds());
                handle.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (pidFile != null && !process.isAlive()) {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                log.debug("Cannot delete {}", pidFile, e);
            }
        }
    }

    private static Process launch(Path jar, int port, Path dataDir, Https https, Path logFile) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A small registry on a shared machine: one GC thread, C1 only (faster start, less CPU).
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx512m",
                "-Dquarkus.profile=prod",
                "-Dquarkus.http.host=127.0.0.1",
                "-DHTTP_PORT=" + port,
                // Confluent's default; Apicurio's own default accepts any change.
                "-Dregistry.rules.global.compatibility=BACKWARD"));
        if (dataDir != null) {
            command.add("-DREGISTRY_DATASOURCE_URL=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry"));
        }
        if (https != null) {
            command.addAll(List.of("-Dquarkus.http.ssl-port=" + port, "-Dquarkus.http.insecure-requests=disabled",
                    "-Dquarkus.http.ssl.certificate.key-store-file=" + https.keyStore().location().toAbsolutePath(),
                    "-Dquarkus.http.ssl.certificate.key-store-file-type=" + https.keyStore().type()));
        }
        command.addAll(List.of("-jar", jar.toString()));
        Files.writeString(logFile, "--- " + Instant.now() + " " + String.join(" ", command) + System.lineSeparator(),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        if (https != null && https.keyStore().password() != null) {
            // In the environment, not on the command line: the line above is logged, and ps shows it.
            builder.environment().put("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_STORE_PASSWORD", https.keyStore().password());
        }
        return builder.start();
    }

    private void awaitReady() {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (https != null) {
            client.sslContext(https.client());
        }
        HttpClient http = client.build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The schema registry exited with code " + process.exitValue()
                        + " during start-up; see " + logFile + ":" + System.lineSeparator() + tail(logFile));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
            }
        }
        throw new IllegalStateException("The schema registry did not answer within " + STARTUP_TIMEOUT.toSeconds()
                + " s; see " + logFile);
    }

    static Path locateJar() {
        String configured = Optional.ofNullable(System.getProperty(JAR_PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv(JAR_ENVIRONMENT)))
                .orElse(DEFAULT_JAR.toString());
        Path jar = Path.of(configured).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Schema registry jar not found at " + jar + ". Build it once with "
                    + "'mvn -f src/registry-server/pom.xml package -DskipTests -Dcheckstyle.skip -Denforcer.skip' "
                    + "(any root build does it when the jar is missing), or point -D" + JAR_PROPERTY + " / "
                    + JAR_ENVIRONMENT + " at it.");
        }
        return jar;
    }

    /** Stops a registry left running on this data directory by a parent that was killed outright. */
    private static void stopOrphan(Path pidFile, Path jar) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String recorded = Files.readString(pidFile).strip();
        Files.delete(pidFile);
        long pid;
        try {
            pid = Long.parseLong(recorded);
        } catch (NumberFormatException e) {
            return;
        }
        // Only a process running our jar: the pid may have been reused by something else since.
        ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().commandLine().map(line -> line.contains(jar.getFileName().toString()))
                        .orElse(false))
                .ifPresent(orphan -> {
                    log.warn("Stopping schema registry pid {} left running on {}", pid, pidFile.getParent());
                    orphan.destroy();
                    orphan.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                            .exceptionally(timeout -> {
                                orphan.destroyForcibly();
                                return orphan;
                            })
                            .join();
                });
    }

    private static Path defaultLogDir() throws IOException {
        Path target = Path.of("target");
        return Files.isDirectory(target) ? target : Files.createTempDirectory("driftline-registry");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
