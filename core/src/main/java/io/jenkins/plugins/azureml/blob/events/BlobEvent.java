package io.jenkins.plugins.azureml.blob.events;

import java.util.Objects;

/**
 * One {@code Microsoft.Storage.BlobCreated} event as a queue message carries it: which blob, in which version.
 *
 * @param id the event's id (Event Grid may deliver the same id more than once)
 * @param container the container, from the subject
 * @param name the blob name, from the subject, exactly as stored
 * @param etag the new version's ETag (data.eTag), quotes removed
 * @param contentLength the new version's size (data.contentLength), or -1 when absent
 * @param url the blob's URL (data.url), percent-encoded
 * @param api the operation that created it (data.api: PutBlob, PutBlockList, CopyBlob, ...), or null
 * @param sequencer the order of events for this blob name (data.sequencer), or null
 * @param schema the schema the event came in
 */
public record BlobEvent(String id, String container, String name, String etag, long contentLength, String url,
        String api, String sequencer, Schema schema) {
    /** The two event schemas Event Grid can write to a queue. */
    public enum Schema {
        /** The Event Grid schema (eventType, subject, data, dataVersion). */
        EVENT_GRID,
        /** CloudEvents 1.0 (type, source, subject, data, specversion). */
        CLOUD_EVENTS
    }

    public BlobEvent {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(etag, "etag");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(schema, "schema");
    }
}
