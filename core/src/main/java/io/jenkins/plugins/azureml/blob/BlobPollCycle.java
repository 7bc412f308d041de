package io.jenkins.plugins.azureml.blob;

import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.blob.log.PollEntry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One trigger poll end to end: load the watch's state, poll, hand the changes to the {@link ChangeScheduler}, and
 * only if every scheduling call succeeded save the new state. Any failure leaves the old state, so the next poll
 * retries and nothing is lost. Returns a {@link PollReport} carrying the polling log entry.
 *
 * <p>Push mode (events through a queue, package {@code blob.events}): the listing becomes the reconciliation. It
 * lists without holding the state file's {@link WatchStateStore#lock() lock}, then under it reloads the state,
 * drops the changes events fired meanwhile, schedules the rest and saves; what it fires is counted as
 * {@linkplain PollReport#reconciled() reconciled}.
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

    private final BlobChangeDetector detector;
    private final WatchStateStore store;
    private final Mode mode;
    private final ChangeScheduler scheduler;
    private final Clock clock;
    private final boolean reconciliation;

    /**
     * @param detector lists the watch's container
     * @param store the watch's state file
     * @param mode per blob or batch
     * @param scheduler starts the builds
     */
    public BlobPollCycle(BlobChangeDetector detector, WatchStateStore store, Mode mode, ChangeScheduler scheduler) {
        this(detector, store, mode, scheduler, Clock.systemUTC(), false);
    }

    BlobPollCycle(BlobChangeDetector detector, WatchStateStore store, Mode mode, ChangeScheduler scheduler,
            Clock clock) {
        this(detector, store, mode, scheduler, clock, false);
    }

    private BlobPollCycle(BlobChangeDetector detector, WatchStateStore store, Mode mode, ChangeScheduler scheduler,
            Clock clock, boolean reconciliation) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.store = Objects.requireNonNull(store, "store");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = clock;
        this.reconciliation = reconciliation;
    }

    /**
     * This cycle as the reconciliation of push mode: its report and polling log count what the listing fired that
     * no event had ("reconciled").
     *
     * @return a cycle with the same parts
     */
    public BlobPollCycle asReconciliation() {
        return new BlobPollCycle(detector, store, mode, scheduler, clock, true);
    }

    /**
     * Runs one poll.
     *
     * @param watch what to watch
     * @return the report; failures are reported, not thrown
     */
    public PollReport run(BlobWatch watch) {
        Entry log = new Entry(clock.instant(), watch.accountUrl() + "/" + watch.container() + "/" + watch.prefix());
        WatchState state;
        try {
            state = store.load().orElse(WatchState.empty());
        } catch (WatchStateException e) {
            return failed(log, List.of(), 0, e.getMessage());
        }
        PollResult result;
        try {
            result = detector.poll(watch, state);
        } catch (BlobPollException | InvalidFieldException e) {
            return failed(log, List.of(), 0, e.getMessage() + " The saved state is unchanged.");
        }
        log.result = result;
        ReentrantLock lock = store.lock();
        lock.lock();
        try {
            return handle(watch, log, state, result);
        } finally {
            lock.unlock();
        }
    }

    /** Under the state file's lock: skip what events fired during the listing, schedule the rest, save. */
    private PollReport handle(BlobWatch watch, Entry log, WatchState listedFrom, PollResult result) {
        WatchState current;
        try {
            current = store.load().orElse(WatchState.empty());
        } catch (WatchStateException e) {
            return failed(log, List.of(), 0, e.getMessage());
        }
        Set<WatchState.SeenBlob> firedMeanwhile = new HashSet<>();
        if (watch.fingerprint().equals(current.fingerprint())) {
            firedMeanwhile.addAll(current.seen());
            firedMeanwhile.removeAll(listedFrom.seen());
        }
        List<BlobChange> changes = new ArrayList<>();
        for (BlobChange c : result.changes()) {
            if (!firedMeanwhile.contains(new WatchState.SeenBlob(c.name(), c.etag()))) {
                changes.add(c);
            }
        }
        log.firedByEvents = result.changes().size() - changes.size();
        WatchState next = firedMeanwhile.isEmpty() ? result.nextState() : result.nextState().withSeen(firedMeanwhile);
        int scheduled = 0;
        try {
            if (mode == Mode.BATCH && !changes.isEmpty()) {
                scheduler.schedule(changes, BlobChangeEnvironment.forBatch(changes));
                scheduled = changes.size();
            } else if (mode == Mode.PER_BLOB) {
                for (BlobChange change : changes) {
                    scheduler.schedule(List.of(change), BlobChangeEnvironment.forChange(change));
                    scheduled++;
                }
            }
        } catch (Exception e) {
            return failed(log, changes, scheduled, "Scheduling failed after " + scheduled + " of "
                    + changes.size() + " change(s): " + e + ". The state is not advanced: the next poll reports these "
                    + "changes again, and builds already queued for them are not duplicated.");
        }
        try {
            store.save(next);
        } catch (WatchStateException e) {
            return failed(log, changes, scheduled, e.getMessage() + " The next poll may report these changes "
                    + "again; builds already queued for them are not duplicated.");
        }
        log.reconciled = reconciliation && result.baseline().isEmpty() ? scheduled : 0;
        return new PollReport(true, changes, scheduled, true, null, log.build(scheduled, null));
    }

    private PollReport failed(Entry log, List<BlobChange> changes, int scheduled, String error) {
        return new PollReport(false, changes, scheduled, false, error, log.build(scheduled, error));
    }

    /** Collects the facts of the polling log entry as the cycle goes. */
    private final class Entry {
        private final Instant started;
        private final String target;
        private PollResult result;
        private int firedByEvents;
        private int reconciled;

        Entry(Instant started, String target) {
            this.started = started;
            this.target = target;
        }

        PollEntry build(int scheduled, String error) {
            long millis = Duration.between(started, clock.instant()).toMillis();
            PollEntry.Outcome outcome = error == null ? PollEntry.Outcome.OK : PollEntry.Outcome.FAILED;
            PollEntry.Kind kind = reconciliation ? PollEntry.Kind.RECONCILIATION : PollEntry.Kind.LISTING;
            if (result == null) {
                return new PollEntry(started, millis, outcome, target, 0, null, 0, 0, 0, List.of(), 0, 0, scheduled,
                        mode == Mode.BATCH, List.of(), List.of(), error, kind, 0, 0);
            }
            PollStats s = result.stats();
            List<BlobChange> changes = result.changes();
            List<PollEntry.Change> listed = changes.stream().limit(PollEntry.MAX_LISTED)
                    .map(c -> new PollEntry.Change(c.container(), c.name(), c.etag(), c.size(), c.lastModified()))
                    .toList();
            PollEntry.Baseline baseline = result.baseline().map(b -> PollEntry.Baseline.valueOf(b.name())).orElse(null);
            return new PollEntry(started, millis, outcome, target, 0, baseline, s.listed(), s.matched(), s.pages(),
                    listed, changes.size(), result.deferred(), scheduled, mode == Mode.BATCH, List.of(),
                    result.warnings(), error, kind, reconciled, firedByEvents);
        }
    }
}
