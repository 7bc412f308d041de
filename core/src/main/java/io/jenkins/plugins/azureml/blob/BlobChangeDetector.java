package io.jenkins.plugins.azureml.blob;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.PagedResponse;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.jenkins.plugins.azureml.InvalidFieldException;

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
 * <p>Why it is correct: Last-Modified has one-second precision and is stamped when a commit request starts, so a
 * blob becomes visible after its Last-Modified and a paginated listing is no snapshot. A poll therefore never
 * trusts "newer than the cursor". Each full sweep records the service time S at which it began (the first page's
 * {@code Date} header); every blob committed before S is in that sweep. The next state's window starts at
 * S minus a safety margin (longer than any commit request and any clock rounding) and keeps the (name, ETag) of
 * matching blobs modified inside it. The next poll reports a listed blob when its Last-Modified is inside that
 * window and its (name, ETag) is not kept; anything older was visible during an earlier sweep and so was already
 * reported or part of the baseline. A failure before the last page throws {@link BlobPollException} and produces
 * no state: the cursor only moves after a full sweep.
 *
 * <p>Listing is streamed page by page; memory holds only the changes and the window's entries, never the listing.
 * The detector never mutates its inputs and keeps no state of its own between polls, so one instance may serve
 * many watches of the same container, one poll at a time per watch.
 */
public final class BlobChangeDetector {
    /** The default safety margin; see {@link Builder#safetyMargin(Duration)}. */
    public static final Duration DEFAULT_SAFETY_MARGIN = Duration.ofMinutes(2);

    private final BlobContainerClient client;
    private final Integer pageSize;
    private final Duration safetyMargin;

    private BlobChangeDetector(Builder b) {
        this.client = b.client;
        this.pageSize = b.pageSize;
        this.safetyMargin = b.safetyMargin;
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
        return sweep.result(baseline);
    }

    private void list(BlobWatch watch, Sweep sweep) {
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(watch.prefix().isEmpty() ? null : watch.prefix())
                .setMaxResultsPerPage(pageSize);
        long started = System.nanoTime();
        Instant localStart = Instant.now();
        try {
            Iterable<PagedResponse<BlobItem>> pages = watch.includeSubfolders()
                    ? client.listBlobs(options, null, null).iterableByPage()
                    : client.listBlobsByHierarchy("/", options, null).iterableByPage();
            for (PagedResponse<BlobItem> page : pages) {
                Instant serviceNow = serviceTime(page, localStart.plusNanos(System.nanoTime() - started));
                if (sweep.pages == 0) {
                    // Date is stamped when the answer leaves, truncated to the second: step back over both.
                    Duration firstRequest = Duration.ofNanos(System.nanoTime() - started);
                    sweep.begin(serviceNow.minus(firstRequest).minusSeconds(1), safetyMargin);
                }
                sweep.pages++;
                sweep.sweepEnd = serviceNow;
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

    private static Instant serviceTime(PagedResponse<BlobItem> page, Instant fallback) {
        String date = page.getHeaders().getValue(HttpHeaderName.DATE);
        if (date == null) {
            return fallback;
        }
        try {
            return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return fallback;
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
                + pageSize + ", safetyMargin=" + safetyMargin + "}";
    }

    /** The running figures of one listing. */
    private final class Sweep {
        private final BlobWatch watch;
        private final Set<WatchState.SeenBlob> oldSeen;
        private final Instant oldWindowStart;
        private final boolean baselineOnly;
        private final int cap;
        /** Listed pairs that were already seen, with their Last-Modified, to carry into the next window. */
        private final List<Entry> kept = new ArrayList<>();
        /** All changes, or with a cap the cap+1 earliest (a max-heap) so memory stays bounded. */
        private final PriorityQueue<BlobChange> capped;
        private final List<BlobChange> changes = new ArrayList<>();
        private long changeCount;
        private long listed;
        private long matched;
        private int pages;
        private Duration duration;
        private Instant sweepStart;
        private Instant sweepEnd;
        private Instant marginStart;

        Sweep(BlobWatch watch, WatchState state, boolean baselineOnly) {
            this.watch = watch;
            this.oldSeen = state == null ? Set.of() : state.seen();
            this.oldWindowStart = state == null ? null : state.windowStart();
            this.baselineOnly = baselineOnly;
            this.cap = watch.maxChangesPerPoll();
            this.capped = cap > 0 && !baselineOnly
                    ? new PriorityQueue<>(cap + 1, Collections.reverseOrder(BlobChange.REPORT_ORDER)) : null;
        }

        void begin(Instant start, Duration margin) {
            this.sweepStart = start;
            this.marginStart = start.minus(margin);
        }

        void accept(BlobItem item) {
            listed++;
            BlobItemProperties p = item.getProperties();
            long size = p.getContentLength() == null ? 0 : p.getContentLength();
            if ((watch.ignoreEmptyBlobs() && size == 0) || !watch.matches(item.getName())) {
                return;
            }
            matched++;
            Instant lastModified = p.getLastModified().toInstant();
            String etag = BlobChange.normaliseEtag(p.getETag());
            if (baselineOnly) {
                if (!lastModified.isBefore(marginStart)) {
                    kept.add(new Entry(item.getName(), etag, lastModified));
                }
                return;
            }
            if (oldWindowStart != null && lastModified.isBefore(oldWindowStart)) {
                return;
            }
            if (oldSeen.contains(new WatchState.SeenBlob(item.getName(), etag))) {
                kept.add(new Entry(item.getName(), etag, lastModified));
                return;
            }
            changeCount++;
            BlobChange change = new BlobChange(watch.container(), item.getName(),
                    client.getBlobClient(item.getName()).getBlobUrl(), etag, lastModified, size, p.getContentType());
            if (capped == null) {
                changes.add(change);
            } else {
                capped.add(change);
                if (capped.size() > cap + 1) {
                    capped.poll();
                }
            }
        }

        PollResult result(PollResult.Baseline baseline) {
            List<BlobChange> all = capped == null ? changes : new ArrayList<>(capped);
            all.sort(BlobChange.REPORT_ORDER);
            Instant windowStart = marginStart;
            List<BlobChange> reported = all;
            if (capped != null && all.size() > cap) {
                // Hold the window at the first deferred change so it and everything after it stay reportable.
                Instant firstDeferred = all.get(cap).lastModified();
                windowStart = firstDeferred.isBefore(windowStart) ? firstDeferred : windowStart;
                reported = all.subList(0, cap);
            }
            if (oldWindowStart != null && windowStart.isBefore(oldWindowStart)) {
                windowStart = oldWindowStart;
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
            Instant cursor = sweepEnd.isBefore(windowStart) ? windowStart : sweepEnd;
            WatchState next = new WatchState(watch.fingerprint(), cursor, windowStart, seen);
            PollStats stats = new PollStats(listed, matched, pages, duration, sweepStart, sweepEnd);
            return new PollResult(reported, next, stats, baseline, changeCount - reported.size());
        }
    }

    private record Entry(String name, String etag, Instant lastModified) {
    }

    /** Configures a {@link BlobChangeDetector}. */
    public static final class Builder {
        private final BlobContainerClient client;
        private Integer pageSize;
        private Duration safetyMargin = DEFAULT_SAFETY_MARGIN;

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
         * How far behind the start of a sweep the de-duplication window reaches. It must exceed the longest commit
         * request (a blob is stamped when its commit starts but listed only once it ends) plus clock rounding;
         * a longer margin only costs state size.
         */
        public Builder safetyMargin(Duration safetyMargin) {
            if (safetyMargin == null || safetyMargin.isNegative() || safetyMargin.compareTo(Duration.ofSeconds(2)) < 0) {
                throw new InvalidFieldException("safetyMargin", "must be at least 2 seconds");
            }
            this.safetyMargin = safetyMargin;
            return this;
        }

        public BlobChangeDetector build() {
            return new BlobChangeDetector(this);
        }
    }
}
