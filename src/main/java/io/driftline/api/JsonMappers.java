package io.driftline.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The API's JSON: record components as fields; unknown fields ignored so that newer instances may add some. */
public final class JsonMappers {

    private JsonMappers() {
    }

    public static ObjectMapper api() {
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
}
