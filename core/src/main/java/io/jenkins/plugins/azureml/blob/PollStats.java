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
 * @param sweepStart when the listing began: the earlier of the service's Date header (less the first request's
 *         time) and the controller's clock, raised to what the listed Last-Modified values prove
 * @param sweepEnd the sweep start plus the listing's duration
 */
public record PollStats(long listed, long matched, int pages, Duration duration, Instant sweepStart,
        Instant sweepEnd) {
}
