package io.jenkins.plugins.azureml.blob;

import java.util.regex.Pattern;

/**
 * A poll failed before it completed a full sweep (network, authorization, missing container, service error). The
 * caller keeps its old {@link WatchState}, so the next poll retries and nothing is lost. Messages name the account
 * and container and what to do; they never contain secrets, and the SDK exception is not chained because its text
 * can echo request details.
 */
public class BlobPollException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Pattern SECRETS = Pattern.compile(
            "(?i)(sig=|AccountKey=|SharedAccessSignature=|Bearer\\s+)[^&;\\s\"']+");

    private final int statusCode;
    private final String errorCode;

    /**
     * @param message what failed and how to fix it
     * @param statusCode the HTTP status, or 0 when no response arrived
     * @param errorCode the storage error code (e.g. {@code ContainerNotFound}), or null
     */
    public BlobPollException(String message, int statusCode, String errorCode) {
        super(redact(message));
        this.statusCode = statusCode;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the failed request, or 0 when the service did not answer. */
    public int getStatusCode() {
        return statusCode;
    }

    /** The storage service's error code, or null. */
    public String getErrorCode() {
        return errorCode;
    }

    /**
     * Removes anything shaped like a SAS signature, account key or bearer token from text meant for a message.
     *
     * @param text any text, may be null
     * @return the text with secrets replaced by {@code ***}
     */
    static String redact(String text) {
        return text == null ? null : SECRETS.matcher(text).replaceAll("$1***");
    }
}
