package io.jenkins.plugins.azureml.blob;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Push mode's health in one line, read from a polling log: how many changes the reconciliation listings fired that
 * no event had fired ({@link PollReport#reconciled()}). Consistently above zero means events are lost (a broken or
 * too narrow subscription); the line is what the polling log page shows above the log.
 *
 * @param listings reconciliation listings in the log (the log keeps only the newest entries)
 * @param reconciled changes they fired that no event had, summed
 * @param last what the newest of them fired
 */
public record ReconciliationSummary(int listings, long reconciled, long last) {
    private static final Pattern LINE = Pattern.compile("(?m)^Reconciled: (\\d+) change\\(s\\)");

    /**
     * @param pollingLog the polling log's text
     * @return the summary, or empty when the log holds no reconciliation listing (push mode off, or not yet run)
     */
    public static Optional<ReconciliationSummary> of(String pollingLog) {
        Matcher m = LINE.matcher(pollingLog);
        int listings = 0;
        long sum = 0;
        long last = 0;
        while (m.find()) {
            listings++;
            last = Long.parseLong(m.group(1));
            sum += last;
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
