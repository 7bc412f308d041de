package io.jenkins.plugins.azureml.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.azure.json.JsonWriter;
import io.jenkins.plugins.azureml.client.models.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The workspace's MLflow tracking REST API (contracts section 8), on the region host under
 * {@code /mlflow/v1.0/{ws}/api/2.0/mlflow/}: {@code runs/get}, {@code runs/search} (the only filter understood is the
 * parent-run tag, plain, backticked or double-quoted; {@code experiment_ids} required; pages of at most
 * {@link #pageSize(int)} runs with opaque page tokens) and {@code metrics/get-history}. Errors use MLflow's envelope
 * {@code {"error_code", "message"}}. Every submitted run (v1 pipeline run or v2 job) gets a tracking record, and one
 * child run per step its pipeline declares ({@link PublishedPipeline.Builder#stepMetrics}).
 */
public final class MlflowTrackingService {
    /** How non-finite metric values are written: protobuf JSON's strings, or Python json's bare tokens. */
    public enum NonFinite { STRINGS, BARE_TOKENS }

    static final Pattern PATH = Pattern.compile("/mlflow/v1\\.0/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/"
            + "Microsoft\\.MachineLearningServices/workspaces/([^/]+)/api/2\\.0/mlflow/(runs/get|runs/search"
            + "|metrics/get-history)", Pattern.CASE_INSENSITIVE);
    private static final Pattern PARENT_FILTER = Pattern.compile(
            "\\s*tags\\.(?:mlflow\\.parentRunId|`mlflow\\.parentRunId`|\"mlflow\\.parentRunId\")\\s*=\\s*'([^']*)'\\s*");

    private final AzureMlSimulator sim;
    private final Map<String, MlflowRun> runs = new ConcurrentHashMap<>();
    private final List<MlflowRun> order = new CopyOnWriteArrayList<>();
    private final Map<String, String> experimentIds = new ConcurrentHashMap<>();
    private volatile int pageSize = 1000;
    private volatile NonFinite nonFinite = NonFinite.STRINGS;

    MlflowTrackingService(AzureMlSimulator sim) {
        this.sim = sim;
    }

    /** Adds a run (and its series, params, tags) to the tracking store. */
    public MlflowRun add(MlflowRun run) {
        runs.put(run.runId(), run);
        order.add(run);
        return run;
    }

    public MlflowRun run(String runId) {
        return runs.get(runId);
    }

    /** The experiment id MLflow reports for an experiment name (one stable GUID per name). */
    public String experimentId(String experimentName) {
        return experimentIds.computeIfAbsent(experimentName, n -> UUID.nameUUIDFromBytes(
                n.getBytes(StandardCharsets.UTF_8)).toString());
    }

    /** The most runs one search page returns, whatever {@code max_results} asks (default 1000). */
    public MlflowTrackingService pageSize(int size) {
        this.pageSize = size;
        return this;
    }

    public MlflowTrackingService nonFinite(NonFinite style) {
        this.nonFinite = style;
        return this;
    }

    /** The tracking records of a submitted run: the run itself and one child per declared step. */
    void recordSubmitted(SimulatedRun run) {
        PublishedPipeline pipeline = run.pipeline();
        String experiment = experimentId(run.experimentName());
        long start = sim.clock().millis();
        add(MlflowRun.mirroring(run, experiment, start).metrics(pipeline.runMetrics()));
        int i = 0;
        for (Map.Entry<String, Map<String, Double>> step : pipeline.stepMetrics().entrySet()) {
            i++;
            String status = step.getKey().equals(pipeline.failedStep()) ? "FAILED" : "FINISHED";
            add(MlflowRun.withStatus(run.runId() + "_step" + i, step.getKey(), experiment, status, start + i)
                    .childOf(run.runId()).metrics(step.getValue()));
        }
    }

    void handle(HttpExchange exchange, Route route, String path, byte[] body) throws IOException {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            throw new IllegalStateException("route without its path: " + path);
        }
        if (!sim.workspace().equals(new Workspace(m.group(1), m.group(2), m.group(3)))) {
            SimulatorRoutes.send(exchange, 404, SimulatorJson.error("UserError", "Workspace " + m.group(3)
                    + " not found.", SimulatorRoutes.requestId(exchange)));
            return;
        }
        Map<String, String> query = SimulatorRoutes.query(exchange.getRequestURI().getRawQuery());
        switch (route) {
            case MLFLOW_RUN:
                getRun(exchange, query.get("run_id"));
                break;
            case MLFLOW_SEARCH:
                search(exchange, body);
                break;
            default:
                history(exchange, query);
                break;
        }
    }

    private void getRun(HttpExchange exchange, String runId) throws IOException {
        MlflowRun run = runId == null ? null : runs.get(runId);
        if (run == null) {
            notFound(exchange, runId);
            return;
        }
        SimulatorRoutes.send(exchange, 200, SimulatorJson.write(w -> {
            w.writeStartObject();
            w.writeFieldName("run");
            writeRun(w, run);
            w.writeEndObject();
        }));
    }

    private void search(HttpExchange exchange, byte[] body) throws IOException {
        Object request;
        try {
            request = SimulatorJson.parse(body);
        } catch (IOException e) {
            badRequest(exchange, "Malformed JSON body: " + e.getMessage());
            return;
        }
        Object ids = SimulatorJson.field(request, "experiment_ids");
        if (!(ids instanceof List<?> experimentList) || experimentList.isEmpty()) {
            badRequest(exchange, "experiment_ids must name at least one experiment.");
            return;
        }
        Object filter = SimulatorJson.field(request, "filter");
        Matcher parent = PARENT_FILTER.matcher(filter == null ? "" : filter.toString());
        if (!parent.matches()) {
            badRequest(exchange, "Unsupported filter: " + filter);
            return;
        }
        int offset;
        try {
            Object token = SimulatorJson.field(request, "page_token");
            offset = token == null ? 0 : Integer.parseInt(new String(Base64.getDecoder().decode(token.toString()),
                    StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            badRequest(exchange, "Invalid page_token.");
            return;
        }
        Object max = SimulatorJson.field(request, "max_results");
        int size = Math.min(pageSize, max instanceof Number n ? n.intValue() : 1000);
        List<MlflowRun> matches = order.stream()
                .filter(r -> parent.group(1).equals(r.parentRunId()) && experimentList.contains(r.experimentId()))
                .sorted(Comparator.comparingLong(MlflowRun::startTime).reversed())
                .collect(Collectors.toList());
        List<MlflowRun> page = matches.subList(Math.min(offset, matches.size()),
                Math.min(offset + size, matches.size()));
        String next = offset + size < matches.size() ? Base64.getEncoder().encodeToString(
                Integer.toString(offset + size).getBytes(StandardCharsets.UTF_8)) : null;
        SimulatorRoutes.send(exchange, 200, SimulatorJson.write(w -> {
            w.writeStartObject();
            if (!page.isEmpty()) { // MLflow omits empty repeated fields
                w.writeStartArray("runs");
                for (MlflowRun r : page) {
                    writeRun(w, r);
                }
                w.writeEndArray();
            }
            if (next != null) {
                w.writeStringField("next_page_token", next);
            }
            w.writeEndObject();
        }));
    }

    private void history(HttpExchange exchange, Map<String, String> query) throws IOException {
        MlflowRun run = query.get("run_id") == null ? null : runs.get(query.get("run_id"));
        if (run == null) {
            notFound(exchange, query.get("run_id"));
            return;
        }
        String key = query.get("metric_key");
        List<MlflowRun.Value> series = run.values().stream().filter(v -> v.key().equals(key))
                .collect(Collectors.toList());
        int offset = query.get("page_token") == null ? 0 : Integer.parseInt(query.get("page_token"));
        int size = Math.min(pageSize, query.get("max_results") == null ? 25000
                : Integer.parseInt(query.get("max_results")));
        List<MlflowRun.Value> page = series.subList(Math.min(offset, series.size()),
                Math.min(offset + size, series.size()));
        SimulatorRoutes.send(exchange, 200, SimulatorJson.write(w -> {
            w.writeStartObject();
            w.writeStartArray("metrics");
            for (MlflowRun.Value v : page) {
                writeValue(w, v);
            }
            w.writeEndArray();
            if (offset + size < series.size()) {
                w.writeStringField("next_page_token", Integer.toString(offset + size));
            }
            w.writeEndObject();
        }));
    }

    private void writeRun(JsonWriter w, MlflowRun run) throws IOException {
        w.writeStartObject();
        w.writeStartObject("info");
        w.writeStringField("run_id", run.runId());
        w.writeStringField("run_uuid", run.runId());
        w.writeStringField("run_name", run.name());
        w.writeStringField("experiment_id", run.experimentId());
        w.writeStringField("user_id", "00000000-aaaa-bbbb-cccc-000000000000");
        w.writeStringField("status", run.status());
        w.writeStringField("start_time", Long.toString(run.startTime())); // protobuf JSON: int64 as string
        w.writeStringField("artifact_uri", "azureml://experiments/" + run.experimentId() + "/runs/" + run.runId()
                + "/artifacts");
        w.writeStringField("lifecycle_stage", "active");
        w.writeEndObject();
        w.writeStartObject("data");
        w.writeStartArray("metrics");
        for (MlflowRun.Value v : run.latest()) {
            writeValue(w, v);
        }
        w.writeEndArray();
        writePairs(w, "params", run.params());
        writePairs(w, "tags", run.tags());
        w.writeEndObject();
        w.writeEndObject();
    }

    private void writeValue(JsonWriter w, MlflowRun.Value v) throws IOException {
        w.writeStartObject();
        w.writeStringField("key", v.key());
        if (Double.isFinite(v.value())) {
            w.writeDoubleField("value", v.value());
        } else {
            String token = Double.isNaN(v.value()) ? "NaN" : v.value() > 0 ? "Infinity" : "-Infinity";
            if (nonFinite == NonFinite.STRINGS) {
                w.writeStringField("value", token);
            } else {
                w.writeRawField("value", token);
            }
        }
        w.writeStringField("timestamp", Long.toString(v.timestamp()));
        w.writeStringField("step", Long.toString(v.step()));
        w.writeEndObject();
    }

    private static void writePairs(JsonWriter w, String field, Map<String, String> pairs) throws IOException {
        w.writeStartArray(field);
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            w.writeStartObject();
            w.writeStringField("key", e.getKey());
            w.writeStringField("value", e.getValue());
            w.writeEndObject();
        }
        w.writeEndArray();
    }

    private static void notFound(HttpExchange exchange, String runId) throws IOException {
        SimulatorRoutes.send(exchange, 404, mlflowError("RESOURCE_DOES_NOT_EXIST", "Run '" + runId + "' not found."));
    }

    private static void badRequest(HttpExchange exchange, String message) throws IOException {
        SimulatorRoutes.send(exchange, 400, mlflowError("INVALID_PARAMETER_VALUE", message));
    }

    private static byte[] mlflowError(String code, String message) {
        return SimulatorJson.write(w -> {
            w.writeStartObject();
            w.writeStringField("error_code", code);
            w.writeStringField("message", message);
            w.writeEndObject();
        });
    }

    /** Runs in the order they were added. */
    public List<MlflowRun> runs() {
        return new ArrayList<>(order);
    }
}
