package io.jenkins.plugins.azureml.blob.events;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueStorageException;
import io.jenkins.plugins.azureml.InvalidFieldException;

/**
 * "Test connection" for push mode: peeks at the event queue with the job's credential. Peeking needs what the
 * consumer needs anyway (read messages, part of Storage Queue Data Message Processor; reading the queue's properties
 * would need another role), changes nothing, and tells a missing queue from a refused credential.
 */
public final class EventQueueProbe {
    private EventQueueProbe() {
    }

    /**
     * @param queue the event queue
     * @return what was found, for the user
     * @throws InvalidFieldException naming {@code eventQueueUrl} when the queue does not exist, {@code credentialsId}
     *     when the service refuses the credential
     * @throws BlobEventQueueException when the queue cannot be reached otherwise
     */
    public static String check(QueueClient queue) {
        boolean waiting;
        try {
            waiting = queue.peekMessage() != null;
        } catch (QueueStorageException e) {
            if (e.getStatusCode() == 404) {
                throw new InvalidFieldException("eventQueueUrl", "queue '" + queue.getQueueName() + "' does not exist "
                        + "at " + queue.getQueueUrl() + "; create it (az storage queue create) or fix the URL");
            }
            if (e.getStatusCode() == 403) {
                throw new InvalidFieldException("credentialsId", "the service refused to let this credential read "
                        + "queue '" + queue.getQueueName() + "' (HTTP 403 " + e.getErrorCode() + "); give it Storage "
                        + "Queue Data Message Processor on the queue, or a SAS with read and process");
            }
            throw new BlobEventQueueException("Reading queue " + queue.getQueueUrl() + " failed: HTTP "
                    + e.getStatusCode() + " " + e.getErrorCode(), e);
        } catch (RuntimeException e) {
            throw new BlobEventQueueException("Reading queue " + queue.getQueueUrl() + " failed: "
                    + e.getClass().getSimpleName(), e);
        }
        return "Queue '" + queue.getQueueName() + "' readable: " + (waiting ? "messages are waiting."
                : "no message waiting.");
    }
}
