package io.jenkins.plugins.azureml.blob;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.PagedResponse;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.jenkins.plugins.azureml.InvalidFieldException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Finds new and changed blobs of a {@link BlobWatch} by listing its container and comparing with a
 * {@link WatchState}.
 *
 * <p>Why it is correct: Last-Modified has one-second precision and is stamped when a write request starts, so a
 * blob becomes visible after its Last-Modified and a paginated listing is no snapshot. A poll therefore never
 * trusts "newer than the cursor". Each full sweep records the time S at which it began; every blob committed before
 * S is in that sweep. S is the earlier of the service's clock (the first page's {@code Date} header) and the
 * controller's clock, raised only to what the listing's own Last-Modified values prove ({@link SweepClocks}), so a
 * clock running ahead cannot push it into the future. The next state's window starts at S minus the watch's
 * {@linkplain BlobWatch#lateArrivalMargin() late-arrival margin} (longer than any write request and any clock
 * rounding) and keeps the (name, ETag) of matching blobs modified inside it. The next poll reports a listed blob
 * when its Last-Modified is inside that window and its (name, ETag) is not kept; anything older was visible during
 * an earlier sweep and so was already reported or part of the baseline. A failure before the last page throws
 * {@link BlobPollException} and produces no state: the cursor only moves after a full sweep.
 *
 * <p>Two things are checked on every poll and reported as {@linkplain PollResult#warnings() warnings}. A saved
 * window that starts after this sweep began cannot come from a sound clock (a clock ahead, a state restored or
 * edited): the window is moved back by as far as the state claims to be ahead, and the (name, ETag) pairs
 * de-duplicate. And a change whose Last-Modified lies before the previous sweep's start although that sweep did not
 * list it arrived late by at least the difference; at half the margin the user is told to raise it.
 *
 * <p>Listing is streamed page by page; memory holds only the changes and the window's entries, never the listing.
 * The detector never mutates its inputs and keeps no state of its own between polls, so one instance may serve
 * many watches of the same container, one poll at a time per watch.
 */
public final class BlobChangeDetector {
    /** Late arrivals named one per line in the polling log; the rest are counted. */
    private static final int MAX_LATE_LINES = 10;
    private final BlobContainerClient client;
    private final Integer pageSize;
    private final Clock clock;
    private final boolean summarise;

    private BlobChangeDetector(Builder b) {
        this.client = b.client;
        this.pageSize = b.pageSize;
        this.clock = b.clock;
        this.summarise = b.summarise;
    }

    /**
     * @param client the container to list, from {@link BlobContainerClientFactory}
     * @return a builder
     */
    public static Builder builder(BlobContainerClient client) {
        return new Builder(client);
    }

    /**
     * Lists the watched blobs once, to the last page, and compares them with the state.
     *
     * @param watch what to watch; its container must be this detector's
     * @param state the saved state, or {@link WatchState#empty()}; not modified
     * @return the changes in report order and the state to save once they are handled
     * @throws BlobPollException if listing fails; keep the old state
     */
    public PollResult poll(BlobWatch watch, WatchState state) {
        Objects.requireNonNull(state, "state");
        checkSameContainer(watch);
        PollResult.Baseline baseline = null;
        if (state.isEmpty()) {
            baseline = watch.startPosition() == StartPosition.NOW
                    ? PollResult.Baseline.FIRST_POLL : PollResult.Baseline.FIRST_POLL_FROM_BEGINNING;
        } else if (!watch.fingerprint().equals(state.fingerprint())) {
            baseline = PollResult.Baseline.DEFINITION_CHANGED;
        }
        // A first poll from the beginning still skips what events fired before it (push mode, pre-baseline pairs).
        boolean eventsBefore = baseline == PollResult.Baseline.FIRST_POLL_FROM_BEGINNING
                && watch.fingerprint().equals(state.fingerprint());
        Sweep sweep = new Sweep(watch, baseline == null || eventsBefore ? state : null,
                baseline == PollResult.Baseline.FIRST_POLL || baseline == PollResult.Baseline.DEFINITION_CHANGED);
        list(watch, sweep);
        PollResult result = sweep.result(baseline);
        if (sweep.lateKeys.isEmpty()) {
            return result;
        }
        // The summary gives keys only: name them with a second listing, needed only when something arrived late.
        Sweep naming = new Sweep(watch, null, true);
        naming.lookFor(sweep.lateKeys, sweep.compareFrom);
        list(watch, naming);
        return sweep.withLateArrivals(result, naming.found);
    }

    private void list(BlobWatch watch, Sweep sweep) {
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(watch.prefix().isEmpty() ? null : watch.prefix())
                .setMaxResultsPerPage(pageSize);
        Instant controllerBefore = clock.instant();
        long started = System.nanoTime();
        try {
            Iterable<PagedResponse<BlobItem>> pages = watch.includeSubfolders()
                    ? client.listBlobs(options, null, null).iterableByPage()
                    : client.listBlobsByHierarchy("/", options, null).iterableByPage();
            for (PagedResponse<BlobItem> page : pages) {
                if (sweep.pages == 0) {
                    sweep.begin(new SweepClocks(serviceDate(page), controllerBefore,
                            Duration.ofNanos(System.nanoTime() - started)));
                }
                sweep.pages++;
                for (BlobItem item : page.getValue()) {
                    if (!Boolean.TRUE.equals(item.isPrefix())) {
                        sweep.accept(item);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw BlobPollFailures.translate(e, watch, sweep.pages);
        }
        if (sweep.pages == 0) {
            throw new BlobPollException("Listing container '" + watch.container() + "' in " + watch.accountUrl()
                    + " returned no page; the poll is retried next time", 0, null);
        }
        sweep.duration = Duration.ofNanos(System.nanoTime() - started);
    }

    /** The Date header of a listing answer, or null when it is missing or unreadable. */
    private static Instant serviceDate(PagedResponse<BlobItem> page) {
        String date = page.getHeaders().getValue(HttpHeaderName.DATE);
        if (date == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void checkSameContainer(BlobWatch watch) {
        if (!client.getBlobContainerName().equals(watch.container())) {
            throw new InvalidFieldException("container", "the storage client is for container '"
                    + client.getBlobContainerName() + "' but the watch is for '" + watch.container() + "'");
        }
    }

    @Override
    public String toString() {
        return "BlobChangeDetector{" + client.getAccountUrl() + "/" + client.getBlobContainerName() + ", pageSize="
                + pageSize + "}";
    }

    /** The running figures of one listing. */
    private final class Sweep {
        private final BlobWatch watch;
        private final WatchState old;
        private final Set<WatchState.SeenBlob> oldSeen;
        private final boolean baselineOnly;
        private final Duration margin;
        private final int cap;
        /** Listed pairs that were already seen, with their Last-Modified, to carry into the next window. */
        private final List<Entry> kept = new ArrayList<>();
        /** All changes, or with a cap the cap+1 earliest (a max-heap) so memory stays bounded. */
        private final PriorityQueue<BlobChange> capped;
        private final List<BlobChange> changes = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private long changeCount;
        private long listed;
        private long matched;
        private int pages;
        private Duration duration;
        private SweepClocks clocks;
        /** Matching blobs modified before this are not compared: the old window start, or earlier to recover. */
        private Instant compareFrom;
        /** A change modified before this arrived late (the previous sweep did not list it); null: not measured. */
        private Instant lateBefore;
        private Instant newestLastModified;
        private Duration latest = Duration.ZERO;
        private String latestName;
        /** The summary of older blobs: built on every sweep, compared when the state has one. */
        private LateArrivals late;
        /** Keys that arrived late below the window, to name; filled by {@link #result}. */
        private final Set<Long> lateKeys = new HashSet<>();
        /** When this sweep only names {@link #lateKeys} of another: the blobs found, in listing order. */
        private Set<Long> lookingFor;
        private Instant lookingBelow;
        private final List<BlobChange> found = new ArrayList<>();

        Sweep(BlobWatch watch, WatchState state, boolean baselineOnly) {
            this.watch = watch;
            this.old = state;
            this.oldSeen = state == null ? Set.of() : state.seen();
            this.baselineOnly = baselineOnly;
            this.margin = watch.lateArrivalMargin();
            this.cap = watch.maxChangesPerPoll();
            this.capped = cap > 0 && !baselineOnly
                    ? new PriorityQueue<>(cap + 1, Collections.reverseOrder(BlobChange.REPORT_ORDER)) : null;
        }

        /** Makes this sweep one that only names the blobs of these keys modified before {@code below}. */
        void lookFor(Set<Long> keys, Instant below) {
            lookingFor = keys;
            lookingBelow = below;
        }

        void begin(SweepClocks sweepClocks) {
            this.clocks = sweepClocks;
            Instant now = sweepClocks.provisional();
            late = summarise ? new LateArrivals(baselineOnly ? null : old, now, margin) : null;
            if (baselineOnly) {
                compareFrom = now.minus(margin);
                return;
            }
            if (old == null || old.isEmpty()) {
                // No state, or the pre-baseline state of push mode (events fired before the first listing): compare
                // every blob; the pairs the events fired de-duplicate.
                return;
            }
            compareFrom = old.windowStart();
            lateBefore = old.sweepStart();
            if (old.windowStart().isAfter(now)) {
                // No sound clock saves a window that starts after a later sweep began: reach back as far as the
                // state claims to be ahead, and let the (name, ETag) pairs de-duplicate.
                Instant claimed = old.cursor().isAfter(old.windowStart().plus(margin))
                        ? old.cursor() : old.windowStart().plus(margin);
                Duration ahead = Duration.between(now, claimed);
                compareFrom = now.minus(ahead).minus(margin);
                lateBefore = null;
                warnings.add("The saved state's window starts at " + old.windowStart() + ", in the future of this "
                        + "sweep (" + now + "): it was saved by a clock running at least "
                        + SweepClocks.approx(ahead) + " ahead, or restored or edited. The watch recovered by comparing every blob modified since "
                        + compareFrom + " with the blobs the state has seen; those changes are reported now (a few "
                        + "may have been built before). Check the clocks of the controller and of any proxy in "
                        + "front of Azure Storage.");
            }
        }

        void accept(BlobItem item) {
            listed++;
            BlobItemProperties p = item.getProperties();
            Instant lastModified = p.getLastModified().toInstant();
            if (newestLastModified == null || lastModified.isAfter(newestLastModified)) {
                newestLastModified = lastModified;
            }
            long size = p.getContentLength() == null ? 0 : p.getContentLength();
            if ((watch.ignoreEmptyBlobs() && size == 0) || !watch.matches(item.getName())) {
                return;
            }
            matched++;
            String etag = BlobChange.normaliseEtag(p.getETag());
            if (lookingFor != null) {
                if (lastModified.isBefore(lookingBelow)
                        && lookingFor.contains(SettledSummary.key(item.getName(), etag))) {
                    found.add(change(item.getName(), etag, lastModified, size, p.getContentType()));
                }
                return;
            }
            if (late != null) {
                late.accept(SettledSummary.key(item.getName(), etag), lastModified);
            }
            if (baselineOnly) {
                if (!lastModified.isBefore(compareFrom)) {
                    kept.add(new Entry(item.getName(), etag, lastModified));
                }
                return;
            }
            if (compareFrom != null && lastModified.isBefore(compareFrom)) {
                return;
            }
            if (oldSeen.contains(new WatchState.SeenBlob(item.getName(), etag))) {
                kept.add(new Entry(item.getName(), etag, lastModified));
                return;
            }
            changeCount++;
            if (lateBefore != null && lastModified.isBefore(lateBefore)) {
                Duration late = Duration.between(lastModified, lateBefore);
                if (late.compareTo(latest) > 0) {
                    latest = late;
                    latestName = item.getName();
                }
            }
            BlobChange change = change(item.getName(), etag, lastModified, size, p.getContentType());
            if (capped == null) {
                changes.add(change);
            } else {
                capped.add(change);
                if (capped.size() > cap + 1) {
                    capped.poll();
                }
            }
        }

        private BlobChange change(String name, String etag, Instant lastModified, long size, String contentType) {
            return new BlobChange(watch.container(), name, BlobUrls.blobUrl(client.getBlobContainerUrl(), name), etag,
                    lastModified, size, contentType);
        }

        PollResult result(PollResult.Baseline baseline) {
            Instant sweepStart = clocks.start(newestLastModified, duration);
            warnings.addAll(0, clocks.warnings(newestLastModified, duration));
            List<BlobChange> all = capped == null ? changes : new ArrayList<>(capped);
            all.sort(BlobChange.REPORT_ORDER);
            Instant windowStart = sweepStart.minus(margin);
            List<BlobChange> reported = all;
            boolean deferring = capped != null && all.size() > cap;
            if (deferring) {
                // Hold the window at the first deferred change so it and everything after it stay reportable.
                Instant firstDeferred = all.get(cap).lastModified();
                windowStart = firstDeferred.isBefore(windowStart) ? firstDeferred : windowStart;
                reported = all.subList(0, cap);
            }
            if (compareFrom != null && !baselineOnly && windowStart.isBefore(compareFrom)) {
                windowStart = compareFrom;
            }
            Set<WatchState.SeenBlob> seen = new HashSet<>();
            for (Entry e : kept) {
                if (!e.lastModified.isBefore(windowStart)) {
                    seen.add(new WatchState.SeenBlob(e.name, e.etag));
                }
            }
            for (BlobChange c : reported) {
                if (!c.lastModified().isBefore(windowStart)) {
                    seen.add(new WatchState.SeenBlob(c.name(), c.etag()));
                }
            }
            if (latestName != null && latest.multipliedBy(2).compareTo(margin) >= 0) {
                long suggested = Math.max(margin.toMinutes() + 1, (latest.toSeconds() * 2 + 59) / 60);
                warnings.add("Blob '" + latestName + "' appeared in the listing " + SweepClocks.approx(latest)
                        + " or more after its Last-Modified (Azure stamps it when an upload request starts, so a "
                        + "slow single-request upload arrives late). A change arriving later than lateArrivalMargin ("
                        + SweepClocks.approx(margin) + ") is found only by the summary of older blobs, and only "
                        + "while old blobs are not deleted in numbers: raise the trigger's lateArrivalMargin to at "
                        + "least " + suggested + (suggested == 1 ? " minute." : " minutes."));
            }
            if (late != null && late.comparing()) {
                SettledSummary.Difference difference = late.difference();
                for (Long key : difference.added()) {
                    lateKeys.add(key);
                }
                if (!difference.complete()) {
                    warnings.add(late.undecodedWarning(difference));
                }
            }
            Instant sweepEnd = sweepStart.plus(duration);
            Instant cursor = sweepEnd.isBefore(windowStart) ? windowStart : sweepEnd;
            // A sweep that left changes for later listed them, so they must not count as late next time.
            WatchState next = new WatchState(watch.fingerprint(), cursor, windowStart, deferring ? null : sweepStart,
                    seen);
            if (late != null) {
                next = next.withSummary(late.nextBoundary(windowStart), late.nextSummary(windowStart));
            }
            PollStats stats = new PollStats(listed, matched, pages, duration, sweepStart, sweepEnd);
            return new PollResult(reported, next, stats, baseline, changeCount - reported.size(), warnings);
        }
        /**
         * The result with the late arrivals that the second listing named: reported as changes, each said in the
         * polling log with how late it was. One deleted since the first listing is simply not found.
         */
        PollResult withLateArrivals(PollResult result, List<BlobChange> lateFound) {
            List<BlobChange> all = new ArrayList<>(result.changes());
            List<String> lines = new ArrayList<>(result.warnings());
            Instant previous = old.sweepStart() != null ? old.sweepStart() : old.cursor();
            int said = 0;
            for (BlobChange c : lateFound) {
                if (oldSeen.contains(new WatchState.SeenBlob(c.name(), c.etag())) || all.contains(c)) {
                    continue;
                }
                all.add(c);
                if (said++ < MAX_LATE_LINES) {
                    lines.add("Blob '" + c.name() + "' (Last-Modified " + c.lastModified() + ") became listable "
                            + SweepClocks.approx(Duration.between(c.lastModified(), previous)) + " or more after its "
                            + "Last-Modified, later than lateArrivalMargin (" + SweepClocks.approx(margin) + "): the "
                            + "summary of older blobs found it, and it is reported now.");
                }
            }
            if (said > MAX_LATE_LINES) {
                lines.add((said - MAX_LATE_LINES) + " more late blob(s) reported now, as above.");
            }
            all.sort(BlobChange.REPORT_ORDER);
            return new PollResult(all, result.nextState(), result.stats(), result.baseline().orElse(null),
                    result.deferred(), lines);
        }
    }

    private record Entry(String name, String etag, Instant lastModified) {
    }

    /** Configures a {@link BlobChangeDetector}. */
    public static final class Builder {
        private final BlobContainerClient client;
        private Integer pageSize;
        private Clock clock = Clock.systemUTC();
        private boolean summarise = true;

        private Builder(BlobContainerClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Blobs per listing page (1-5000); null for the service's default of 5000. Small pages suit tests. */
        public Builder pageSize(Integer pageSize) {
            if (pageSize != null && (pageSize < 1 || pageSize > 5000)) {
                throw new InvalidFieldException("pageSize", "must be between 1 and 5000");
            }
            this.pageSize = pageSize;
            return this;
        }

        /**
         * The controller's clock (the system clock by default), checked against the service's Date header: the
         * earlier of the two starts a sweep.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether sweeps keep and compare the summary of older blobs ({@link LateArrivals}); on by default. Off, a
         * blob that arrives later than the late-arrival margin is missed, as before the summary existed: only the
         * benchmark that measures the summary's cost turns it off.
         */
        public Builder lateArrivalSummary(boolean summarise) {
            this.summarise = summarise;
            return this;
        }

        public BlobChangeDetector build() {
            return new BlobChangeDetector(this);
        }
    }
}
