package io.jenkins.plugins.azureml.run;

import java.util.List;

/** What one poll of the logs gave: the console lines, in order, and the cursor to save with them. */
public final class LogUpdate {
    private final List<String> lines;
    private final LogCursor cursor;

    LogUpdate(List<String> lines, LogCursor cursor) {
        this.lines = List.copyOf(lines);
        this.cursor = cursor;
    }

    public List<String> lines() {
        return lines;
    }

    public LogCursor cursor() {
        return cursor;
    }

    @Override
    public String toString() {
        return "LogUpdate{" + lines.size() + " lines, " + cursor + "}";
    }
}
