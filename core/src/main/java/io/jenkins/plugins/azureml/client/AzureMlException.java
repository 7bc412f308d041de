package io.jenkins.plugins.azureml.client;

/**
 * The one exception of {@link AzureMlClient}: an HTTP error from Azure ML (with the service's error code and the
 * request id to quote to Microsoft support) or a transport failure (status 0). Messages say what to do and never
 * contain a secret or a token.
 */
public class AzureMlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String errorCode;
    private final String requestId;
    private final boolean transientFailure;

    public AzureMlException(String message, int statusCode, String errorCode, String requestId,
                            boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.errorCode = errorCode;
        this.requestId = requestId;
        this.transientFailure = transientFailure;
    }

    /** The HTTP status, or 0 when no response arrived (timeout, connection reset, refused). */
    public int getStatusCode() {
        return statusCode;
    }

    /** The service's error code, e.g. {@code UserError}, or null. */
    public String getErrorCode() {
        return errorCode;
    }

    /** The service's request id (x-ms-request-id, x-request-id or correlation), or null. */
    public String getRequestId() {
        return requestId;
    }

    /** Whether trying again later may succeed (throttling, 5xx, timeout, connection problems). */
    public boolean isTransient() {
        return transientFailure;
    }
}
