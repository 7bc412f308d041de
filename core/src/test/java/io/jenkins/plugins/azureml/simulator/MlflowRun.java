package io.jenkins.plugins.azureml.simulator;

import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run as the workspace's MLflow tracking service knows it: id, name, experiment, status, start time, every logged
 * metric value (a series per key), params and tags; a child run names its parent in tag {@code mlflow.parentRunId}.
 * A run that mirrors a submitted {@link SimulatedRun} reports that run's current status, mapped as Azure ML does
 * (Completed → FINISHED, Failed → FAILED, Canceled → KILLED, Running → RUNNING, before → SCHEDULED).
 */
public final class MlflowRun {
    /** One logged value. */
    public record Value(String key, double value, long step, long timestamp) {
    }

    private final String runId;
    private final String name;
    private final String experimentId;
    private final String status;
    private final SimulatedRun mirrored;
    private final long startTime;
    private final List<Value> values = new ArrayList<>();
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, String> tags = new LinkedHashMap<>();

    private MlflowRun(String runId, String name, String experimentId, String status, SimulatedRun mirrored,
                      long startTime) {
        this.runId = runId;
        this.name = name;
        this.experimentId = experimentId;
        this.status = status;
        this.mirrored = mirrored;
        this.startTime = startTime;
        tags.put("mlflow.runName", name);
    }

    /** A finished run. */
    public static MlflowRun finished(String runId, String name, String experimentId, long startTime) {
        return new MlflowRun(runId, name, experimentId, "FINISHED", null, startTime);
    }

    /** A run with a given MLflow status. */
    public static MlflowRun withStatus(String runId, String name, String experimentId, String status, long startTime) {
        return new MlflowRun(runId, name, experimentId, status, null, startTime);
    }

    /** The tracking record of a submitted run; its status follows the run's. */
    static MlflowRun mirroring(SimulatedRun run, String experimentId, long startTime) {
        return new MlflowRun(run.runId(), run.experimentName(), experimentId, null, run, startTime);
    }

    /** Logs one value of a metric at a step (the last logged value is the run's value). */
    public synchronized MlflowRun log(String key, double value, long step) {
        values.add(new Value(key, value, step, 1_700_000_000_000L + values.size()));
        return this;
    }

    /** Logs the last values of several metrics at step 0. */
    public MlflowRun metrics(Map<String, Double> metrics) {
        metrics.forEach((k, v) -> log(k, v, 0));
        return this;
    }

    public synchronized MlflowRun param(String key, String value) {
        params.put(key, value);
        return this;
    }

    public synchronized MlflowRun tag(String key, String value) {
        tags.put(key, value);
        return this;
    }

    /** Makes this a child run of {@code parentRunId}. */
    public MlflowRun childOf(String parentRunId) {
        return tag("mlflow.parentRunId", parentRunId);
    }

    public String runId() {
        return runId;
    }

    public String name() {
        return name;
    }

    public String experimentId() {
        return experimentId;
    }

    public long startTime() {
        return startTime;
    }

    public synchronized String parentRunId() {
        return tags.get("mlflow.parentRunId");
    }

    /** MLflow's status now. */
    public String status() {
        if (mirrored == null) {
            return status;
        }
        RunStatus s = mirrored.status();
        switch (s) {
            case COMPLETED: return "FINISHED";
            case FAILED: return "FAILED";
            case CANCELED: return "KILLED";
            case RUNNING: case FINALIZING: case CANCEL_REQUESTED: return "RUNNING";
            default: return "SCHEDULED";
        }
    }

    /** Every value, in logging order. */
    public synchronized List<Value> values() {
        return List.copyOf(values);
    }

    /** The last value of each key, as {@code runs/get} reports it (highest step, then latest). */
    public synchronized List<Value> latest() {
        Map<String, Value> last = new LinkedHashMap<>();
        for (Value v : values) {
            Value seen = last.get(v.key());
            if (seen == null || v.step() >= seen.step()) {
                last.put(v.key(), v);
            }
        }
        return new ArrayList<>(last.values());
    }

    public synchronized Map<String, String> params() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public synchronized Map<String, String> tags() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
}
