package io.jenkins.plugins.azureml.client;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.BinaryData;
import com.azure.json.JsonProviders;
import com.azure.json.JsonWriter;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.implementation.CredentialCloudCheck;
import io.jenkins.plugins.azureml.client.implementation.EndpointRules;
import io.jenkins.plugins.azureml.client.implementation.ErrorTranslator;
import io.jenkins.plugins.azureml.client.implementation.MlflowResponses;
import io.jenkins.plugins.azureml.client.implementation.Operation;
import io.jenkins.plugins.azureml.client.implementation.ServiceCalls;
import io.jenkins.plugins.azureml.client.implementation.TokenAudience;
import io.jenkins.plugins.azureml.client.models.MetricPoint;
import io.jenkins.plugins.azureml.client.models.MlflowTracking;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Reads a run's metrics, and its child runs' (a pipeline's steps), from the workspace's MLflow tracking service
 * ({@link MlflowTracking}): {@code runs/get} for the run, {@code runs/search} on the parent-run tag for its children
 * (every page), {@code metrics/get-history} for one metric's series. Same transport, retry (reads: 429, 5xx and
 * timeouts are retried), endpoint guard and ARM-scope token as {@link AzureMlClient}; build with
 * {@link AzureMlClientBuilder#buildMetricsClient()}. Every failure is an {@link AzureMlException} naming the run,
 * or an {@link InvalidFieldException} for a run id that cannot be one.
 */
public final class AzureMlMetricsClient {
    /** Child runs asked for per search page. */
    static final int PAGE_SIZE = 200;
    /** Pages followed at most: a pipeline with more steps than this allows is not a validation stage's input. */
    static final int MAX_PAGES = 25;
    /** Run ids and job names: letters, digits and {@code _ - . :}; also keeps the search filter well formed. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,254}");

    private final HttpPipeline pipeline;
    private final EndpointRules rules;
    private final ErrorTranslator errors;
    private final ServiceCalls calls;

    AzureMlMetricsClient(HttpPipeline pipeline, EndpointRules rules, String identityDescription,
                         CredentialCloudCheck cloudCheck) {
        this.pipeline = pipeline;
        this.rules = rules;
        this.errors = new ErrorTranslator(identityDescription);
        this.calls = new ServiceCalls(rules, cloudCheck, errors);
    }

    /** The run, its metrics and parameters, and its child runs with theirs (in start order). */
    public RunMetrics getRunMetrics(MlflowTracking tracking, String runId) {
        return getRunMetricsMono(tracking, runId).block();
    }

    /** Non-blocking {@link #getRunMetrics}. */
    public CompletableFuture<RunMetrics> getRunMetricsAsync(MlflowTracking tracking, String runId) {
        return getRunMetricsMono(tracking, runId).toFuture();
    }

    /** Every logged value of one metric of a run, oldest page first. */
    public List<MetricPoint> getMetricHistory(MlflowTracking tracking, String runId, String metricKey) {
        checkRunId(runId);
        if (metricKey == null || metricKey.isBlank()) {
            throw new InvalidFieldException("metric", "The metric name is empty.");
        }
        Operation op = operation(tracking, runId);
        List<MetricPoint> points = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String token = null;
        for (int page = 0; page < MAX_PAGES * 10; page++) {
            String url = tracking.apiUrl("metrics/get-history") + "?run_id=" + encode(runId) + "&metric_key="
                    + encode(metricKey) + "&max_results=" + PAGE_SIZE * 5 + (token == null ? "" : "&page_token="
                    + encode(token));
            MlflowResponses.Page<MetricPoint> result = send(new HttpRequest(HttpMethod.GET, url), op,
                    body -> read(op, () -> MlflowResponses.fromHistory(body, metricKey)))
                    .blockOptional().orElseGet(() -> new MlflowResponses.Page<>(List.of(), null));
            points.addAll(result.items());
            token = result.nextPageToken();
            if (token == null) {
                return points;
            }
            if (!tokens.add(token)) {
                throw repeatedToken(op);
            }
        }
        throw tooMany(op, "values of metric '" + metricKey + "'");
    }

    private Mono<RunMetrics> getRunMetricsMono(MlflowTracking tracking, String runId) {
        return Mono.defer(() -> {
            checkRunId(runId);
            Operation op = operation(tracking, runId);
            String url = tracking.apiUrl("runs/get") + "?run_id=" + encode(runId);
            return send(new HttpRequest(HttpMethod.GET, url), op,
                    body -> read(op, () -> MlflowResponses.fromGetRun(body)))
                    .flatMap(run -> children(tracking, op, run, null, new ArrayList<>(), new HashSet<>(), 0)
                            .map(steps -> {
                                steps.sort(Comparator.comparingLong(RunMetrics::getStartTime)
                                        .thenComparing(RunMetrics::getName));
                                return run.withSteps(steps);
                            }));
        });
    }

    /** Follows the search's pages to the end, collecting the children. */
    private Mono<List<RunMetrics>> children(MlflowTracking tracking, Operation op, RunMetrics parent, String token,
                                            List<RunMetrics> found, Set<String> tokens, int page) {
        if (page >= MAX_PAGES) {
            return Mono.error(tooMany(op, "child runs (over " + MAX_PAGES * PAGE_SIZE + ")"));
        }
        HttpRequest request = new HttpRequest(HttpMethod.POST, tracking.apiUrl("runs/search"))
                .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
                .setBody(BinaryData.fromBytes(searchBody(parent, token)));
        return send(request, op, body -> read(op, () -> MlflowResponses.fromSearch(body))).flatMap(result -> {
            result.items().stream().filter(r -> !r.getRunId().equals(parent.getRunId())).forEach(found::add);
            String next = result.nextPageToken();
            if (next == null) {
                return Mono.just(found);
            }
            if (!tokens.add(next)) {
                return Mono.error(repeatedToken(op));
            }
            return children(tracking, op, parent, next, found, tokens, page + 1);
        });
    }

    /**
     * {@code runs/search} for the parent's children, in its experiment (Azure ML keeps a pipeline's step runs in the
     * pipeline run's experiment). The tag key is written as Azure ML's documentation writes it,
     * {@code tags.mlflow.parentRunId}: MLflow splits the identifier at the first dot, and Azure ML lists escaped
     * (quoted) names among the filters it does not support.
     */
    static byte[] searchBody(RunMetrics parent, String pageToken) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonWriter w = JsonProviders.createWriter(out)) {
            w.writeStartObject();
            w.writeStartArray("experiment_ids");
            if (parent.getExperimentId() != null) {
                w.writeString(parent.getExperimentId());
            }
            w.writeEndArray();
            w.writeStringField("filter", "tags." + MlflowResponses.PARENT_RUN_TAG + " = '" + parent.getRunId() + "'");
            w.writeStringField("run_view_type", "ACTIVE_ONLY");
            w.writeIntField("max_results", PAGE_SIZE);
            if (pageToken != null) {
                w.writeStringField("page_token", pageToken);
            }
            w.writeEndObject();
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private Operation operation(MlflowTracking tracking, String runId) {
        rules.check(tracking.getServiceBaseUrl());
        return new Operation(Operation.Kind.GET_METRICS, "run " + runId, tracking.getWorkspace());
    }

    private static void checkRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new InvalidFieldException("runId", "'" + runId + "' is not an Azure ML run id. Use the runId that"
                    + " triggerAzureMlPipeline returned, or the run's Name (job name) in Azure ML studio.");
        }
    }

    private <T> Mono<T> send(HttpRequest request, Operation op, Function<byte[], T> onSuccess) {
        return calls.send(pipeline, request, TokenAudience.RESOURCE_MANAGER, op, onSuccess);
    }

    private interface Reader<T> {
        T read() throws IOException;
    }

    private static <T> T read(Operation op, Reader<T> reader) {
        try {
            return reader.read();
        } catch (IOException e) {
            throw new AzureMlException("Azure ML answered the request to " + op.describe() + " with a response that"
                    + " could not be read (" + e.getMessage() + "). This is usually temporary.", 200, null, null,
                    true, e);
        }
    }

    private static AzureMlException repeatedToken(Operation op) {
        return new AzureMlException("Azure ML answered the request to " + op.describe() + " with a page token it had"
                + " already sent; stopped rather than read the same pages forever. This is usually temporary.",
                200, null, null, true, null);
    }

    private static AzureMlException tooMany(Operation op, String what) {
        return new AzureMlException("Could not " + op.describe() + ": it has too many " + what + " to read in a"
                + " build. Read fewer (e.g. the run of one step) instead.", 200, null, null, false, null);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
