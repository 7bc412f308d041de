package io.jenkins.plugins.azureml.blob;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides when a sweep began, trusting no single clock. Two clocks are at hand: the listing answer's {@code Date}
 * header (the service's clock, as seen through any proxy in front of it) and the controller's clock. A start taken
 * too late loses changes, one taken too early only widens the de-duplication window, so the earlier reading is
 * used. The listing's Last-Modified values are the service's own stamps and prove a lower bound: a blob listed with
 * Last-Modified t shows the sweep began no earlier than t less the listing time, so a start below that is raised.
 * Every disagreement beyond {@link #TOLERANCE} becomes a warning for the polling log.
 */
final class SweepClocks {
    /** Clock differences up to this are normal (Date has one-second precision, NTP keeps hosts closer). */
    static final Duration TOLERANCE = Duration.ofSeconds(30);

    private final Instant serviceStart;
    private final Instant serviceDate;
    private final Instant controllerStart;
    private final Instant provisional;

    /**
     * @param serviceDate the first page's Date header, or null when missing or unreadable
     * @param controllerBefore the controller's clock just before the first request was sent
     * @param firstRequest how long the first request took (a monotonic measure)
     */
    SweepClocks(Instant serviceDate, Instant controllerBefore, Duration firstRequest) {
        this.serviceDate = serviceDate;
        // Date is stamped when the answer leaves and truncated to the second: step back over both.
        this.serviceStart = serviceDate == null ? null : serviceDate.minus(firstRequest).minusSeconds(1);
        this.controllerStart = controllerBefore.minusSeconds(1);
        this.provisional = serviceStart == null || controllerStart.isBefore(serviceStart)
                ? controllerStart : serviceStart;
    }

    /** The earliest plausible start, known from the first page on; never later than {@link #start}. */
    Instant provisional() {
        return provisional;
    }

    /**
     * The sweep start, once the listing is complete.
     *
     * @param newestLastModified the newest Last-Modified of all listed blobs, or null when none was listed
     * @param listing how long the whole listing took (a monotonic measure)
     */
    Instant start(Instant newestLastModified, Duration listing) {
        Instant proven = provenLowerBound(newestLastModified, listing);
        return proven != null && proven.isAfter(provisional) ? proven : provisional;
    }

    /** What the user should know about the clocks of this sweep; empty when they agree. */
    List<String> warnings(Instant newestLastModified, Duration listing) {
        List<String> warnings = new ArrayList<>();
        if (serviceStart == null) {
            warnings.add("The listing answer had no Date header (or an unreadable one), so the sweep start comes "
                    + "from this controller's clock alone (" + controllerStart + "). If that clock runs ahead, "
                    + "changes are missed until a listing with a Date shows it. Check any proxy between Jenkins "
                    + "and Azure Storage that removes the Date header.");
        } else if (serviceStart.isAfter(controllerStart.plus(TOLERANCE))) {
            warnings.add("The storage service's Date header (" + serviceDate + ") is " + approx(serviceStart,
                    controllerStart) + " ahead of this controller's clock: the earlier time is used as the sweep "
                    + "start, so no change is missed (the state keeps more blobs). Check the clock of any proxy or "
                    + "gateway in front of Azure Storage, and the controller's time synchronisation.");
        } else if (controllerStart.isAfter(serviceStart.plus(TOLERANCE))) {
            warnings.add("This controller's clock is " + approx(controllerStart, serviceStart) + " ahead of the "
                    + "storage service's Date header (" + serviceDate + "): the earlier time is used as the sweep "
                    + "start, so no change is missed. Fix the controller's time synchronisation (NTP).");
        }
        Instant proven = provenLowerBound(newestLastModified, listing);
        if (proven != null && proven.isAfter(provisional.plus(TOLERANCE))) {
            warnings.add("The listing holds a blob modified at " + newestLastModified + ", " + approx(proven,
                    provisional) + " later than the clock used for the sweep start allows: that clock is behind. "
                    + "The start is taken from the blobs' Last-Modified instead.");
        }
        return warnings;
    }

    private static Instant provenLowerBound(Instant newestLastModified, Duration listing) {
        return newestLastModified == null ? null : newestLastModified.minus(listing).minusSeconds(1);
    }

    /** A difference as a person reads it: seconds below two minutes, whole minutes above. */
    static String approx(Instant later, Instant earlier) {
        return approx(Duration.between(earlier, later));
    }

    static String approx(Duration d) {
        long seconds = Math.round(d.toMillis() / 1000.0);
        return seconds < 120 ? seconds + " s" : "about " + Math.round(seconds / 60.0) + " minutes";
    }
}
