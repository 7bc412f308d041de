package io.jenkins.plugins.azureml.simulator;

import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A scripted published pipeline: what a submission must look like (declared parameters, datapaths, datastores) and
 * how its runs behave (the statuses they go through, one step per tick, and the error of a failed run). Also
 * reachable as a versioned pipeline endpoint by id or name when those are set.
 */
public final class PublishedPipeline {
    private final String id;
    private final String endpointId;
    private final String endpointName;
    private final Set<String> parameters;
    private final Set<String> dataPaths;
    private final Set<String> datastores;
    private final List<RunStatus> lifecycle;
    private final String failureCode;
    private final String failureMessage;
    private final String failedStep;
    private final Map<String, Double> runMetrics;
    private final Map<String, Map<String, Double>> stepMetrics;

    private PublishedPipeline(Builder b) {
        this.id = b.id;
        this.endpointId = b.endpointId;
        this.endpointName = b.endpointName;
        this.parameters = Set.copyOf(b.parameters);
        this.dataPaths = Set.copyOf(b.dataPaths);
        this.datastores = Set.copyOf(b.datastores);
        this.lifecycle = List.copyOf(b.lifecycle);
        this.failureCode = b.failureCode;
        this.failureMessage = b.failureMessage;
        this.failedStep = b.failedStep;
        this.runMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(b.runMetrics));
        this.stepMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(b.stepMetrics));
    }

    /** The seed's sample: parameter input_string, datapath input_datapath, datastore workspaceblobstore. */
    public static Builder sample(String id) {
        return builder(id).parameters("input_string").dataPaths("input_datapath").datastores("workspaceblobstore");
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    public String id() {
        return id;
    }

    public String endpointId() {
        return endpointId;
    }

    public String endpointName() {
        return endpointName;
    }

    public Set<String> parameters() {
        return parameters;
    }

    public Set<String> dataPaths() {
        return dataPaths;
    }

    public Set<String> datastores() {
        return datastores;
    }

    /** The statuses after submission, one per tick; the first is the status at submission. */
    public List<RunStatus> lifecycle() {
        return lifecycle;
    }

    public String failureCode() {
        return failureCode;
    }

    /** The step whose child run failed, or null. */
    public String failedStep() {
        return failedStep;
    }

    public String failureMessage() {
        return failureMessage;
    }

    /** The metrics each run records in MLflow tracking itself. */
    public Map<String, Double> runMetrics() {
        return runMetrics;
    }

    /** Step name → the metrics of that step's child run, in step order. */
    public Map<String, Map<String, Double>> stepMetrics() {
        return stepMetrics;
    }

    /** Builds a {@link PublishedPipeline}; by default runs go NotStarted, Queued, Running, Completed. */
    public static final class Builder {
        private final String id;
        private String endpointId;
        private String endpointName;
        private final Set<String> parameters = new LinkedHashSet<>();
        private final Set<String> dataPaths = new LinkedHashSet<>();
        private final Set<String> datastores = new LinkedHashSet<>();
        private List<RunStatus> lifecycle = List.of(RunStatus.NOT_STARTED, RunStatus.QUEUED, RunStatus.RUNNING,
                RunStatus.COMPLETED);
        private String failedStep;
        private String failureCode = "UserError";
        private String failureMessage = "Step 'train' failed: ValueError: input_string must not be empty";
        private final Map<String, Double> runMetrics = new LinkedHashMap<>();
        private final Map<String, Map<String, Double>> stepMetrics = new LinkedHashMap<>();

        private Builder(String id) {
            this.id = id;
        }

        public Builder endpoint(String endpointId, String endpointName) {
            this.endpointId = endpointId;
            this.endpointName = endpointName;
            return this;
        }

        public Builder parameters(String... names) {
            parameters.addAll(Arrays.asList(names));
            return this;
        }

        public Builder dataPaths(String... names) {
            dataPaths.addAll(Arrays.asList(names));
            return this;
        }

        public Builder datastores(String... names) {
            datastores.addAll(Arrays.asList(names));
            return this;
        }

        /** The statuses a run goes through; the last should be terminal. */
        public Builder lifecycle(RunStatus... statuses) {
            this.lifecycle = new ArrayList<>(Arrays.asList(statuses));
            return this;
        }

        /** A run that spends {@code runningTicks} ticks in Running before it ends with {@code end}. */
        public Builder runningFor(int runningTicks, RunStatus end) {
            List<RunStatus> l = new ArrayList<>(List.of(RunStatus.NOT_STARTED, RunStatus.QUEUED));
            for (int i = 0; i < runningTicks; i++) {
                l.add(RunStatus.RUNNING);
            }
            l.add(end);
            this.lifecycle = l;
            return this;
        }

        /** The step (of {@link #stepMetrics}) whose MLflow child run reports FAILED. */
        public Builder failedStep(String stepName) {
            this.failedStep = stepName;
            return this;
        }

        /** The error a run ending in Failed reports. */
        public Builder failure(String code, String message) {
            this.failureCode = code;
            this.failureMessage = message;
            return this;
        }

        /** Metrics every run logs on itself (MLflow tracking). */
        public Builder runMetrics(Map<String, Double> metrics) {
            runMetrics.putAll(metrics);
            return this;
        }

        /** A step whose child run logs these metrics; steps are recorded in the order declared. */
        public Builder stepMetrics(String stepName, Map<String, Double> metrics) {
            stepMetrics.put(stepName, new LinkedHashMap<>(metrics));
            return this;
        }

        public PublishedPipeline build() {
            return new PublishedPipeline(this);
        }
    }
}
