package io.jenkins.plugins.azureml.blob.events;

/** What one job did with one BlobCreated event. */
public enum EventOutcome {
    /** A build was scheduled (or, in batch mode, the change joined the batch's build). */
    FIRED,
    /** Its (name, ETag) was already fired, by an earlier copy of the event or by the listing. */
    DUPLICATE,
    /** The blob was overwritten or deleted since: the newer version's event or the next listing fires that one. */
    STALE,
    /** An empty blob (an uploader's placeholder) and the watch ignores empty blobs. */
    EMPTY,
    /** Modified before the window of the last listing, which saw it: fired then or part of the baseline. */
    COVERED_BY_LISTING,
    /** Checking the blob, scheduling or saving the state failed: the message stays in the queue and comes back. */
    FAILED
}
