package io.jenkins.plugins.azureml.client.models;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run's metrics as MLflow tracking records them: the run's id, name and MLflow status ({@code RUNNING},
 * {@code SCHEDULED}, {@code FINISHED}, {@code FAILED}, {@code KILLED}), the last value of each metric, its parameters,
 * and its child runs (for a pipeline: one per step) with theirs. NaN and infinite values are kept as such. Fields are
 * plain {@code java.util} types, so a build can save it (build.xml) and {@link #toMap()} can hand it to a Pipeline.
 */
public final class RunMetrics implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final String name;
    private final String status;
    private final String experimentId;
    private final long startTime;
    private final LinkedHashMap<String, Double> metrics;
    private final LinkedHashMap<String, String> params;
    private final ArrayList<RunMetrics> steps;

    /**
     * @param metrics metric name → last value (kept in the given order)
     * @param steps child runs, each without steps of its own
     */
    public RunMetrics(String runId, String name, String status, String experimentId, long startTime,
                      Map<String, Double> metrics, Map<String, String> params, List<RunMetrics> steps) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.name = name == null || name.isBlank() ? runId : name;
        this.status = status;
        this.experimentId = experimentId;
        this.startTime = startTime;
        this.metrics = new LinkedHashMap<>(metrics);
        this.params = new LinkedHashMap<>(params);
        this.steps = new ArrayList<>(steps);
    }

    /** The same run with these child runs. */
    public RunMetrics withSteps(List<RunMetrics> childRuns) {
        return new RunMetrics(runId, name, status, experimentId, startTime, metrics, params, childRuns);
    }

    public String getRunId() {
        return runId;
    }

    /** The run's display name (a pipeline step's name for a step run); the run id when it has none. */
    public String getName() {
        return name;
    }

    /** MLflow's status, e.g. {@code FINISHED}; null when the service did not say. */
    public String getStatus() {
        return status;
    }

    public String getExperimentId() {
        return experimentId;
    }

    /** Start time in epoch milliseconds, 0 when unknown; orders the steps. */
    public long getStartTime() {
        return startTime;
    }

    /** Metric name → last logged value (by step, then time). */
    public Map<String, Double> getMetrics() {
        return Collections.unmodifiableMap(metrics);
    }

    public Map<String, String> getParams() {
        return Collections.unmodifiableMap(params);
    }

    /** Child runs in start order. */
    public List<RunMetrics> getSteps() {
        return Collections.unmodifiableList(steps);
    }

    /** The first step with this name, or null. */
    public RunMetrics step(String stepName) {
        return steps.stream().filter(s -> s.name.equals(stepName)).findFirst().orElse(null);
    }

    /**
     * What a Pipeline step returns: {@code runId}, {@code name}, {@code status}, {@code metrics} (name → Double),
     * {@code params} (name → String) and {@code steps} (a list of maps of the same keys, without steps). Only
     * serializable {@code java.util} types, so the CPS program can keep it across a restart. A NaN value becomes
     * null: Groovy compares doubles with {@link Double#compare}, which orders NaN above every number, so
     * {@code auc >= 0.85} would pass a NaN; null is ordered below every number and fails both {@code auc >= 0.85}
     * and passes {@code auc < 0.85}, like a missing metric. Infinities compare correctly and are kept.
     */
    public LinkedHashMap<String, Object> toMap() {
        LinkedHashMap<String, Object> map = ownMap();
        ArrayList<Object> children = new ArrayList<>();
        for (RunMetrics step : steps) {
            children.add(step.ownMap());
        }
        map.put("steps", children);
        return map;
    }

    private LinkedHashMap<String, Object> ownMap() {
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        map.put("runId", runId);
        map.put("name", name);
        map.put("status", status);
        LinkedHashMap<String, Double> values = new LinkedHashMap<>();
        metrics.forEach((k, v) -> values.put(k, v.isNaN() ? null : v));
        map.put("metrics", values);
        map.put("params", new LinkedHashMap<>(params));
        return map;
    }

    /** One line of the build page's metrics table: the run's or a step's name, the metric, its value as text. */
    public static final class Row implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String source;
        private final String metric;
        private final String value;

        Row(String source, String metric, double value) {
            this.source = source;
            this.metric = metric;
            this.value = format(value);
        }

        public String getSource() {
            return source;
        }

        public String getMetric() {
            return metric;
        }

        public String getValue() {
            return value;
        }
    }

    /** The run's metrics, then each step's, one row per metric. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        metrics.forEach((k, v) -> rows.add(new Row(name, k, v)));
        for (RunMetrics step : steps) {
            step.metrics.forEach((k, v) -> rows.add(new Row(step.name, k, v)));
        }
        return rows;
    }

    /** What the console shows: the run's line, then one line per step. */
    public List<String> consoleLines() {
        List<String> lines = new ArrayList<>();
        lines.add("Metrics of Azure ML run " + runId + " (" + status + "): " + describe(metrics));
        for (RunMetrics step : steps) {
            lines.add("  step " + step.name + " (" + step.status + ", run " + step.runId + "): "
                    + describe(step.metrics));
        }
        return lines;
    }

    private static String describe(Map<String, Double> values) {
        if (values.isEmpty()) {
            return "no metrics";
        }
        StringBuilder s = new StringBuilder();
        values.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append('=').append(format(v)));
        return s.toString();
    }

    /** Java's shortest round-trip text, so the page shows what a Pipeline compares: 0.91, NaN, Infinity. */
    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    @Override
    public String toString() {
        return "run " + runId + " (" + name + ", " + status + "): " + metrics + (steps.isEmpty() ? ""
                : ", " + steps.size() + " steps");
    }
}
