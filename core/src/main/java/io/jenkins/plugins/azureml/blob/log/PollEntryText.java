package io.jenkins.plugins.azureml.blob.log;

import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The plain-text form of the polling log (the page's "raw" view, oldest first, UTC ISO-8601 times): every fact of
 * an entry, in the order things happened, names escaped with {@link LogEscaper}.
 */
public final class PollEntryText {
    private PollEntryText() {
    }

    /**
     * @param entries entries, oldest first
     * @return their texts separated by blank lines
     */
    public static String render(List<PollEntry> entries) {
        StringBuilder out = new StringBuilder();
        for (PollEntry e : entries) {
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(render(e));
        }
        return out.toString();
    }

    /**
     * @param e one entry
     * @return its text, one fact per line
     */
    public static String render(PollEntry e) {
        StringBuilder log = new StringBuilder();
        boolean events = e.kind() == PollEntry.Kind.EVENTS;
        log.append(events ? "Events from queue " : "Polling ").append(LogEscaper.line(e.target())).append(" at ")
                .append(e.started().truncatedTo(ChronoUnit.MILLIS)).append('\n');
        if (e.skippedTicks() > 0) {
            log.append(e.skippedTicks()).append(" scheduled poll(s) skipped because the previous poll was still "
                    + "running\n");
        }
        if (e.outcome() == PollEntry.Outcome.NOT_POLLED) {
            return log.append("Not polled: ").append(LogEscaper.line(e.error())).append('\n').toString();
        }
        if (e.baseline() != null) {
            log.append(baselineSentence(e.baseline())).append('\n');
        }
        if (events) {
            log.append(e.changeCount() == 0 ? "No build fired by events.\n"
                    : e.changeCount() + " change(s) fired by events:\n");
        } else if (e.pages() > 0 || e.outcome() == PollEntry.Outcome.OK) {
            log.append("Listed ").append(e.listed()).append(" blob(s) in ").append(e.pages()).append(" page(s); ")
                    .append(e.matched()).append(" matched the filters.\n");
            log.append(e.changeCount() == 0 ? "No changes.\n" : e.changeCount() + " change(s):\n");
        }
        for (PollEntry.Change c : e.changes()) {
            log.append("  ").append(LogEscaper.blobName(c.name())).append("  ETag ").append(c.etag()).append("  ")
                    .append(c.size()).append(" bytes  ").append(c.lastModified()).append('\n');
        }
        if (e.changeCount() > e.changes().size()) {
            log.append("  ... and ").append(e.changeCount() - e.changes().size()).append(" more\n");
        }
        if (e.deferred() > 0) {
            log.append(e.deferred()).append(" further change(s) exceed the limit per poll and are left for the "
                    + "next poll.\n");
        }
        if (e.firedByEvents() > 0) {
            log.append(firedByEventsSentence(e.firedByEvents())).append('\n');
        }
        if (e.scheduled() > 0) {
            log.append(e.batch() ? "Scheduled one build for " + e.scheduled() + " change(s).\n"
                    : "Scheduled " + e.scheduled() + " build(s), one per change.\n");
        }
        for (String note : e.notes()) {
            log.append(LogEscaper.line(note)).append('\n');
        }
        for (String warning : e.warnings()) {
            log.append("WARNING: ").append(LogEscaper.line(warning)).append('\n'); // may quote a blob name
        }
        if (e.kind() == PollEntry.Kind.RECONCILIATION && !e.failed()) {
            log.append(reconciledSentence(e.reconciled())).append('\n');
        }
        if (e.error() != null) {
            log.append("ERROR: ").append(LogEscaper.line(e.error())).append('\n');
        } else {
            log.append("Done in ").append(e.durationMillis()).append(" ms; state saved.\n");
        }
        return log.toString();
    }

    /** How many changes of a reconciliation listing events had already fired, shared by the page and the text. */
    static String firedByEventsSentence(int firedByEvents) {
        return firedByEvents + " of these were fired by events during the listing; not fired again.";
    }

    /** What a reconciliation listing fired that events had not, shared by the page and the text. */
    static String reconciledSentence(int reconciled) {
        return "Reconciled: " + reconciled + " change(s) fired by this listing that no event had fired"
                + (reconciled > 0 ? " (events lost, late or filtered out by the subscription)." : ".");
    }

    /** The sentence that explains a baseline, shared by the page and the text. */
    static String baselineSentence(PollEntry.Baseline baseline) {
        return switch (baseline) {
            case FIRST_POLL -> "First poll: recording the existing blobs as a baseline; only later changes fire.";
            case FIRST_POLL_FROM_BEGINNING -> "First poll from the beginning: every matching blob is a change.";
            case DEFINITION_CHANGED -> "The watch definition (account, container, prefix, patterns or options) "
                    + "changed since the last poll: recording a new baseline; existing blobs do not fire.";
        };
    }
}
