package io.jenkins.plugins.azureml.blob.log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one poll of a trigger did, as data: the polling log stores one per poll ({@link PollHistory}) and renders it
 * as a page row ({@link PollingLogView}) or as text ({@link PollEntryText}). Names are kept exact here and escaped
 * only when shown.
 *
 * @param started when the poll started (the controller's clock)
 * @param durationMillis how long the poll took, listing, scheduling and saving included
 * @param outcome whether it completed
 * @param target what was polled: {@code account/container/prefix}
 * @param skippedTicks cron ticks skipped before this poll because the previous one was still running
 * @param baseline why this poll recorded a baseline, or null
 * @param listed blobs listed
 * @param matched listed blobs that passed the filters
 * @param pages listing pages fetched
 * @param changes the changes found, at most {@link #MAX_LISTED} of them
 * @param changeCount how many changes were found (may exceed the list)
 * @param deferred changes left for later polls by the limit per poll
 * @param scheduled changes handed to the scheduler successfully
 * @param batch whether the changes were scheduled as one build
 * @param notes what the scheduler said about its decisions, in order
 * @param warnings what the detector warns about (clocks, late arrivals); may quote blob names
 * @param error what went wrong, or null
 * @param kind a listing, push mode's reconciliation listing, or a batch of queue events
 * @param reconciled for a reconciliation: changes it scheduled that no event had fired; else 0
 * @param firedByEvents for a reconciliation: changes it found that events fired while it listed (not fired again)
 */
public record PollEntry(Instant started, long durationMillis, Outcome outcome, String target, int skippedTicks,
        Baseline baseline, long listed, long matched, int pages, List<Change> changes, int changeCount, long deferred,
        int scheduled, boolean batch, List<String> notes, List<String> warnings, String error, Kind kind,
        int reconciled, int firedByEvents) {
    /** Changes listed per entry; a bigger poll lists the first ones and counts the rest. */
    public static final int MAX_LISTED = 50;

    /** How a poll ended. */
    public enum Outcome {
        /** Listed, scheduled and saved the state. */
        OK,
        /** Listing, scheduling or saving failed; the state is unchanged. */
        FAILED,
        /** Never listed: the trigger's configuration or credential could not be used. */
        NOT_POLLED
    }

    /** What made the entry. */
    public enum Kind {
        /** A listing (polling without push mode). */
        LISTING,
        /** Push mode's listing on the trigger's schedule: it fires what events did not. */
        RECONCILIATION,
        /** Queue events received in push mode; {@code target} is the queue, nothing was listed. */
        EVENTS
    }

    /** Why a poll recorded a baseline instead of comparing with a saved state. */
    public enum Baseline {
        /** No state yet, starting now: existing blobs are the baseline. */
        FIRST_POLL,
        /** No state yet, starting from the beginning: every blob is a change. */
        FIRST_POLL_FROM_BEGINNING,
        /** The watch definition changed: a new baseline. */
        DEFINITION_CHANGED
    }

    /**
     * One change as logged.
     *
     * @param container the container
     * @param name the exact blob name
     * @param etag the ETag without quotes
     * @param size bytes
     * @param lastModified the service's Last-Modified
     */
    public record Change(String container, String name, String etag, long size, Instant lastModified) {
        public Change {
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(etag, "etag");
        }
    }

    public PollEntry {
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(outcome, "outcome");
        target = target == null ? "" : target;
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        kind = kind == null ? Kind.LISTING : kind;
    }

    /** A listing's entry (no push mode). */
    public PollEntry(Instant started, long durationMillis, Outcome outcome, String target, int skippedTicks,
            Baseline baseline, long listed, long matched, int pages, List<Change> changes, int changeCount,
            long deferred, int scheduled, boolean batch, List<String> notes, List<String> warnings, String error) {
        this(started, durationMillis, outcome, target, skippedTicks, baseline, listed, matched, pages, changes,
                changeCount, deferred, scheduled, batch, notes, warnings, error, Kind.LISTING, 0, 0);
    }

    /**
     * The entry of one batch of queue events for one job (push mode).
     *
     * @param started when the batch was received
     * @param durationMillis how long handling it took
     * @param queue the queue's URL
     * @param fired the changes whose builds were scheduled, at most {@link #MAX_LISTED} of them listed
     * @param batch whether they were scheduled as one build
     * @param notes what happened to the events and messages, in order
     * @param error why the job's events failed (they come back), or null
     * @return the entry
     */
    public static PollEntry events(Instant started, long durationMillis, String queue, List<Change> fired,
            boolean batch, List<String> notes, String error) {
        return events(started, durationMillis, queue, fired, batch, notes, List.of(), error);
    }

    /**
     * The entry of one batch of queue events for one job, with warnings about the queue (e.g. another reader).
     *
     * @see #events(Instant, long, String, List, boolean, List, String)
     */
    public static PollEntry events(Instant started, long durationMillis, String queue, List<Change> fired,
            boolean batch, List<String> notes, List<String> warnings, String error) {
        return new PollEntry(started, durationMillis, error == null ? Outcome.OK : Outcome.FAILED, queue, 0, null, 0,
                0, 0, fired.stream().limit(MAX_LISTED).toList(), fired.size(), 0, error == null ? fired.size() : 0,
                batch, notes, warnings, error, Kind.EVENTS, 0, 0);
    }

    /**
     * An entry for a poll that could not start listing (bad configuration, missing credential).
     *
     * @param started when the poll started
     * @param target what would have been polled
     * @param error why not, for the user
     * @return the entry
     */
    public static PollEntry notPolled(Instant started, String target, String error) {
        return new PollEntry(started, 0, Outcome.NOT_POLLED, target, 0, null, 0, 0, 0, List.of(), 0, 0, 0, false,
                List.of(), List.of(), Objects.requireNonNull(error, "error"));
    }

    /** Whether the poll did not complete. */
    public boolean failed() {
        return outcome != Outcome.OK;
    }

    /** A completed poll with nothing to tell beyond its figures: no change, no baseline, no note. */
    public boolean quiet() {
        return kind != Kind.EVENTS && reconciled == 0 && firedByEvents == 0 && outcome == Outcome.OK
                && changeCount == 0 && baseline == null && deferred == 0 && notes.isEmpty()
                && warnings.isEmpty() && skippedTicks == 0;
    }

    /**
     * This entry with what the glue knows and the engine does not.
     *
     * @param skipped cron ticks skipped before this poll
     * @param schedulerNotes the scheduler's decision lines, in order
     * @return a copy with both added
     */
    public PollEntry withGlueFacts(int skipped, List<String> schedulerNotes) {
        List<String> all = new ArrayList<>(notes);
        all.addAll(schedulerNotes);
        return new PollEntry(started, durationMillis, outcome, target, skipped, baseline, listed, matched, pages,
                changes, changeCount, deferred, scheduled, batch, all, warnings, error, kind, reconciled,
                firedByEvents);
    }
}
