package io.jenkins.plugins.azureml.blob;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What one {@link BlobChangeDetector#poll poll} found, and the state to save once the changes are handled. */
public final class PollResult {
    /** Why a poll recorded a baseline instead of comparing with a saved state. */
    public enum Baseline {
        /** No state was saved yet and the watch starts {@link StartPosition#NOW now}. */
        FIRST_POLL,
        /** No state was saved yet and the watch starts from the {@link StartPosition#BEGINNING beginning}. */
        FIRST_POLL_FROM_BEGINNING,
        /** The saved state belongs to a different watch definition (account, container, prefix, filters). */
        DEFINITION_CHANGED
    }

    private final List<BlobChange> changes;
    private final WatchState nextState;
    private final PollStats stats;
    private final Baseline baseline;
    private final long deferred;
    private final List<String> warnings;

    PollResult(List<BlobChange> changes, WatchState nextState, PollStats stats, Baseline baseline, long deferred,
            List<String> warnings) {
        this.changes = List.copyOf(changes);
        this.nextState = Objects.requireNonNull(nextState);
        this.stats = Objects.requireNonNull(stats);
        this.baseline = baseline;
        this.deferred = deferred;
        this.warnings = List.copyOf(warnings);
    }

    /** New or changed blobs, oldest Last-Modified first ({@link BlobChange#REPORT_ORDER}). */
    public List<BlobChange> changes() {
        return changes;
    }

    /** The state to save after the changes have been handled; keep the old one if handling fails. */
    public WatchState nextState() {
        return nextState;
    }

    public PollStats stats() {
        return stats;
    }

    /** Set when this poll started from no (usable) state. */
    public Optional<Baseline> baseline() {
        return Optional.ofNullable(baseline);
    }

    /** Changes found but left for later polls by {@link BlobWatch#maxChangesPerPoll()}. */
    public long deferred() {
        return deferred;
    }

    /**
     * What the user should know although the poll succeeded: clocks that disagree, a saved state from the future
     * (and how it was recovered), changes arriving close to the late-arrival margin. Each is one sentence naming
     * what to check or which setting to raise; the polling log shows them.
     */
    public List<String> warnings() {
        return warnings;
    }
}
