package io.driftline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.config.DriftlineConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.types.Password;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Model bundles in and out of a running deployment, through its HTTP API (the bearer token is the
 * configuration's {@code http.token}): the upgrade procedure's "export all" and "import all", and
 * seeding a model key of another deployment.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Export models of a running Driftline as bundles, or import bundles into one.",
        subcommands = {ModelBundleCommand.Export.class, ModelBundleCommand.Import.class})
final class ModelBundleCommand {

    /** Bundles are written as {@code <model key>.bundle.json}; the key inside is what an import uses. */
    static final String SUFFIX = ".bundle.json";

    /** Where the deployment's API is, and how to reach it. */
    static final class Api {

        @Mixin
        ConfigOptions options;

        @Option(names = "--url", paramLabel = "URL",
                description = "The API of a running instance, e.g. http://host:8080 (default: http.host and http.port "
                        + "of the configuration; https when http.ssl.keystore.location is set).")
        String url;

        private DriftlineConfig config;

        DriftlineConfig config() {
            if (config == null) {
                config = options.load();
            }
            return config;
        }

        String base() {
            if (url != null) {
                return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            }
            boolean https = !config().getString(DriftlineConfig.HTTP_SSL_KEYSTORE_LOCATION).isEmpty();
            String host = config().getString(DriftlineConfig.HTTP_HOST);
            return (https ? "https" : "http") + "://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":"
                    + config().getInt(DriftlineConfig.HTTP_PORT);
        }

        HttpClient client() {
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
            SSLContext tls = config().httpClientTls();
            if (tls != null) {
                client.sslContext(tls);
            }
            return client.build();
        }

        HttpRequest.Builder request(String path) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofMinutes(2));
            Password token = config().getPassword(DriftlineConfig.HTTP_TOKEN);
            if (token != null) {
                request.header("Authorization", "Bearer " + token.value());
            }
            return request;
        }

        <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
            try {
                return client().send(request, body);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reach " + base() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        static String pathOf(String key) {
            return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write one model, or every model of the deployment, as bundles (<key>" + SUFFIX + ").")
    static final class Export implements Callable<Integer> {

        /** One model key, or all of them. */
        static final class Which {
            @Parameters(index = "0", paramLabel = "KEY", description = "The model key to export.")
            String key;

            @Option(names = "--all", required = true, description = "Every model of the deployment.")
            boolean all;
        }

        @Mixin
        Api api;

        @ArgGroup(multiplicity = "1")
        Which which;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
                description = "Directory the bundles are written to (default: the current one).")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try {
                return export();
            } catch (UncheckedIOException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }

        private int export() throws IOException {
            List<String> keys = which.all ? allKeys() : List.of(which.key);
            Files.createDirectories(out);
            for (String key : keys) {
                HttpResponse<byte[]> response = api.send(api.request("/api/models/" + Api.pathOf(key) + "/export")
                        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new ParameterException(spec.commandLine(), "export of model " + key + " answered "
                            + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
                }
                Path file = out.resolve(fileName(key));
                Files.write(file, response.body());
                System.out.printf("%s -> %s (%d bytes)%n", key, file, response.body().length);
            }
            return 0;
        }

        private List<String> allKeys() throws IOException {
            HttpResponse<String> response = api.send(api.request("/api/models").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ParameterException(spec.commandLine(), "listing the models answered "
                        + response.statusCode() + ": " + response.body());
            }
            List<String> keys = new ArrayList<>();
            for (JsonNode model : new ObjectMapper().readTree(response.body())) {
                if (!model.path("error").isNull() && !model.path("error").isMissingNode()) {
                    // An unreadable checkpoint has nothing to export: say so rather than lose it quietly.
                    throw new ParameterException(spec.commandLine(), "model " + model.path("model").asText()
                            + " cannot be exported: " + model.path("error").asText());
                }
                keys.add(model.path("model").asText());
            }
            return keys;
        }

        /** The key, with characters a file name should not hold replaced. */
        static String fileName(String key) {
            return key.replaceAll("[^A-Za-z0-9._-]", "_") + SUFFIX;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Seed or replace models from bundles: one file, or every *" + SUFFIX + " of a directory. "
                    + "Each goes to the model key inside it unless --key says otherwise.")
    static final class Import implements Callable<Integer> {

        @Mixin
        Api api;

        @Parameters(index = "0", paramLabel = "FILE|DIR", description = "A bundle, or a directory of bundles.")
        Path source;

        @Option(names = "--key", paramLabel = "KEY", description = "The model key to import one bundle into.")
        String key;

        @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "imported from a bundle",
                description = "Why, for the MODEL_IMPORTED alert (default: ${DEFAULT-VALUE}).")
        String reason;

        @Option(names = "--requested-by", paramLabel = "NAME", defaultValue = "${sys:user.name}",
                description = "Who, for the MODEL_IMPORTED alert (default: the user).")
        String requestedBy;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try {
                return importAll();
            } catch (UncheckedIOException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }

        private int importAll() throws IOException {
            List<Path> bundles = bundles();
            if (key != null && bundles.size() != 1) {
                throw new ParameterException(spec.commandLine(), "--key names the model key of one bundle, and "
                        + source + " holds " + bundles.size());
            }
            ObjectMapper json = new ObjectMapper();
            int refused = 0;
            for (Path bundle : bundles) {
                byte[] bytes = Files.readAllBytes(bundle);
                String target = key != null ? key : json.readTree(bytes).path("modelKey").asText();
                if (target.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), bundle + " names no model key: give --key");
                }
                HttpResponse<String> response = api.send(api.request("/api/models/" + Api.pathOf(target)
                                + "/import?requestedBy=" + Api.pathOf(requestedBy) + "&reason=" + Api.pathOf(reason))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    System.out.printf("%s -> %s: import requested%n", bundle, target);
                } else {
                    refused++;
                    System.out.printf("%s -> %s: refused (%d): %s%n", bundle, target, response.statusCode(),
                            response.body());
                }
            }
            return refused == 0 ? 0 : 1;
        }

        private List<Path> bundles() throws IOException {
            if (!Files.isDirectory(source)) {
                return List.of(source);
            }
            try (Stream<Path> files = Files.list(source)) {
                return files.filter(file -> file.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
            }
        }
    }
}
