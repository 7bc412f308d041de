package io.jenkins.plugins.azureml.blob;

import java.time.Duration;
import java.time.Instant;

/**
 * Figures of one poll for the polling log.
 *
 * @param listed blobs listed under the prefix (virtual folders of a top-level listing not counted)
 * @param matched listed blobs that passed the patterns and the empty-blob rule
 * @param pages listing pages fetched
 * @param duration wall-clock time of the listing
 * @param sweepStart the service's time when the listing began (Date header, less the first request's time)
 * @param sweepEnd the service's time of the last page
 */
public record PollStats(long listed, long matched, int pages, Duration duration, Instant sweepStart,
        Instant sweepEnd) {
}
