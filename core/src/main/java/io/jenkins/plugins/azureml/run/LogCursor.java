package io.jenkins.plugins.azureml.run;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where following a run's logs stands, saved with the wait's {@link RunProgress} so a restart neither repeats nor
 * skips a line: per file ({@code <run id>/<file name>}) the byte offset printed up to and whether it sits at a line
 * start; the step runs already read to their end; and the notices already given (said once). File names and run ids
 * only: never a URL (URLs are asked for afresh on every poll). Immutable; plain JDK types, so Jenkins' program.dat
 * and Java serialization both keep it.
 */
public final class LogCursor implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Nothing read yet. */
    public static final LogCursor EMPTY = new LogCursor(Map.of(), Set.of(), Set.of());

    /** Offsets; negative: the offset sits inside a line (after a cut line), stored as {@code -offset - 1}. */
    private final TreeMap<String, Long> offsets;
    private final TreeSet<String> finishedRuns;
    private final TreeSet<String> notices;

    LogCursor(Map<String, Long> offsets, Set<String> finishedRuns, Set<String> notices) {
        this.offsets = new TreeMap<>(offsets);
        this.finishedRuns = new TreeSet<>(finishedRuns);
        this.notices = new TreeSet<>(notices);
    }

    /** The key of a file in {@link #offsets()}: run id and file name. */
    static String key(String runId, String fileName) {
        return runId + "/" + fileName;
    }

    /** Bytes printed (or skipped) of a file so far; 0 for a file not seen yet. */
    public long offset(String runId, String fileName) {
        Long stored = offsets.get(key(runId, fileName));
        return stored == null ? 0 : stored < 0 ? -stored - 1 : stored;
    }

    /** Whether the offset of a file is at the start of a line (not after a line cut at the size bound). */
    boolean atLineStart(String runId, String fileName) {
        Long stored = offsets.get(key(runId, fileName));
        return stored == null || stored >= 0;
    }

    /** File key → offset, for tests and diagnostics. */
    public Map<String, Long> offsets() {
        Map<String, Long> plain = new TreeMap<>();
        for (Map.Entry<String, Long> e : offsets.entrySet()) {
            long stored = e.getValue();
            plain.put(e.getKey(), stored < 0 ? -stored - 1 : stored);
        }
        return Collections.unmodifiableMap(plain);
    }

    /** Step runs that ended and whose followed files were read to their end: not asked about again. */
    public Set<String> finishedRuns() {
        return Collections.unmodifiableSet(finishedRuns);
    }

    Set<String> notices() {
        return Collections.unmodifiableSet(notices);
    }

    Map<String, Long> rawOffsets() {
        return Collections.unmodifiableMap(offsets);
    }

    static long encode(long offset, boolean atLineStart) {
        return atLineStart ? offset : -offset - 1;
    }

    @Override
    public String toString() {
        return "LogCursor{" + offsets() + ", finished=" + finishedRuns + "}";
    }
}
