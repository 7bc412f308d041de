package io.jenkins.plugins.azureml.trigger;

/**
 * Jenkins did not take a build for a blob change (refused by the queue, or its manifest could not be written).
 * Thrown from the poll cycle's scheduling callback so that the cycle keeps the old state and the next poll retries.
 * Unchecked so it can pass through the engine's callback.
 */
final class BlobScheduleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BlobScheduleException(String message) {
        super(message);
    }
}
