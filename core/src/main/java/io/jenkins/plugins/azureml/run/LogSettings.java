package io.jenkins.plugins.azureml.run;

/**
 * How {@link RunLogFollower} follows logs: which ({@link LogMode}), how many new bytes of one file it prints per poll
 * at most (default {@value #DEFAULT_MAX_BYTES}; more is skipped, with a line saying so), how many files it reads at
 * once in {@link LogMode#STEPS} mode, and how many files of one run it follows. Immutable.
 */
public final class LogSettings {
    /** 256 KiB per file per poll. */
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;
    /** Reads in flight at once: a pipeline of 50 steps does not open 50 connections. */
    public static final int DEFAULT_CONCURRENCY = 4;
    /** Files of one run followed at most (a multi-node step writes one user log per process). */
    public static final int DEFAULT_MAX_FILES_PER_RUN = 8;

    private final LogMode mode;
    private final int maxBytesPerPoll;
    private final int concurrency;
    private final int maxFilesPerRun;

    private LogSettings(LogMode mode, int maxBytesPerPoll, int concurrency, int maxFilesPerRun) {
        if (maxBytesPerPoll < 1024 || concurrency < 1 || maxFilesPerRun < 1) {
            throw new IllegalArgumentException("need maxBytesPerPoll >= 1024, concurrency >= 1, maxFilesPerRun >= 1");
        }
        this.mode = mode;
        this.maxBytesPerPoll = maxBytesPerPoll;
        this.concurrency = concurrency;
        this.maxFilesPerRun = maxFilesPerRun;
    }

    public static LogSettings of(LogMode mode) {
        return new LogSettings(mode, DEFAULT_MAX_BYTES, DEFAULT_CONCURRENCY, DEFAULT_MAX_FILES_PER_RUN);
    }

    public LogSettings withMaxBytesPerPoll(int bytes) {
        return new LogSettings(mode, bytes, concurrency, maxFilesPerRun);
    }

    public LogSettings withConcurrency(int reads) {
        return new LogSettings(mode, maxBytesPerPoll, reads, maxFilesPerRun);
    }

    public LogSettings withMaxFilesPerRun(int files) {
        return new LogSettings(mode, maxBytesPerPoll, concurrency, files);
    }

    public LogMode mode() {
        return mode;
    }

    public int maxBytesPerPoll() {
        return maxBytesPerPoll;
    }

    public int concurrency() {
        return concurrency;
    }

    public int maxFilesPerRun() {
        return maxFilesPerRun;
    }
}
