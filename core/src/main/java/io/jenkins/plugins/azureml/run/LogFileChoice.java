package io.jenkins.plugins.azureml.run;

import io.jenkins.plugins.azureml.client.LogFile;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which of a run's log files are followed, as the SDKs' streaming helpers pick them: a v1 pipeline run's step status
 * log {@code logs/azureml/executionlogs.txt} and the user logs {@code user_logs/std_log*.txt} (v2 jobs and steps, one
 * per process on several nodes); only when neither exists, the driver log {@code azureml-logs/70_driver_log*.txt} of
 * older runs. System logs (image build, setup, metrics) are not followed: they are in studio.
 */
final class LogFileChoice {
    private static final Pattern PRIMARY = Pattern.compile("logs/azureml/executionlogs\\.txt|user_logs/std_log[^/]*\\.txt");
    private static final Pattern LEGACY = Pattern.compile("azureml-logs/70_driver_log[^/]*\\.txt");

    private LogFileChoice() {
    }

    /** The followed files among {@code files}, in name order. */
    static List<LogFile> followed(List<LogFile> files) {
        List<LogFile> primary = new ArrayList<>();
        List<LogFile> legacy = new ArrayList<>();
        for (LogFile f : files) {
            if (PRIMARY.matcher(f.getName()).matches()) {
                primary.add(f);
            } else if (LEGACY.matcher(f.getName()).matches()) {
                legacy.add(f);
            }
        }
        return primary.isEmpty() ? legacy : primary;
    }

    /**
     * The console prefix of a file's lines: the file's short name for the run itself ({@code [executionlogs]},
     * {@code [std_log]}); the step's name for its user log ({@code [train]}), with the short name for its other files
     * ({@code [train std_log_process_1]}).
     *
     * @param stepName null for the run itself
     */
    static String prefix(String stepName, String fileName) {
        String base = fileName.substring(fileName.lastIndexOf('/') + 1);
        base = base.endsWith(".txt") ? base.substring(0, base.length() - 4) : base;
        if (stepName == null) {
            return "[" + base + "]";
        }
        String step = LogText.clean(stepName).replace("[", "(").replace("]", ")");
        return "[" + step + (base.equals("std_log") ? "" : " " + base) + "]";
    }
}
