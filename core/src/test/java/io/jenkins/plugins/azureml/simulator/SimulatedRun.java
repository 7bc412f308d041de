package io.jenkins.plugins.azureml.simulator;

import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** One run: walks its pipeline's lifecycle one step per tick; a cancel goes to CancelRequested, then Canceled. */
public final class SimulatedRun {
    private final String runId;
    private final String experimentName;
    private final PublishedPipeline pipeline;
    private final Map<String, String> tags;
    private final Clock clock;
    private final boolean batchJob;
    private int step;
    private RunStatus status;
    private Instant startTime;
    private Instant endTime;
    private final java.util.List<Runnable> tickListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    SimulatedRun(String runId, String experimentName, PublishedPipeline pipeline, Map<String, String> tags,
                 Clock clock) {
        this(runId, experimentName, pipeline, tags, clock, false);
    }

    SimulatedRun(String runId, String experimentName, PublishedPipeline pipeline, Map<String, String> tags,
                 Clock clock, boolean batchJob) {
        this.batchJob = batchJob;
        this.runId = runId;
        this.experimentName = experimentName;
        this.pipeline = pipeline;
        this.tags = Map.copyOf(tags);
        this.clock = clock;
        this.status = pipeline.lifecycle().get(0);
        stamp();
    }

    public String runId() {
        return runId;
    }

    public String experimentName() {
        return experimentName;
    }

    /** Whether a v2 batch endpoint invocation created it (then ARM serves it as a job, too). */
    public boolean batchJob() {
        return batchJob;
    }

    public PublishedPipeline pipeline() {
        return pipeline;
    }

    public Map<String, String> tags() {
        return tags;
    }

    public synchronized RunStatus status() {
        return status;
    }

    public synchronized Instant startTime() {
        return startTime;
    }

    public synchronized Instant endTime() {
        return endTime;
    }

    /** Moves one step along the lifecycle (or from CancelRequested to Canceled); terminal runs stay put. */
    public synchronized void tick() {
        if (status.isTerminal()) {
            return;
        }
        if (status == RunStatus.CANCEL_REQUESTED) {
            status = RunStatus.CANCELED;
        } else if (step + 1 < pipeline.lifecycle().size()) {
            step++;
            status = pipeline.lifecycle().get(step);
        }
        stamp();
        tickListeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} after each tick that moved the run (e.g. to grow its logs). */
    void onTick(Runnable listener) {
        tickListeners.add(listener);
    }

    /** A cancel request; a terminal run ignores it. */
    public synchronized void cancel() {
        if (!status.isTerminal()) {
            status = RunStatus.CANCEL_REQUESTED;
        }
    }

    private void stamp() {
        if (startTime == null && status == RunStatus.RUNNING) {
            startTime = clock.instant();
        }
        if (endTime == null && status.isTerminal()) {
            endTime = clock.instant();
        }
    }
}
