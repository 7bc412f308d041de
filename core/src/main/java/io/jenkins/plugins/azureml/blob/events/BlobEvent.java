package io.jenkins.plugins.azureml.blob.events;

import java.util.Objects;

/**
 * One event that a blob version now exists under a name, as a queue message carries it: a
 * {@code Microsoft.Storage.BlobCreated} event (Blob API: PutBlob, PutBlockList, CopyBlob...; Data Lake API on an
 * account with a hierarchical namespace: CreateFile, FlushWithClose) or a {@code Microsoft.Storage.BlobRenamed} event
 * (Data Lake RenameFile: a new blob at the destination name).
 *
 * @param id the event's id (Event Grid may deliver the same id more than once)
 * @param account the storage account's name, from the event's {@code topic} (Event Grid schema) or {@code source}
 *         (CloudEvents), the account's resource id; null when absent
 * @param container the container (a Data Lake file system), from the subject
 * @param name the blob name (a Data Lake path), from the subject, exactly as stored
 * @param etag the new version's ETag (data.eTag), quotes removed; null for a rename, whose event carries none
 * @param contentLength the new version's size (data.contentLength), or -1 when absent
 * @param url the blob's URL: data.url (on the {@code blob.} host, or the {@code dfs.} host for the Data Lake API) or,
 *         for a rename, data.destinationUrl; percent-encoded
 * @param blobUrl data.blobUrl, the URL on the {@code blob.} host that newer Data Lake events add; null when absent
 * @param api the operation (data.api: PutBlob, PutBlockList, CopyBlob, FlushWithClose, RenameFile, ...), or null
 * @param sequencer the order of events for this blob name (data.sequencer), or null
 * @param schema the schema the event came in
 */
public record BlobEvent(String id, String account, String container, String name, String etag, long contentLength,
        String url, String blobUrl, String api, String sequencer, Schema schema) {
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
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(schema, "schema");
    }

    /** Whether the event names the version it is about; a rename does not, the blob's current one is meant. */
    public boolean hasEtag() {
        return etag != null;
    }

    /**
     * @param currentEtag the blob's current ETag, normalised
     * @return this event naming that version
     */
    BlobEvent withEtag(String currentEtag) {
        return new BlobEvent(id, account, container, name, currentEtag, contentLength, url, blobUrl, api, sequencer,
                schema);
    }
}
