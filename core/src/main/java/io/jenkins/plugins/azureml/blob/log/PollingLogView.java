package io.jenkins.plugins.azureml.blob.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The polling log page as data: a summary (last poll, last change, last build started, last error, next poll,
 * health) and one row per poll, newest first, consecutive quiet polls collapsed into one row with a count and a
 * time range. Times are local ({@code yyyy-MM-dd HH:mm:ss} in the given zone); names are escaped with
 * {@link LogEscaper}; each change links the build it started when the glue's {@link BuildLookup} knows it, and
 * carries an anchor ({@link #changeAnchor}) that the build's cause links back to. In push mode, batches of queue
 * events are rows too, and the summary says what the reconciliation listings fired that events had not.
 */
public final class PollingLogView {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** A queue warning is said at most hourly while it holds; the summary shows one this recent. */
    private static final Duration QUEUE_WARNING_SHOWN = Duration.ofHours(2);

    /** Finds the build a change started; supplied by the glue (it reads the job's builds' causes). */
    @FunctionalInterface
    public interface BuildLookup {
        /**
         * @return the build whose cause is this change, or null when none is known (queued, or deleted)
         */
        BuildLink find(String container, String name, String etag);
    }

    private final List<Row> rows;
    private final Summary summary;

    private PollingLogView(List<Row> rows, Summary summary) {
        this.rows = List.copyOf(rows);
        this.summary = summary;
    }

    /**
     * @param entries the polling log, oldest first (as {@link PollHistory} reads it)
     * @param zone the zone to show times in (the controller's)
     * @param now the present, for "3 min ago"
     * @param nextPoll when the next poll is due, or null if unknown
     * @param builds finds the build of a change
     * @return the page
     */
    public static PollingLogView of(List<PollEntry> entries, ZoneId zone, Instant now, Instant nextPoll,
            BuildLookup builds) {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(builds, "builds");
        List<PollEntry> newestFirst = new ArrayList<>(entries);
        Collections.reverse(newestFirst);
        List<Row> rows = new ArrayList<>();
        Set<String> anchored = new HashSet<>();
        for (int i = 0; i < newestFirst.size(); i++) {
            PollEntry e = newestFirst.get(i);
            if (e.quiet()) {
                int j = i;
                while (j + 1 < newestFirst.size() && newestFirst.get(j + 1).quiet()) {
                    j++;
                }
                rows.add(quietRow(newestFirst.subList(i, j + 1), zone));
                i = j;
            } else {
                rows.add(row(e, zone, builds, anchored));
            }
        }
        return new PollingLogView(rows, Summary.of(newestFirst, zone, now, nextPoll, builds));
    }

    /** The rows, newest first. */
    public List<Row> getRows() {
        return rows;
    }

    public Summary getSummary() {
        return summary;
    }

    /**
     * The anchor of a change's row on the polling log page, stable across renderings, free of the name's characters.
     *
     * @return {@code blob-} and 24 hex digits
     */
    public static String changeAnchor(String container, String name, String etag) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((container + "\n" + name + "\n" + etag).getBytes(StandardCharsets.UTF_8));
            return "blob-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A time as the page shows it, or "never". */
    static String time(Instant t, ZoneId zone) {
        return t == null ? "never" : DATE_TIME.format(t.atZone(zone));
    }

    /** "3 min ago", "in 4 min", "just now". */
    static String relative(Instant t, Instant now) {
        Duration d = Duration.between(t, now);
        boolean past = !d.isNegative();
        long s = Math.abs(d.getSeconds());
        String span;
        if (s < 60) {
            return past ? "just now" : "in less than a minute";
        } else if (s < 3600) {
            span = (s / 60) + " min";
        } else if (s < 48 * 3600) {
            span = (s / 3600) + " h " + (s % 3600 / 60) + " min";
        } else {
            span = (s / 86400) + " days";
        }
        return past ? span + " ago" : "in " + span;
    }

    private static String range(Instant from, Instant to, ZoneId zone) {
        LocalDate a = from.atZone(zone).toLocalDate();
        LocalDate b = to.atZone(zone).toLocalDate();
        return time(from, zone) + " – " + (a.equals(b) ? TIME.format(to.atZone(zone)) : time(to, zone));
    }

    private static Row quietRow(List<PollEntry> newestFirst, ZoneId zone) {
        PollEntry newest = newestFirst.get(0);
        PollEntry oldest = newestFirst.get(newestFirst.size() - 1);
        String figures = "listed " + count(newest.listed(), "blob") + ", " + newest.matched() + " matched the filters";
        if (newestFirst.size() == 1) {
            return new Row(pollAnchor(newest), time(newest.started(), zone), "quiet", "No changes",
                    List.of(capitalise(figures) + "; took " + newest.durationMillis() + " ms."), List.of());
        }
        return new Row(pollAnchor(newest), range(oldest.started(), newest.started(), zone), "quiet",
                "No changes in " + newestFirst.size() + " polls", List.of("Latest poll " + figures + "."), List.of());
    }

    private static Row row(PollEntry e, ZoneId zone, BuildLookup builds, Set<String> anchored) {
        List<String> details = new ArrayList<>();
        if (e.skippedTicks() > 0) {
            details.add(count(e.skippedTicks(), "scheduled poll") + " skipped before this one: the previous poll was "
                    + "still running.");
        }
        if (e.outcome() == PollEntry.Outcome.NOT_POLLED) {
            return new Row(pollAnchor(e), time(e.started(), zone), "error",
                    "Not polled: " + LogEscaper.line(e.error()), details, List.of());
        }
        if (e.baseline() != null) {
            details.add(PollEntryText.baselineSentence(e.baseline()));
        }
        boolean events = e.kind() == PollEntry.Kind.EVENTS;
        if (events) {
            details.add("Queue events from " + LogEscaper.line(e.target()) + "; took " + e.durationMillis() + " ms.");
        } else if (e.pages() > 0 || !e.failed()) {
            details.add("Listed " + count(e.listed(), "blob") + ", " + e.matched() + " matched the filters; took "
                    + e.durationMillis() + " ms.");
        }
        if (e.changeCount() > e.changes().size()) {
            details.add(count(e.changeCount() - e.changes().size(), "more change") + " not listed here.");
        }
        if (e.deferred() > 0) {
            details.add(count(e.deferred(), "further change") + " over the limit per poll (maxChangesPerPoll): left "
                    + "for the next poll.");
        }
        if (e.firedByEvents() > 0) {
            details.add(PollEntryText.firedByEventsSentence(e.firedByEvents()));
        }
        if (e.kind() == PollEntry.Kind.RECONCILIATION && !e.failed()) {
            details.add(PollEntryText.reconciledSentence(e.reconciled()));
        }
        if (e.scheduled() > 0) {
            details.add(e.batch() ? "One build scheduled for " + count(e.scheduled(), "change") + "."
                    : count(e.scheduled(), "build") + " scheduled, one per change.");
        }
        for (String warning : e.warnings()) {
            details.add("Warning: " + LogEscaper.line(warning));
        }
        for (String note : e.notes()) {
            // Confirmations of scheduled builds are shown as the links of the changes instead.
            if (!note.startsWith("Scheduled a build for ") && !note.startsWith("Scheduled one build for ")) {
                details.add(LogEscaper.line(note));
            }
        }
        List<ChangeRow> changes = new ArrayList<>();
        for (int i = 0; i < e.changes().size(); i++) {
            PollEntry.Change c = e.changes().get(i);
            String anchor = changeAnchor(c.container(), c.name(), c.etag());
            // The newest row listing a change carries its anchor (the one the build's cause links to).
            anchor = anchored.add(anchor) ? anchor : pollAnchor(e) + "-" + i;
            BuildLink build = builds.find(c.container(), c.name(), c.etag());
            String status = build != null ? "" : e.failed() ? "not scheduled: this poll failed"
                    : "no build yet (queued, or since deleted)";
            changes.add(new ChangeRow(anchor, LogEscaper.blobName(c.name()), c.etag(),
                    c.size() + " bytes", c.lastModified() == null ? "" : time(c.lastModified(), zone), build, status));
        }
        String kind;
        String headline;
        if (e.failed()) {
            kind = "error";
            headline = LogEscaper.line(e.error());
        } else if (e.changeCount() > 0) {
            kind = "changes";
            headline = (e.changeCount() == 1 ? "1 new or changed blob" : e.changeCount() + " new or changed blobs")
                    + (events ? " from queue events" : "");
        } else if (events) {
            kind = "quiet";
            headline = "Queue events: no build fired";
        } else if (e.baseline() != null) {
            kind = "baseline";
            headline = e.baseline() == PollEntry.Baseline.DEFINITION_CHANGED ? "New baseline: the watch changed"
                    : "Baseline recorded: " + count(e.matched(), "existing blob");
        } else {
            kind = "quiet";
            headline = "No changes";
        }
        return new Row(pollAnchor(e), time(e.started(), zone), kind, headline, details, changes);
    }

    private static String pollAnchor(PollEntry e) {
        return "poll-" + e.started().toEpochMilli();
    }

    /** "1 blob", "2 blobs". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** One row of the page: one poll, or a run of quiet polls. */
    public static final class Row {
        private final String anchor;
        private final String time;
        private final String kind;
        private final String headline;
        private final List<String> details;
        private final List<ChangeRow> changes;

        Row(String anchor, String time, String kind, String headline, List<String> details, List<ChangeRow> changes) {
            this.anchor = anchor;
            this.time = time;
            this.kind = kind;
            this.headline = headline;
            this.details = List.copyOf(details);
            this.changes = List.copyOf(changes);
        }

        /** The HTML id of the row. */
        public String getAnchor() {
            return anchor;
        }

        /** When, local time; a range for collapsed quiet polls. */
        public String getTime() {
            return time;
        }

        /** {@code quiet}, {@code changes}, {@code baseline} or {@code error}. */
        public String getKind() {
            return kind;
        }

        public String getHeadline() {
            return headline;
        }

        public List<String> getDetails() {
            return details;
        }

        public List<ChangeRow> getChanges() {
            return changes;
        }

        public boolean isError() {
            return "error".equals(kind);
        }
    }

    /** One change of a poll, with the build it started. */
    public static final class ChangeRow {
        private final String anchor;
        private final String name;
        private final String etag;
        private final String size;
        private final String lastModified;
        private final BuildLink build;
        private final String status;

        ChangeRow(String anchor, String name, String etag, String size, String lastModified, BuildLink build,
                String status) {
            this.anchor = anchor;
            this.name = name;
            this.etag = etag;
            this.size = size;
            this.lastModified = lastModified;
            this.build = build;
            this.status = status;
        }

        /** The HTML id of the change: {@link #changeAnchor} on the newest row listing it, unique otherwise. */
        public String getAnchor() {
            return anchor;
        }

        /** The name, escaped for display. */
        public String getName() {
            return name;
        }

        public String getEtag() {
            return etag;
        }

        /** "N bytes". Not {@code getSize}: {@code size} is a JEXL reserved word, so a view could not read it. */
        public String getSizeText() {
            return size;
        }

        /** Last-Modified, local time. */
        public String getLastModified() {
            return lastModified;
        }

        /** The build, or null when none is known. */
        public BuildLink getBuild() {
            return build;
        }

        /** Why there is no build link; empty when there is one. */
        public String getStatus() {
            return status;
        }
    }

    private record LastChange(String when, String name, String more) {
    }

    /** The top of the page. */
    public static final class Summary {
        private final String lastPoll;
        private final LastChange lastChange;
        private final BuildLink lastBuild;
        private final String lastBuildTime;
        private final String lastError;
        private final String nextPoll;
        private final String health;
        private final String zone;
        private final String pushMode;

        private Summary(String lastPoll, LastChange lastChange, BuildLink lastBuild, String lastBuildTime,
                String lastError, String nextPoll, String health, String zone, String pushMode) {
            this.lastPoll = lastPoll;
            this.lastChange = lastChange;
            this.lastBuild = lastBuild;
            this.lastBuildTime = lastBuildTime;
            this.lastError = lastError;
            this.nextPoll = nextPoll;
            this.health = health;
            this.zone = zone;
            this.pushMode = pushMode;
        }

        static Summary of(List<PollEntry> newestFirst, ZoneId zone, Instant now, Instant nextPoll,
                BuildLookup builds) {
            String lastPoll = "none yet";
            PollEntry p = newestFirst.stream().filter(e -> e.kind() != PollEntry.Kind.EVENTS).findFirst()
                    .orElse(null);
            if (p != null) {
                String what = p.failed() ? "failed" : p.changeCount() == 0 ? "no changes"
                        : count(p.changeCount(), "change");
                lastPoll = when(p.started(), zone, now) + ": " + what;
            }
            String lastChange = "none in the log";
            String lastChangeName = null;
            String lastChangeMore = "";
            BuildLink lastBuild = null;
            String lastBuildTime = "";
            String lastError = null;
            for (PollEntry e : newestFirst) {
                if (lastError == null && e.failed()) {
                    lastError = when(e.started(), zone, now) + ": " + LogEscaper.line(e.error());
                }
                if (e.changes().isEmpty()) {
                    continue;
                }
                if (lastChangeName == null) {
                    PollEntry.Change c = e.changes().get(0);
                    lastChange = when(e.started(), zone, now);
                    lastChangeName = LogEscaper.blobName(c.name());
                    lastChangeMore = e.changeCount() > 1 ? "and " + (e.changeCount() - 1) + " more" : "";
                }
                // Within a poll, the last change listed was scheduled last.
                for (int i = e.changes().size() - 1; i >= 0 && lastBuild == null; i--) {
                    PollEntry.Change c = e.changes().get(i);
                    lastBuild = builds.find(c.container(), c.name(), c.etag());
                    if (lastBuild != null) {
                        lastBuildTime = "scheduled by the poll of " + when(e.started(), zone, now);
                    }
                }
            }
            String next = nextPoll == null ? "not scheduled" : when(nextPoll, zone, now);
            List<PollEntry> oldestFirst = new ArrayList<>(newestFirst);
            Collections.reverse(oldestFirst);
            String health = TriggerHealth.of(oldestFirst).describe(zone);
            String pushMode = ReconciliationSummary.of(oldestFirst).map(ReconciliationSummary::text).orElse(null);
            // The queue's own warning (another reader) is repeated hourly while it holds: show a recent one.
            String queueWarning = newestFirst.stream().filter(e -> e.kind() == PollEntry.Kind.EVENTS
                    && !e.warnings().isEmpty() && e.started().isAfter(now.minus(QUEUE_WARNING_SHOWN)))
                    .findFirst().map(e -> LogEscaper.line(e.warnings().get(0))).orElse(null);
            if (queueWarning != null) {
                pushMode = pushMode == null ? queueWarning : pushMode + " " + queueWarning;
            }
            return new Summary(lastPoll, new LastChange(lastChange, lastChangeName, lastChangeMore), lastBuild,
                    lastBuildTime, lastError, next, health, zone.getId(), pushMode);
        }

        private static String when(Instant t, ZoneId zone, Instant now) {
            return time(t, zone) + " (" + relative(t, now) + ")";
        }

        public String getLastPoll() {
            return lastPoll;
        }

        /** When the newest logged change was found ("none in the log" without one). */
        public String getLastChange() {
            return lastChange.when();
        }

        /** The newest logged change's blob name, escaped for display, or null; the page sets it apart as code. */
        public String getLastChangeName() {
            return lastChange.name();
        }

        /** "and 3 more" when that poll found more, else empty. */
        public String getLastChangeMore() {
            return lastChange.more();
        }

        /** The newest build a logged change started, or null. */
        public BuildLink getLastBuild() {
            return lastBuild;
        }

        public String getLastBuildTime() {
            return lastBuildTime;
        }

        /** The newest error with its time, or null when the log has none. */
        public String getLastError() {
            return lastError;
        }

        public String getNextPoll() {
            return nextPoll;
        }

        /** The failure streak, or empty while polls succeed. */
        public String getHealth() {
            return health;
        }

        /** The time zone of the times shown. */
        public String getZone() {
            return zone;
        }

        /** Push mode's health ({@link ReconciliationSummary}), or null without a reconciliation listing in the log. */
        public String getPushMode() {
            return pushMode;
        }
    }
}
