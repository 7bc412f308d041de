package io.jenkins.plugins.azureml.blob.events;

import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import io.jenkins.plugins.azureml.blob.BlobChange;
import io.jenkins.plugins.azureml.blob.BlobChangeEnvironment;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.BlobUrls;
import io.jenkins.plugins.azureml.blob.WatchState;
import io.jenkins.plugins.azureml.blob.WatchStateException;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decides one job's events of one received batch with the job's {@link WatchState}, under the state file's lock (so
 * the reconciliation listing and the events never both fire a version): a (name, ETag) already seen is a duplicate;
 * otherwise the blob's current properties are read and an event whose ETag is no longer the blob's is stale and
 * fires nothing (the newer version has its own event, and the listing sees it anyway). Reading the properties also
 * gives the Last-Modified the state's window needs: a version modified before the window of the last listing was
 * seen by it. Fired pairs are added to the state, which is saved after the builds are scheduled.
 */
final class WatchEventHandler {
    /** One event of a message for this job. */
    record Item(int message, BlobEvent event) {
    }

    /**
     * The outcome per message (the worst over its events), the counts, and for the polling log the notes and the
     * error that failed all of the job's events (null when none did).
     */
    record Result(Map<Integer, EventOutcome> perMessage, Map<EventOutcome, Integer> counts, List<BlobChange> fired,
            List<String> notes, String error) {
    }

    /** Data Lake's last write of a file: the event that carries its content. */
    private static final String FLUSH = "FlushWithClose";

    private final EventWatchTarget target;
    private final ParallelCalls calls;
    /** Per blob name, its properties (null: deleted), read for this batch in parallel before deciding. */
    private final Map<String, ParallelCalls.Call<BlobProperties>> properties = new HashMap<>();

    WatchEventHandler(EventWatchTarget target, ParallelCalls calls) {
        this.target = target;
        this.calls = calls;
    }

    Result handle(List<Item> items) {
        Map<Integer, EventOutcome> perMessage = new LinkedHashMap<>();
        Map<EventOutcome, Integer> counts = new EnumMap<>(EventOutcome.class);
        List<String> log = new ArrayList<>();
        List<BlobChange> fired = new ArrayList<>();
        ReentrantLock lock = target.store().lock();
        lock.lock();
        try {
            WatchState state;
            try {
                state = target.store().load().orElse(WatchState.empty());
            } catch (WatchStateException e) {
                items.forEach(i -> record(perMessage, counts, i.message(), EventOutcome.FAILED));
                describe(log, counts);
                return new Result(perMessage, counts, fired, log, e.getMessage());
            }
            String fingerprint = target.watch().fingerprint();
            if (!fingerprint.equals(state.fingerprint())) {
                // No poll yet, or one for an older definition: events fire from here; the listing takes its baseline.
                state = WatchState.preBaseline(fingerprint, Set.of());
            }
            Set<WatchState.SeenBlob> seen = new HashSet<>(state.seen());
            for (Item item : items) {
                if (needsCheck(item.event(), seen)) {
                    String name = item.event().name();
                    properties.computeIfAbsent(name, n -> calls.start(() -> readProperties(n)));
                }
            }
            Set<WatchState.SeenBlob> added = new HashSet<>();
            List<Integer> firedMessages = new ArrayList<>();
            for (Item item : items) {
                BlobEvent e = item.event();
                EventOutcome outcome;
                BlobChange change = null;
                if (e.hasEtag() && seen.contains(new WatchState.SeenBlob(e.name(), e.etag()))) {
                    outcome = EventOutcome.DUPLICATE;
                } else if (isEmptyByItsEvent(e)) {
                    outcome = EventOutcome.EMPTY;
                } else {
                    try {
                        change = current(e);
                        outcome = change == null ? EventOutcome.STALE
                                : seen.contains(new WatchState.SeenBlob(change.name(), change.etag()))
                                        ? EventOutcome.DUPLICATE // a rename's copy: its ETag came from the blob
                                : change.size() == 0 && target.watch().ignoreEmptyBlobs() ? EventOutcome.EMPTY
                                : !state.isEmpty() && change.lastModified().isBefore(state.windowStart())
                                        ? EventOutcome.COVERED_BY_LISTING : EventOutcome.FIRED;
                    } catch (RuntimeException ex) {
                        log.add("Checking " + e.name() + " failed: " + ex.getClass().getSimpleName()
                                + "; the message comes back later.");
                        outcome = EventOutcome.FAILED;
                    }
                }
                WatchState.SeenBlob pair = change == null ? null
                        : new WatchState.SeenBlob(change.name(), change.etag());
                if (outcome == EventOutcome.FIRED && target.mode() == BlobPollCycle.Mode.PER_BLOB) {
                    try {
                        target.scheduler().schedule(List.of(change), BlobChangeEnvironment.forChange(change));
                    } catch (Exception ex) {
                        log.add("Scheduling " + e.name() + " failed: " + ex + "; the message comes back later.");
                        outcome = EventOutcome.FAILED;
                    }
                }
                if (outcome == EventOutcome.FIRED) {
                    seen.add(pair);
                    added.add(pair);
                    fired.add(change);
                    firedMessages.add(item.message());
                }
                record(perMessage, counts, item.message(), outcome);
            }
            if (!fired.isEmpty() && target.mode() == BlobPollCycle.Mode.BATCH) {
                try {
                    target.scheduler().schedule(fired, BlobChangeEnvironment.forBatch(fired));
                } catch (Exception ex) {
                    return failAll(perMessage, counts, firedMessages, log, "Scheduling one build for " + fired.size()
                            + " change(s) failed: " + ex + "; the messages come back later.");
                }
            }
            if (!added.isEmpty()) {
                try {
                    target.store().save(state.withSeen(added));
                } catch (WatchStateException ex) {
                    return failAll(perMessage, counts, firedMessages, log, ex.getMessage() + " The messages come "
                            + "back; builds already queued for them are not duplicated.");
                }
            }
        } finally {
            lock.unlock();
        }
        describe(log, counts);
        return new Result(perMessage, counts, fired, log, null);
    }

    /**
     * The blob's current version as a change, or null when the event's version is no longer current. An event without
     * an ETag (a rename) means the blob's current version.
     */
    private BlobChange current(BlobEvent e) {
        BlobProperties p = properties.computeIfAbsent(e.name(), n -> calls.start(() -> readProperties(n))).get();
        if (p == null) {
            return null; // deleted since
        }
        String etag = BlobChange.normaliseEtag(p.getETag());
        if (e.hasEtag() && !etag.equals(e.etag())) {
            return null;
        }
        return new BlobChange(target.watch().container(), e.name(),
                BlobUrls.blobUrl(target.client().getBlobContainerUrl(), e.name()), etag,
                p.getLastModified().toInstant(), p.getBlobSize(), p.getContentType());
    }

    /** Whether deciding the event needs the blob's properties: not a duplicate, not empty by the event itself. */
    private boolean needsCheck(BlobEvent e, Set<WatchState.SeenBlob> seen) {
        return !(e.hasEtag() && seen.contains(new WatchState.SeenBlob(e.name(), e.etag()))) && !isEmptyByItsEvent(e);
    }

    /** An empty blob, or Data Lake's CreateFile (its FlushWithClose is the event with the content). */
    private boolean isEmptyByItsEvent(BlobEvent e) {
        return e.contentLength() == 0 && target.watch().ignoreEmptyBlobs() && !FLUSH.equals(e.api());
    }

    /** The blob's properties, or null when it no longer exists. */
    private BlobProperties readProperties(String name) {
        try {
            return target.client().getBlobClient(name).getProperties();
        } catch (BlobStorageException ex) {
            if (ex.getStatusCode() == 404) {
                return null;
            }
            throw ex;
        }
    }

    private static Result failAll(Map<Integer, EventOutcome> perMessage, Map<EventOutcome, Integer> counts,
            List<Integer> firedMessages, List<String> log, String error) {
        for (Integer m : firedMessages) {
            perMessage.put(m, EventOutcome.FAILED);
        }
        counts.merge(EventOutcome.FIRED, -firedMessages.size(), Integer::sum);
        counts.merge(EventOutcome.FAILED, firedMessages.size(), Integer::sum);
        describe(log, counts);
        return new Result(perMessage, counts, List.of(), log, error);
    }

    private static void record(Map<Integer, EventOutcome> perMessage, Map<EventOutcome, Integer> counts, int message,
            EventOutcome outcome) {
        counts.merge(outcome, 1, Integer::sum);
        perMessage.merge(message, outcome, (a, b) -> a == EventOutcome.FAILED ? a : b);
    }

    /** "Events: fired 2, duplicate 1": the fired changes themselves are the entry's changes. */
    private static void describe(List<String> log, Map<EventOutcome, Integer> counts) {
        StringBuilder line = new StringBuilder("Events:");
        counts.forEach((k, v) -> {
            if (v > 0) {
                line.append(line.length() > "Events:".length() ? ", " : " ")
                        .append(k.name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(' ').append(v);
            }
        });
        log.add(line.toString());
    }
}
