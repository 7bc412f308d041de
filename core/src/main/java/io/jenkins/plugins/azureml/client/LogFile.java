package io.jenkins.plugins.azureml.client;

import java.util.Objects;

/**
 * One log file of a run as run history listed it: its name (e.g. {@code user_logs/std_log.txt}) and, hidden, the SAS
 * URL it can be read from. The URL is a credential: it is only reachable inside this package (by
 * {@link AzureMlLogClient#readAsync}), never printed ({@link #toString()} is the name) and never serializable, so a
 * caller cannot log it, save it or read another URL with it.
 */
public final class LogFile {
    private final String runId;
    private final String name;
    private final String sasUrl;

    LogFile(String runId, String name, String sasUrl) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.name = Objects.requireNonNull(name, "name");
        this.sasUrl = Objects.requireNonNull(sasUrl, "sasUrl");
    }

    /** The run (or step run) the file belongs to. */
    public String getRunId() {
        return runId;
    }

    /** The file's name in the run, e.g. {@code logs/azureml/executionlogs.txt}. */
    public String getName() {
        return name;
    }

    String sasUrl() {
        return sasUrl;
    }

    /** The name only: never the URL. */
    @Override
    public String toString() {
        return name;
    }
}
