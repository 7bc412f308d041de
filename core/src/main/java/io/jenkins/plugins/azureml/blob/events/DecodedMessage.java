package io.jenkins.plugins.azureml.blob.events;

import java.util.List;
import java.util.Objects;

/**
 * What one queue message turned out to be.
 *
 * @param kind blob-created events, another event type, or not an event at all
 * @param events the BlobCreated events (empty unless {@link Kind#BLOB_CREATED})
 * @param detail for the polling log: the other event type, or what is wrong with the message
 */
public record DecodedMessage(Kind kind, List<BlobEvent> events, String detail) {
    /** The three things a message can be. */
    public enum Kind {
        /** One (or, tolerated, a few) {@code Microsoft.Storage.BlobCreated} events. */
        BLOB_CREATED,
        /** A well-formed event of another type (BlobDeleted, ...): removed and counted. */
        OTHER_EVENT,
        /** Not Base64/JSON, not an event, or a BlobCreated event missing its subject, ETag or URL. */
        MALFORMED
    }

    public DecodedMessage {
        Objects.requireNonNull(kind, "kind");
        events = List.copyOf(events);
    }

    static DecodedMessage blobCreated(List<BlobEvent> events) {
        return new DecodedMessage(Kind.BLOB_CREATED, events, null);
    }

    static DecodedMessage otherEvent(String type) {
        return new DecodedMessage(Kind.OTHER_EVENT, List.of(), type);
    }

    static DecodedMessage malformed(String why) {
        return new DecodedMessage(Kind.MALFORMED, List.of(), why);
    }
}
