package io.driftline.registry;

/**
 * The registry refused a request or could not be reached. Carries the HTTP status (0 when no
 * response arrived) and the registry's {@code error_code} (0 when it gave none).
 *
 * <p>Deliberately not a {@code SerializationException}: a registry outage says nothing about the
 * record being processed, so callers must retry or stop rather than dead-letter it.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Confluent's error codes, also used by Apicurio's ccompat API (which reports unknown subjects as 40402). */
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** No answer from the registry (connection refused, timeout, interrupted). */
    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = 0;
        this.errorCode = 0;
    }

    /** The HTTP status of the registry's answer; 0 if none arrived (connection refused, timeout). */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code}, e.g. {@link #SCHEMA_NOT_FOUND}; 0 if it gave none. */
    public int errorCode() {
        return errorCode;
    }

    /** The request may succeed if repeated: no answer, or a server-side (5xx) failure. */
    public boolean isRetriable() {
        return httpStatus == 0 || httpStatus >= 500;
    }

    /** The subject, or the version asked for, does not exist (Apicurio answers 40402 for both). */
    public boolean isSubjectOrVersionNotFound() {
        return httpStatus == 404 && (errorCode == SUBJECT_NOT_FOUND || errorCode == VERSION_NOT_FOUND);
    }

    @Override
    public String toString() {
        return getClass().getName() + ": HTTP " + httpStatus + ", error_code " + errorCode + ": " + getMessage();
    }
}
