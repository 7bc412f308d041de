package io.jenkins.plugins.azureml.blob;

import io.jenkins.plugins.azureml.InvalidFieldException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One trigger poll end to end: load the watch's state, poll, hand the changes to the {@link ChangeScheduler}, and
 * only if every scheduling call succeeded save the new state. Any failure leaves the old state, so the next poll
 * retries and nothing is lost. Returns a {@link PollReport} whose text is the polling log entry.
 *
 * <p>Not thread-safe for one watch: the caller runs one cycle at a time per job.
 */
public final class BlobPollCycle {
    /** How changes become builds. */
    public enum Mode {
        /** One scheduler call (one build) per changed blob. */
        PER_BLOB,
        /** One scheduler call (one build) for all changes of a poll. */
        BATCH
    }

    private static final int LISTED_IN_REPORT = 50;

    private final BlobChangeDetector detector;
    private final WatchStateStore store;
    private final Mode mode;
    private final ChangeScheduler scheduler;
    private final Clock clock;

    /**
     * @param detector lists the watch's container
     * @param store the watch's state file
     * @param mode per blob or batch
     * @param scheduler starts the builds
     */
    public BlobPollCycle(BlobChangeDetector detector, WatchStateStore store, Mode mode, ChangeScheduler scheduler) {
        this(detector, store, mode, scheduler, Clock.systemUTC());
    }

    BlobPollCycle(BlobChangeDetector detector, WatchStateStore store, Mode mode, ChangeScheduler scheduler,
            Clock clock) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.store = Objects.requireNonNull(store, "store");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = clock;
    }

    /**
     * Runs one poll.
     *
     * @param watch what to watch
     * @return the report; failures are reported, not thrown
     */
    public PollReport run(BlobWatch watch) {
        StringBuilder log = new StringBuilder();
        Instant started = clock.instant();
        log.append("Polling ").append(watch.accountUrl()).append('/').append(watch.container()).append('/')
                .append(watch.prefix()).append(" at ").append(started).append('\n');
        WatchState state;
        try {
            state = store.load().orElse(WatchState.empty());
        } catch (WatchStateException e) {
            return failed(log, List.of(), 0, List.of(), e.getMessage());
        }
        PollResult result;
        try {
            result = detector.poll(watch, state);
        } catch (BlobPollException | InvalidFieldException e) {
            return failed(log, List.of(), 0, List.of(), e.getMessage() + " The saved state is unchanged.");
        }
        describe(log, result);
        List<BlobChange> changes = result.changes();
        int scheduled = 0;
        try {
            if (mode == Mode.BATCH && !changes.isEmpty()) {
                scheduler.schedule(changes, BlobChangeEnvironment.forBatch(changes));
                scheduled = changes.size();
                log.append("Scheduled one build for ").append(scheduled).append(" change(s).\n");
            } else if (mode == Mode.PER_BLOB) {
                for (BlobChange change : changes) {
                    scheduler.schedule(List.of(change), BlobChangeEnvironment.forChange(change));
                    scheduled++;
                }
                if (scheduled > 0) {
                    log.append("Scheduled ").append(scheduled).append(" build(s), one per change.\n");
                }
            }
        } catch (Exception e) {
            return failed(log, changes, scheduled, result.warnings(), "Scheduling failed after " + scheduled + " of "
                    + changes.size() + " change(s): " + e + ". The state is not advanced: the next poll reports these "
                    + "changes again, and builds already queued for them are not duplicated.");
        }
        try {
            store.save(result.nextState());
        } catch (WatchStateException e) {
            return failed(log, changes, scheduled, result.warnings(), e.getMessage() + " The next poll may report "
                    + "these changes again; builds already queued for them are not duplicated.");
        }
        log.append("Done in ").append(Duration.between(started, clock.instant()).toMillis())
                .append(" ms; state saved (window of ").append(result.nextState().seen().size())
                .append(" entries).\n");
        return new PollReport(true, changes, scheduled, true, null, result.warnings(), log.toString());
    }

    private static void describe(StringBuilder log, PollResult result) {
        PollStats s = result.stats();
        result.baseline().ifPresent(b -> log.append(switch (b) {
            case FIRST_POLL -> "First poll: recording the existing blobs as a baseline; only later changes fire.\n";
            case FIRST_POLL_FROM_BEGINNING -> "First poll from the beginning: every matching blob is a change.\n";
            case DEFINITION_CHANGED -> "The watch definition (account, container, prefix, patterns or options) "
                    + "changed since the last poll: recording a new baseline; existing blobs do not fire.\n";
        }));
        log.append("Listed ").append(s.listed()).append(" blob(s) in ").append(s.pages()).append(" page(s) in ")
                .append(s.duration().toMillis()).append(" ms; ").append(s.matched())
                .append(" matched the filters.\n");
        List<BlobChange> changes = result.changes();
        log.append(changes.isEmpty() ? "No changes.\n" : changes.size() + " change(s):\n");
        for (int i = 0; i < Math.min(changes.size(), LISTED_IN_REPORT); i++) {
            BlobChange c = changes.get(i);
            log.append("  ").append(printable(c.name())).append("  ETag ").append(c.etag()).append("  ")
                    .append(c.size()).append(" bytes  ").append(c.lastModified()).append('\n');
        }
        if (changes.size() > LISTED_IN_REPORT) {
            log.append("  ... and ").append(changes.size() - LISTED_IN_REPORT).append(" more\n");
        }
        if (result.deferred() > 0) {
            log.append(result.deferred()).append(" further change(s) exceed the limit per poll and are left for the "
                    + "next poll.\n");
        }
        for (String warning : result.warnings()) {
            log.append("WARNING: ").append(printable(warning)).append('\n'); // a warning may quote a blob name
        }
    }

    /** Keeps one log line per blob even for names with control characters. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static PollReport failed(StringBuilder log, List<BlobChange> changes, int scheduled,
            List<String> warnings, String error) {
        log.append("ERROR: ").append(error).append('\n');
        return new PollReport(false, changes, scheduled, false, error, warnings, log.toString());
    }
}
