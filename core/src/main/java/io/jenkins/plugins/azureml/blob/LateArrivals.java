package io.jenkins.plugins.azureml.blob;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds, in one sweep, the blobs that became listable after the window had moved past their Last-Modified (a single
 * Put Blob is stamped when its request starts and listable when it ends, so a slow upload can be later than any
 * margin). Each sweep summarises the matching blobs below a boundary at or after its window start
 * ({@link SettledSummary}) and saves it; the next sweep summarises the blobs below that same boundary again and
 * subtracts: a pair it has now and the old summary lacks arrived late. Only the keys come out of the summary, so the
 * detector looks their names up with a second listing, which it runs only when there is a late arrival.
 *
 * <p>Memory: two summaries of fixed size and the (key, Last-Modified) of the blobs modified in the last margin
 * before the sweep (those whose side of the final boundary is known only once the listing is complete).
 */
final class LateArrivals {
    private final SettledSummary old;
    private final Instant oldBoundary;
    private final SettledSummary compared;
    private final SettledSummary next = SettledSummary.empty();
    /** Blobs at or after this go to {@link #recent} until the next boundary is known. */
    private final Instant lower;
    private final List<Recent> recent = new ArrayList<>();

    private record Recent(long key, Instant lastModified) {
    }

    /**
     * @param state the saved state, or null when this sweep compares nothing (a baseline)
     * @param provisionalStart the sweep's provisional start
     * @param margin the watch's late-arrival margin
     */
    LateArrivals(WatchState state, Instant provisionalStart, Duration margin) {
        this.lower = provisionalStart.minus(margin);
        boolean compare = state != null && !state.isEmpty() && state.summary() != null;
        this.old = compare ? state.summary() : null;
        this.oldBoundary = compare ? state.summaryBoundary() : null;
        this.compared = compare ? SettledSummary.empty() : null;
    }

    /** Whether the saved state had a summary this sweep compares with. */
    boolean comparing() {
        return compared != null;
    }

    /** Counts one matching blob of the listing. */
    void accept(long key, Instant lastModified) {
        if (compared != null && lastModified.isBefore(oldBoundary)) {
            compared.add(key);
        }
        if (lastModified.isBefore(lower)) {
            next.add(key);
        } else {
            recent.add(new Recent(key, lastModified));
        }
    }

    /**
     * The boundary of the summary to save: the later of the window start and the earliest the sweep could start
     * less the margin, so that no blob is neither in the window nor in the summary.
     */
    Instant nextBoundary(Instant windowStart) {
        return windowStart.isAfter(lower) ? windowStart : lower;
    }

    /** The summary to save with {@link #nextBoundary}. */
    SettledSummary nextSummary(Instant windowStart) {
        Instant boundary = nextBoundary(windowStart);
        for (Recent r : recent) {
            if (r.lastModified.isBefore(boundary)) {
                next.add(r.key);
            }
        }
        recent.clear();
        return next;
    }

    /** What the settled region gained and lost since the last sweep; only when {@link #comparing()}. */
    SettledSummary.Difference difference() {
        return compared.minus(old);
    }

    /** The boundary the comparison is made at; only when {@link #comparing()}. */
    Instant comparedBoundary() {
        return oldBoundary;
    }

    /**
     * The polling log's line for an undecodable difference.
     *
     * @param difference what {@link #difference()} returned, incomplete
     */
    String undecodedWarning(SettledSummary.Difference difference) {
        return "At least " + difference.undecoded() + " blob version(s) last modified before " + oldBoundary
                + " appeared or disappeared since the last poll (old blobs deleted, overwritten or restored in "
                + "numbers), more than the summary of older blobs can tell apart (about " + SettledSummary.DECODABLE
                + "). A blob among them that arrived later than lateArrivalMargin is not reported by this poll; the "
                + "next polls compare again. " + (difference.added().size() + difference.removed().size())
                + " difference(s) were told apart.";
    }
}
