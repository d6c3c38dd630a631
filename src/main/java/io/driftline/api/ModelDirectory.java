package io.driftline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftline.config.PipelineSettings;
import io.driftline.state.CheckpointCodec;
import io.driftline.state.ModelBundle;
import io.driftline.state.ModelState;
import io.driftline.state.ReadOnlyCheckpoints;
import io.driftline.topology.DriftlineTopology;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Finds models wherever they live. Each model is in the store of exactly one active task; Kafka
 * Streams knows, from the model key's partition, which instance runs that task (each instance
 * advertises its HTTP address as {@code application.server}). A lookup is answered from the local
 * store when this instance owns the key, and forwarded once to the owner otherwise: the owner
 * answers with {@code ?local=true} from its own store only, so a request never travels in circles
 * while a rebalance moves the model.
 */
public final class ModelDirectory implements ModelLookup {

    /** Why a lookup has no answer. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);
    // A bundle is the model's whole learner: megabytes for an old tree.
    private static final Duration BUNDLE_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final ObjectMapper json;
    private final HttpClient http;
    private final String scheme;
    private final PipelineSettings settings;

    /**
     * @param peersTls how to reach the other instances' APIs over HTTPS (what to trust); null: they
     *                 serve plain HTTP. All instances of a deployment share the setting.
     * @param settings the settings the models were built under, which their bundles record
     */
    public ModelDirectory(KafkaStreams streams, HostInfo self, ObjectMapper json, SSLContext peersTls,
                          PipelineSettings settings) {
        this.streams = streams;
        this.settings = settings;
        this.self = self;
        this.json = json;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (peersTls != null) {
            client.sslContext(peersTls);
        }
        this.http = client.build();
        this.scheme = peersTls == null ? "http" : "https";
    }

    /** The model {@code key} from this instance's store only. */
    @Override
    public Optional<ModelView> local(String key) {
        return Optional.ofNullable(read(store(), key)).map(state -> view(key, state));
    }

    /**
     * Every model of this instance's active tasks, by key. A model whose checkpoint cannot be read
     * is listed with the error (it is reset on its next input) instead of failing the whole list.
     */
    @Override
    public List<ModelSummary> localModels() {
        ReadOnlyCheckpoints<ModelState> store = store();
        List<ModelSummary> models = new ArrayList<>();
        for (String key : store.checkpointedKeys()) {
            try {
                ModelState state = read(store, key);
                if (state != null) {
                    models.add(ModelSummary.of(view(key, state)));
                }
            } catch (Unavailable e) {
                models.add(ModelSummary.unreadable(key, self.host() + ":" + self.port(), e.getMessage()));
            }
        }
        return models;
    }

    /** The model {@code key} as API JSON, from whichever instance owns it (the owner's answer passes through unchanged). */
    @Override
    public Optional<String> find(String key) {
        HostInfo owner = owner(key);
        if (owner.equals(self)) {
            return local(key).map(this::toJson);
        }
        return remote(owner, "/api/models/" + pathOf(key) + "?local=true", null, LOOKUP_TIMEOUT);
    }

    /** The model {@code key} as of the last commit, as a bundle. */
    @Override
    public Optional<ModelBundle> localBundle(String key) {
        return Optional.ofNullable(read(store(), key)).map(state -> ModelBundle.of(key, state, settings, Instant.now()));
    }

    /** The model {@code key} as a bundle, from whichever instance owns it, which checks the caller's token. */
    @Override
    public Optional<byte[]> bundle(String key, String authorization) {
        HostInfo owner = owner(key);
        if (owner.equals(self)) {
            return localBundle(key).map(ModelBundle::toJson);
        }
        return remote(owner, "/api/models/" + pathOf(key) + "/export?local=true", authorization, BUNDLE_TIMEOUT)
                .map(body -> body.getBytes(StandardCharsets.UTF_8));
    }

    private HostInfo owner(String key) {
        KeyQueryMetadata owner = streams.queryMetadataForKey(DriftlineTopology.MODEL_STORE, key,
                Serdes.String().serializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new Unavailable("no instance owns model " + key + " yet (starting or rebalancing)", null);
        }
        return owner.activeHost();
    }

    private static String pathOf(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Every model of the deployment: this instance's, and each other instance's, asked over HTTP. */
    @Override
    public List<ModelSummary> allModels() {
        List<ModelSummary> models = new ArrayList<>();
        for (StreamsMetadata instance : streams.streamsMetadataForStore(DriftlineTopology.MODEL_STORE)) {
            if (instance.hostInfo().equals(self)) {
                models.addAll(localModels());
            } else {
                String body = remote(instance.hostInfo(), "/api/models?local=true", null, LOOKUP_TIMEOUT).orElse("[]");
                models.addAll(parse(body, new TypeReference<List<ModelSummary>>() { }));
            }
        }
        models.sort(Comparator.comparing(ModelSummary::model));
        return models;
    }

    private ReadOnlyCheckpoints<ModelState> store() {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(DriftlineTopology.MODEL_STORE,
                    ReadOnlyCheckpoints.<ModelState>queryableType()));
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("the model store is not queryable now (starting or rebalancing)", e);
        }
    }

    /** The model as of the last commit: its snapshot with its journal replayed. */
    private static ModelState read(ReadOnlyCheckpoints<ModelState> store, String key) {
        try {
            return store.checkpointed(key);
        } catch (CheckpointCodec.CheckpointDecodingException e) {
            throw new Unavailable("model " + key + " has an unreadable checkpoint (" + e.getMessage()
                    + "); it is reset on its next input", e);
        }
    }

    private ModelView view(String key, ModelState state) {
        return new ModelView(key, self.host() + ":" + self.port(), state.snapshot(), state.alertQuality(),
                state.versionHistory());
    }

    private String toJson(ModelView view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write model " + view.model() + " as JSON", e);
        }
    }

    private <T> T parse(String body, TypeReference<T> type) {
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new Unavailable("unexpected answer from another instance: " + e.getOriginalMessage(), e);
        }
    }

    private Optional<String> remote(HostInfo host, String path, String authorization, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://" + host.host() + ":" + host.port()
                        + path))
                .timeout(timeout);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new Unavailable(host + " answered " + response.statusCode() + ": " + response.body(), null);
            }
            return Optional.of(response.body());
        } catch (IOException e) {
            throw new Unavailable("cannot reach " + host + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        }
    }
}
