package io.jenkins.plugins.azureml.blob.events;

/** The event queue could not be read (outage, network, permission); the consumer backs off and tries again. */
public final class BlobEventQueueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the queue, without secrets
     * @param cause the SDK's exception
     */
    public BlobEventQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
