package io.jenkins.plugins.azureml.run;

import java.time.Duration;

/** Durations as a person reads them in a console or on a build page: {@code 45 s}, {@code 12 min}, {@code 2 h 5 min}. */
public final class ElapsedTime {
    private ElapsedTime() {
    }

    /**
     * @param d a duration; negative counts as zero
     * @return seconds under a minute, whole minutes under an hour, else hours and minutes
     */
    public static String format(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        long rest = minutes % 60;
        return hours + " h" + (rest == 0 ? "" : " " + rest + " min");
    }
}
