package io.jenkins.plugins.azureml.simulator;

/** A failure the simulator can answer one request with, instead of the normal answer. */
public enum Fault {
    /** 429 with {@code Retry-After} (seconds, see {@link AzureMlSimulator#retryAfterSeconds(int)}). */
    THROTTLED,
    /** 429 without Retry-After. */
    THROTTLED_WITHOUT_RETRY_AFTER,
    /** 500 with a ServiceError envelope. */
    SERVER_ERROR,
    /** 503 with a TransientError envelope. */
    UNAVAILABLE,
    /**
     * Waits {@link AzureMlSimulator#slowResponseDelay} before answering normally: the request is processed (a
     * submission creates its run), like a real service whose answer arrives after the client gave up.
     */
    SLOW,
    /** 200 with a truncated JSON body. */
    MALFORMED_JSON,
    /** Closes the connection without an answer. */
    CONNECTION_RESET,
    /** 401 with the error envelope. */
    UNAUTHORIZED,
    /** 403 AuthorizationFailed. */
    FORBIDDEN,
    /** 404 with the error envelope. */
    NOT_FOUND
}
