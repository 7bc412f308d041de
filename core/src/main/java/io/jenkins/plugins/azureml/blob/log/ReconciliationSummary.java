package io.jenkins.plugins.azureml.blob.log;

import java.util.List;
import java.util.Optional;

/**
 * Push mode's health in one line, read from a polling log: how many changes the reconciliation listings fired that
 * no event had fired ({@link PollEntry#reconciled()}). Consistently above zero means events are lost (a broken or
 * too narrow subscription); the line is what the polling log page shows in its summary.
 *
 * @param listings completed reconciliation listings in the log (the log keeps only the newest entries)
 * @param reconciled changes they fired that no event had, summed
 * @param last what the newest of them fired
 */
public record ReconciliationSummary(int listings, long reconciled, long last) {
    /**
     * @param entries a polling log, oldest first
     * @return the summary, or empty when the log holds no completed reconciliation listing (push mode off, or not
     *     yet run)
     */
    public static Optional<ReconciliationSummary> of(List<PollEntry> entries) {
        int listings = 0;
        long sum = 0;
        long last = 0;
        for (PollEntry e : entries) {
            if (e.kind() == PollEntry.Kind.RECONCILIATION && !e.failed()) {
                listings++;
                last = e.reconciled();
                sum += last;
            }
        }
        return listings == 0 ? Optional.empty() : Optional.of(new ReconciliationSummary(listings, sum, last));
    }

    /**
     * The line for the page, one short sentence: e.g. "Push mode: events announced every change the last 3
     * reconciliation listings found." or "Push mode: the reconciliation listings built 2 blobs that no event had
     * announced, 1 of them in the last listing." The page links the troubleshooting guide after it.
     */
    public String text() {
        if (reconciled == 0) {
            return "Push mode: events announced every change " + (listings == 1
                    ? "the last reconciliation listing found." : "the last " + listings
                    + " reconciliation listings found.");
        }
        return "Push mode: " + (listings == 1 ? "the last reconciliation listing" : "the last " + listings
                + " reconciliation listings") + " built " + blobs(reconciled) + " that no event had announced"
                + (listings == 1 ? "." : ", " + last + " of them in the last listing.");
    }

    /** Whether events missed changes: the page shows the line as a warning and links the troubleshooting guide. */
    public boolean eventsMissedChanges() {
        return reconciled > 0;
    }

    private static String blobs(long n) {
        return n == 1 ? "1 blob" : n + " blobs";
    }
}
