package io.jenkins.plugins.azureml.run;

import io.jenkins.plugins.azureml.client.AzureMlLogClient;
import io.jenkins.plugins.azureml.client.LogFile;
import io.jenkins.plugins.azureml.client.RunLogFiles;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import io.jenkins.plugins.azureml.client.models.RunReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Follows a run's logs, one poll at a time, on the polls {@link RunWaiter} already makes: asks run history for the
 * run's log files (fresh SAS URLs each time), in {@link LogMode#STEPS} mode also for each step run's (MLflow lists
 * the steps; steps that ended and were read to the end are not asked again), reads what is new in each followed file
 * ({@link LogFileReader}, at most {@link LogSettings#concurrency()} runs at once) and returns the lines, prefixed
 * with their file or step, with the next {@link LogCursor}. Never fails: a log that cannot be read is one line,
 * said once until it can be read again. Holds no state between polls (the cursor is the caller's to save) and no
 * thread.
 */
public final class RunLogFollower {
    private final AzureMlLogClient client;
    private final LogSettings settings;
    private final LogFileReader reader;

    public RunLogFollower(AzureMlLogClient client, LogSettings settings) {
        this.client = client;
        this.settings = settings;
        this.reader = new LogFileReader(client, settings.maxBytesPerPoll());
    }

    public LogSettings settings() {
        return settings;
    }

    /**
     * @param run the pipeline run (or v2 job) being waited for
     * @param cursor what was printed so far ({@link LogCursor#EMPTY} at first)
     * @param runEnded whether the run's last status was terminal: last partial lines are then printed
     */
    public CompletableFuture<LogUpdate> poll(RunReference run, LogCursor cursor, boolean runEnded) {
        if (settings.mode() == LogMode.NONE) {
            return CompletableFuture.completedFuture(new LogUpdate(List.of(), cursor));
        }
        Poll poll = new Poll(run, cursor == null ? LogCursor.EMPTY : cursor);
        CompletableFuture<List<Target>> targets = settings.mode() == LogMode.STEPS ? steps(poll, runEnded)
                : CompletableFuture.completedFuture(List.of(new Target(run.getRunId(), null, runEnded)));
        return targets.thenCompose(list -> batches(poll, list, 0)).thenApply(ignored -> poll.update())
                .exceptionally(bug -> new LogUpdate(List.of("Stopped following the run's log: "
                        + unwrap(bug).getClass().getSimpleName()), poll.original));
    }

    private CompletableFuture<List<Target>> steps(Poll poll, boolean runEnded) {
        List<Target> targets = new ArrayList<>();
        targets.add(new Target(poll.run.getRunId(), null, runEnded));
        return client.getStepRunsAsync(poll.run).handle((steps, error) -> {
            if (error != null) {
                poll.problem("steps", "Could not list the steps of Azure ML run " + poll.run.getRunId() + " ("
                        + unwrap(error).getMessage() + "); following the run's own log only until they can be.");
            } else {
                poll.recovered("steps", null);
                for (RunMetrics step : steps) {
                    if (!poll.original.finishedRuns().contains(step.getRunId())) {
                        targets.add(new Target(step.getRunId(), step.getName(), runEnded));
                    }
                }
            }
            return targets;
        });
    }

    /** Runs {@link LogSettings#concurrency()} targets at a time; results are applied in target order. */
    private CompletableFuture<Void> batches(Poll poll, List<Target> targets, int from) {
        if (from >= targets.size()) {
            return CompletableFuture.completedFuture(null);
        }
        List<Target> batch = targets.subList(from, Math.min(targets.size(), from + settings.concurrency()));
        List<CompletableFuture<TargetResult>> reads = new ArrayList<>();
        for (Target t : batch) {
            reads.add(read(poll, t));
        }
        return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenCompose(ignored -> {
            reads.forEach(r -> poll.apply(r.join()));
            return batches(poll, targets, from + batch.size());
        });
    }

    /** One run's followed files, read one after the other. */
    private CompletableFuture<TargetResult> read(Poll poll, Target target) {
        return client.getLogFilesAsync(poll.run, target.runId).handle((files, error) -> {
            TargetResult result = new TargetResult(target);
            if (error != null) {
                result.problems.put("details " + target.runId, "Could not read the log files of Azure ML run "
                        + target.runId + " (" + unwrap(error).getMessage() + "); the build goes on.");
                return CompletableFuture.completedFuture(result);
            }
            result.recovered.add("details " + target.runId);
            return readFiles(poll, target, files, result);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<TargetResult> readFiles(Poll poll, Target target, RunLogFiles files,
                                                      TargetResult result) {
        boolean ended = target.runEnded || files.status().isTerminal();
        List<LogFile> followed = LogFileChoice.followed(files.files());
        if (files.refused() > 0) {
            result.once.put("refused " + target.runId, "Azure ML run " + target.runId + " lists " + files.refused()
                    + " log file(s) outside Azure Storage or not over https; they are not read.");
        }
        if (followed.size() > settings.maxFilesPerRun()) {
            result.once.put("more files " + target.runId, "Azure ML run " + target.runId + " has "
                    + followed.size() + " log files; following the first " + settings.maxFilesPerRun() + ".");
            followed = followed.subList(0, settings.maxFilesPerRun());
        }
        String studio = new RunReference(poll.run.getServiceBaseUrl(), poll.run.getWorkspace(),
                poll.run.getExperimentName(), target.runId).studioUrl();
        CompletableFuture<Boolean> allAtEnd = CompletableFuture.completedFuture(Boolean.TRUE);
        for (LogFile file : followed) {
            String key = LogCursor.key(target.runId, file.getName());
            long offset = poll.original.offset(target.runId, file.getName());
            boolean atLineStart = poll.original.atLineStart(target.runId, file.getName());
            String prefix = LogFileChoice.prefix(target.stepName, file.getName());
            allAtEnd = allAtEnd.thenCompose(soFar -> reader.read(file, offset, atLineStart, ended, prefix, studio)
                    .thenApply(r -> {
                        if (r.problem() != null) {
                            result.problems.put("file " + key, prefix + " Could not read " + file.getName()
                                    + " of Azure ML run " + target.runId + " (" + r.problem() + "); the build goes"
                                    + " on without it. The log is in Azure ML studio: " + studio);
                        } else {
                            result.recovered.add("file " + key);
                            result.lines.addAll(r.lines());
                            result.offsets.put(key, LogCursor.encode(r.offset(), r.atLineStart()));
                        }
                        return soFar && r.atEnd() && r.problem() == null;
                    }));
        }
        return allAtEnd.thenApply(atEnd -> {
            result.finished = target.stepName != null && ended && atEnd;
            return result;
        });
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** A run whose logs are followed: the run itself (no step name) or a step run. */
    private record Target(String runId, String stepName, boolean runEnded) {
    }

    /** What reading one target gave, applied to the poll in target order. */
    private static final class TargetResult {
        final Target target;
        final List<String> lines = new ArrayList<>();
        final Map<String, Long> offsets = new HashMap<>();
        final Map<String, String> problems = new java.util.LinkedHashMap<>();
        final Map<String, String> once = new java.util.LinkedHashMap<>();
        final Set<String> recovered = new HashSet<>();
        boolean finished;

        TargetResult(Target target) {
            this.target = target;
        }
    }

    /** One poll's running state; mutated only in {@link #apply} and the steps listing, one at a time. */
    private static final class Poll {
        final RunReference run;
        final LogCursor original;
        final List<String> lines = new ArrayList<>();
        final Map<String, Long> offsets;
        final Set<String> finished;
        final Set<String> notices;

        Poll(RunReference run, LogCursor original) {
            this.run = run;
            this.original = original;
            this.offsets = new HashMap<>(original.rawOffsets());
            this.finished = new HashSet<>(original.finishedRuns());
            this.notices = new HashSet<>(original.notices());
        }

        synchronized void problem(String key, String line) {
            if (notices.add("problem " + key)) {
                lines.add(line);
            }
        }

        synchronized void recovered(String key, String line) {
            if (notices.remove("problem " + key) && line != null) {
                lines.add(line);
            }
        }

        synchronized void apply(TargetResult r) {
            r.recovered.forEach(k -> recovered(k, null));
            r.once.forEach((k, line) -> {
                if (notices.add("once " + k)) {
                    lines.add(line);
                }
            });
            lines.addAll(r.lines);
            r.problems.forEach(this::problem);
            offsets.putAll(r.offsets);
            if (r.finished) {
                finished.add(r.target.runId);
            }
        }

        synchronized LogUpdate update() {
            return new LogUpdate(lines, new LogCursor(offsets, finished, notices));
        }
    }
}
