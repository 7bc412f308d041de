package io.jenkins.plugins.azureml.client.implementation;

import io.jenkins.plugins.azureml.client.models.MetricPoint;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads MLflow REST answers (snake_case, protobuf JSON): {@code runs/get} ({@code {"run": {"info", "data"}}}),
 * {@code runs/search} ({@code {"runs": [...], "next_page_token"}}) and {@code metrics/get-history}
 * ({@code {"metrics": [...], "next_page_token"}}). A run's {@code data.metrics} holds one entry per metric, its last
 * value; should a key repeat, the entry with the highest step, then timestamp, wins. Values may be numbers, numeric
 * strings, "NaN"/"Infinity"/"-Infinity" or bare NaN tokens; a value that is none of these is read as NaN rather
 * than failing the whole answer.
 */
public final class MlflowResponses {
    /** The tag naming a run's parent run, set on every child run (Azure ML pipeline step runs included). */
    public static final String PARENT_RUN_TAG = "mlflow.parentRunId";
    private static final String RUN_NAME_TAG = "mlflow.runName";

    private MlflowResponses() {
    }

    /** A page of runs, or of metric values, and the token of the next page (null on the last). */
    public record Page<T>(List<T> items, String nextPageToken) {
    }

    /** The answer to {@code runs/get}. */
    public static RunMetrics fromGetRun(byte[] body) throws IOException {
        JsonTree json = JsonTree.parse(body);
        JsonTree run = json.get("run");
        if (!run.isObject()) {
            throw new IOException("the response has no run");
        }
        return run(run);
    }

    /** The answer to {@code runs/search}; an empty answer ({@code {}}) is an empty last page. */
    public static Page<RunMetrics> fromSearch(byte[] body) throws IOException {
        JsonTree json = JsonTree.parse(body);
        if (!json.isObject()) {
            throw new IOException("the response is not a JSON object");
        }
        List<RunMetrics> runs = new ArrayList<>();
        for (JsonTree run : json.get("runs").elements()) {
            runs.add(run(run));
        }
        return new Page<>(runs, token(json));
    }

    /** The answer to {@code metrics/get-history}. */
    public static Page<MetricPoint> fromHistory(byte[] body, String key) throws IOException {
        JsonTree json = JsonTree.parse(body);
        if (!json.isObject()) {
            throw new IOException("the response is not a JSON object");
        }
        List<MetricPoint> points = new ArrayList<>();
        for (JsonTree m : json.get("metrics").elements()) {
            String k = m.firstText("key");
            points.add(new MetricPoint(k == null ? key : k, value(m.get("value")), longOf(m, "step"),
                    longOf(m, "timestamp")));
        }
        return new Page<>(points, token(json));
    }

    /** The parent run id a run names in its tags, or null. */
    static String tag(JsonTree run, String key) {
        for (JsonTree t : run.get("data").get("tags").elements()) {
            if (key.equals(t.firstText("key"))) {
                return t.get("value").text();
            }
        }
        return null;
    }

    private static RunMetrics run(JsonTree run) throws IOException {
        JsonTree info = run.get("info");
        String runId = info.firstText("run_id", "run_uuid");
        if (runId == null) {
            throw new IOException("a run has no run_id");
        }
        String name = info.firstText("run_name");
        if (name == null) {
            name = tag(run, RUN_NAME_TAG);
        }
        JsonTree data = run.get("data");
        return new RunMetrics(runId, name, info.firstText("status"), info.firstText("experiment_id"),
                longOf(info, "start_time"), lastValues(data.get("metrics")), params(data.get("params")), List.of());
    }

    /** Metric name → last value, sorted by name so the build page and the returned map read the same each time. */
    private static Map<String, Double> lastValues(JsonTree metrics) {
        Map<String, Double> values = new TreeMap<>();
        Map<String, long[]> positions = new HashMap<>();
        for (JsonTree m : metrics.elements()) {
            String key = m.firstText("key");
            if (key == null) {
                continue;
            }
            long[] position = {longOf(m, "step"), longOf(m, "timestamp")};
            long[] seen = positions.get(key);
            if (seen == null || position[0] > seen[0] || (position[0] == seen[0] && position[1] >= seen[1])) {
                positions.put(key, position);
                values.put(key, value(m.get("value")));
            }
        }
        return values;
    }

    private static Map<String, String> params(JsonTree params) {
        Map<String, String> result = new TreeMap<>();
        for (JsonTree p : params.elements()) {
            String key = p.firstText("key");
            if (key != null) {
                String value = p.get("value").text();
                result.put(key, value == null ? "" : value);
            }
        }
        return new LinkedHashMap<>(result);
    }

    private static double value(JsonTree value) {
        Double d = value.number();
        return d == null ? Double.NaN : d;
    }

    private static long longOf(JsonTree object, String field) {
        Double d = object.get(field).number();
        return d == null || d.isNaN() || d.isInfinite() ? 0 : d.longValue();
    }

    private static String token(JsonTree json) {
        String t = json.firstText("next_page_token");
        return t == null || t.isBlank() ? null : t;
    }
}
