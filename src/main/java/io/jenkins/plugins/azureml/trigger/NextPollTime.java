package io.jenkins.plugins.azureml.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.scheduler.CronTab;
import hudson.scheduler.CronTabList;
import hudson.scheduler.Hash;
import java.time.Instant;
import java.util.Calendar;
import java.util.TimeZone;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * When the trigger's cron schedule fires next, read as core reads a trigger's spec ({@code CronTabList.create} with
 * the job's full name as the hash seed, an optional {@code TZ=} first line, comments and blank lines skipped), from
 * the public {@link CronTab} API ({@code CronTabList#next()} is restricted to core's form validation).
 */
final class NextPollTime {
    private static final Logger LOGGER = Logger.getLogger(NextPollTime.class.getName());

    private NextPollTime() {
    }

    /**
     * @param spec the trigger's cron spec
     * @param jobFullName the job's full name (the hash seed of {@code H})
     * @param now the present
     * @return the next tick after the current minute, or null if the spec cannot be read or never fires
     */
    @CheckForNull
    static Instant after(String spec, String jobFullName, Instant now) {
        Hash hash = Hash.from(jobFullName);
        String timezone = null;
        Instant nearest = null;
        int lineNumber = 0;
        for (String raw : spec.split("\\r?\\n")) {
            lineNumber++;
            String line = raw.trim();
            if (lineNumber == 1 && line.startsWith("TZ=")) {
                timezone = CronTabList.getValidTimezone(line.substring(3));
                if (timezone == null) {
                    return null;
                }
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                CronTab tab = new CronTab(line, lineNumber, hash, timezone);
                TimeZone zone = tab.getTimeZone();
                Calendar cal = zone == null ? Calendar.getInstance() : Calendar.getInstance(zone);
                // The tick of the current minute has run (or is running): look from the next whole minute.
                cal.setTimeInMillis(now.toEpochMilli());
                cal.set(Calendar.SECOND, 0);
                cal.set(Calendar.MILLISECOND, 0);
                cal.add(Calendar.MINUTE, 1);
                Instant next = tab.ceil(cal).toInstant();
                if (nearest == null || next.isBefore(nearest)) {
                    nearest = next;
                }
            } catch (RuntimeException e) {
                // An unreadable line, or a date that never comes (30 February): no next poll from this line.
                LOGGER.log(Level.FINE, "No next tick for the cron line " + lineNumber + " of " + jobFullName, e);
            }
        }
        return nearest;
    }
}
