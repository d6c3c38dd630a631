package io.driftline.registry;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One registry base URL and the {@code Authorization} header to send it, if any. The URL never
 * contains credentials and {@link #toString()} never shows the header, so endpoints can be logged.
 */
public record RegistryEndpoint(URI baseUri, Optional<String> authorization) {

    public RegistryEndpoint {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(authorization, "authorization");
        if (baseUri.getUserInfo() != null) {
            throw new IllegalArgumentException("credentials belong in the authorization header, not the URI");
        }
        String text = baseUri.toString();
        if (text.endsWith("/")) {
            baseUri = URI.create(text.substring(0, text.length() - 1));
        }
    }

    /** {@code uri} + {@code path} (which starts with '/'). */
    URI resolve(String path) {
        return URI.create(baseUri + path);
    }

    @Override
    public String toString() {
        return baseUri + authorization.map(value -> " (" + value.split(" ", 2)[0] + " auth)").orElse("");
    }
}
