package io.jenkins.plugins.azureml.blob;

import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a watch has already seen, immutable. After a full sweep the detector keeps a {@linkplain #windowStart()
 * window start} on the service's clock and the (name, ETag) pairs of matching blobs whose Last-Modified is at or
 * after it. Every blob last modified before the window start was visible when that sweep began, so it was listed and
 * either reported or part of the baseline; inside the window the pairs de-duplicate. The state therefore grows with
 * the window, not with the container.
 */
public final class WatchState {
    private static final WatchState EMPTY = new WatchState(null, null, null, Set.of());

    private final String fingerprint;
    private final Instant cursor;
    private final Instant windowStart;
    private final Instant sweepStart;
    private final Set<SeenBlob> seen;
    /** The settled region's summary and its boundary; null in a state without one (older, pre-baseline). */
    private final Instant summaryBoundary;
    private final SettledSummary summary;

    /**
     * A state without a recorded sweep start, as version 1 of the saved form had.
     *
     * @see #WatchState(String, Instant, Instant, Instant, Set)
     */
    public WatchState(String fingerprint, Instant cursor, Instant windowStart, Set<SeenBlob> seen) {
        this(fingerprint, cursor, windowStart, null, seen);
    }

    /**
     * @param fingerprint the {@link BlobWatch#fingerprint()} this state was made for
     * @param cursor the service time at which the last full sweep ended
     * @param windowStart blobs last modified before this need no de-duplication entry; at or before the cursor
     * @param sweepStart the time before which every committed blob was listed by the sweep that made this state,
     *         or null when unknown (an older state) or when that sweep left changes for later
     *         ({@link BlobWatch#maxChangesPerPoll()}); a change found later but modified before it arrived late
     * @param seen the matching (name, ETag) pairs last modified at or after the window start
     */
    public WatchState(String fingerprint, Instant cursor, Instant windowStart, Instant sweepStart,
            Set<SeenBlob> seen) {
        this(fingerprint, cursor, windowStart, sweepStart, seen, null, null);
    }

    private WatchState(String fingerprint, Instant cursor, Instant windowStart, Instant sweepStart,
            Set<SeenBlob> seen, Instant summaryBoundary, SettledSummary summary) {
        this.fingerprint = fingerprint;
        this.cursor = cursor;
        this.windowStart = windowStart;
        this.sweepStart = sweepStart;
        this.seen = Collections.unmodifiableSet(new HashSet<>(seen));
        this.summaryBoundary = summary == null ? null : Objects.requireNonNull(summaryBoundary, "summaryBoundary");
        this.summary = summary;
    }

    /**
     * This state with the summary of the matching blobs last modified before {@code boundary}, which must not be
     * before the window start (blobs at or after the window start are compared by their pairs, the others by the
     * summary: no gap between the two).
     *
     * @param boundary the summary's boundary
     * @param summary the summary
     * @return a new state
     */
    public WatchState withSummary(Instant boundary, SettledSummary summary) {
        if (windowStart != null && boundary.isBefore(windowStart)) {
            throw new IllegalArgumentException("the summary boundary " + boundary + " is before the window start "
                    + windowStart);
        }
        return new WatchState(fingerprint, cursor, windowStart, sweepStart, seen, boundary, summary);
    }

    /** No state yet: the next poll is a first poll and follows the watch's {@link StartPosition}. */
    public static WatchState empty() {
        return EMPTY;
    }

    /**
     * The state of a watch that has not completed a poll yet but whose events already fired some changes (push mode):
     * still {@link #isEmpty() empty} for the listing, which takes its baseline as usual, but the pairs de-duplicate
     * further events, and a first poll {@linkplain StartPosition#BEGINNING from the beginning} does not fire them.
     *
     * @param fingerprint the watch's fingerprint
     * @param seen the pairs fired so far
     * @return the state
     */
    public static WatchState preBaseline(String fingerprint, Set<SeenBlob> seen) {
        return new WatchState(Objects.requireNonNull(fingerprint, "fingerprint"), null, null, seen);
    }

    /**
     * This state with more pairs recorded (fired by events).
     *
     * @param more the pairs to add
     * @return a new state; cursor, window, sweep start and fingerprint unchanged
     */
    public WatchState withSeen(Set<SeenBlob> more) {
        Set<SeenBlob> all = new HashSet<>(seen);
        all.addAll(more);
        return new WatchState(fingerprint, cursor, windowStart, sweepStart, all, summaryBoundary, summary);
    }

    /** Whether this is the state of a watch that has never completed a poll. */
    public boolean isEmpty() {
        return cursor == null;
    }

    /** The fingerprint of the watch definition this state belongs to, or null when empty. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The service time at the end of the last full sweep, or null when empty. */
    public Instant cursor() {
        return cursor;
    }

    /** The start of the de-duplication window, or null when empty. */
    public Instant windowStart() {
        return windowStart;
    }

    /** The start of the sweep that made this state, or null; see the constructor. */
    public Instant sweepStart() {
        return sweepStart;
    }

    /** The boundary of {@link #summary()}, or null when the state has none. */
    public Instant summaryBoundary() {
        return summaryBoundary;
    }

    /** The summary of the matching blobs last modified before {@link #summaryBoundary()}, or null. */
    public SettledSummary summary() {
        return summary;
    }

    /** The (name, ETag) pairs inside the window. */
    public Set<SeenBlob> seen() {
        return seen;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WatchState)) {
            return false;
        }
        WatchState other = (WatchState) o;
        return Objects.equals(fingerprint, other.fingerprint) && Objects.equals(cursor, other.cursor)
                && Objects.equals(windowStart, other.windowStart) && Objects.equals(sweepStart, other.sweepStart)
                && seen.equals(other.seen) && Objects.equals(summaryBoundary, other.summaryBoundary)
                && Objects.equals(summary, other.summary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fingerprint, cursor, windowStart, sweepStart, seen);
    }

    @Override
    public String toString() {
        return "WatchState{cursor=" + cursor + ", windowStart=" + windowStart + ", sweepStart=" + sweepStart
                + ", seen=" + seen.size() + "}";
    }

    /** A (blob name, normalised ETag) pair. */
    public static final class SeenBlob {
        private final String name;
        private final String etag;

        public SeenBlob(String name, String etag) {
            this.name = Objects.requireNonNull(name, "name");
            this.etag = Objects.requireNonNull(etag, "etag");
        }

        public String name() {
            return name;
        }

        public String etag() {
            return etag;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SeenBlob && ((SeenBlob) o).name.equals(name) && ((SeenBlob) o).etag.equals(etag);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + etag.hashCode();
        }

        @Override
        public String toString() {
            return name + "@" + etag;
        }
    }
}
