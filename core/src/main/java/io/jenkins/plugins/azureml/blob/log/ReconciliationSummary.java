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

    /** The line for the page. */
    public String text() {
        String verdict = reconciled == 0 ? "events announced every change."
                : "events missed these (lost, late or filtered out by the subscription); see the troubleshooting "
                        + "guide if this keeps growing.";
        return "Push mode: the last reconciliation listing fired " + last + " change(s) that no event had fired; "
                + reconciled + " over the " + listings + " listing(s) in this log: " + verdict;
    }
}
