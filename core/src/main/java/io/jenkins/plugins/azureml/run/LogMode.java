package io.jenkins.plugins.azureml.run;

import io.jenkins.plugins.azureml.InvalidFieldException;
import java.util.Locale;

/** Which logs a waiting build follows in its console: the run's own, also its steps', or none. */
public enum LogMode {
    /** The pipeline (parent) run's own log: v1 step status lines, or a v2 job's user log. */
    RUN,
    /** The run's log and each step run's user log, as the step starts. */
    STEPS,
    /** No run log: status changes only. */
    NONE;

    /** {@code run}, {@code steps} or {@code none} (any case); null or blank is {@link #RUN}. */
    public static LogMode parse(String text) {
        if (text == null || text.isBlank()) {
            return RUN;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("logs", "logs must be 'run' (the run's own log, the default), 'steps'"
                    + " (also each step's log) or 'none', not '" + text + "'.");
        }
    }

    /** The argument's spelling: {@code run}, {@code steps}, {@code none}. */
    public String argument() {
        return name().toLowerCase(Locale.ROOT);
    }
}
