package io.jenkins.plugins.azureml.client;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import io.jenkins.plugins.azureml.client.implementation.LogFileResponses;
import io.jenkins.plugins.azureml.client.implementation.LogUrlRules;
import io.jenkins.plugins.azureml.client.implementation.Operation;
import io.jenkins.plugins.azureml.client.implementation.ServiceCalls;
import io.jenkins.plugins.azureml.client.implementation.TokenAudience;
import io.jenkins.plugins.azureml.client.models.MlflowTracking;
import io.jenkins.plugins.azureml.client.models.RunMetrics;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what following a run's logs needs: the run's (or a step run's) log files from run history details, with fresh
 * SAS URLs (bearer token, like every Azure ML call); the step runs of a pipeline run (MLflow, like
 * {@link AzureMlMetricsClient}); and byte ranges of a log file, sent on a pipeline WITHOUT any token policy to the
 * blob URL the details gave (the SAS is the credential), only to Azure Storage hosts over https
 * ({@link LogUrlRules}). No method puts a URL into a message, an exception or a log. Build with
 * {@link AzureMlClientBuilder#buildLogClient()}. Non-blocking.
 */
public final class AzureMlLogClient {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes\\s+\\*/(\\d+)");

    private final HttpPipeline detailsPipeline;
    private final HttpPipeline blobPipeline;
    private final ServiceCalls calls;
    private final LogUrlRules urls;
    private final AzureMlMetricsClient steps;

    AzureMlLogClient(HttpPipeline detailsPipeline, HttpPipeline blobPipeline, ServiceCalls calls, LogUrlRules urls,
                     AzureMlMetricsClient steps) {
        this.detailsPipeline = detailsPipeline;
        this.blobPipeline = blobPipeline;
        this.calls = calls;
        this.urls = urls;
        this.steps = steps;
    }

    /**
     * The status and log files of a run or step run of {@code run}'s workspace, from run history details.
     *
     * @param runId {@code run}'s id or one of its step runs' ids
     * @return fails with an {@link AzureMlException} naming the run (never a URL)
     */
    public CompletableFuture<RunLogFiles> getLogFilesAsync(RunReference run, String runId) {
        try {
            String url = run.getServiceBaseUrl() + "/history/v1.0/" + run.getWorkspace().servicePath() + "/runs/"
                    + URLEncoder.encode(runId, StandardCharsets.UTF_8).replace("+", "%20") + "/details";
            Operation op = new Operation(Operation.Kind.GET_RUN, "run " + runId, run.getWorkspace(),
                    run.isBatchJob());
            return calls.send(detailsPipeline, new HttpRequest(HttpMethod.GET, url), TokenAudience.RESOURCE_MANAGER,
                    op, body -> files(runId, body)).toFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The step runs of a pipeline run (its child runs in MLflow tracking), in start order, with their names. */
    public CompletableFuture<List<RunMetrics>> getStepRunsAsync(RunReference run) {
        try {
            return steps.getRunMetricsAsync(MlflowTracking.of(run), run.getRunId()).thenApply(RunMetrics::getSteps);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Reads bytes {@code first} to {@code last} (inclusive) of a log file with {@code Range: bytes=first-last}. Never
     * fails: HTTP errors and network failures come back as {@link LogRange.Kind#UNREADABLE}.
     */
    public CompletableFuture<LogRange> readAsync(LogFile file, long first, long last) {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("need 0 <= first <= last");
        }
        HttpRequest request = new HttpRequest(HttpMethod.GET, file.sasUrl())
                .setHeader(HttpHeaderName.RANGE, "bytes=" + first + "-" + last);
        return blobPipeline.send(request)
                .flatMap(response -> response.getBodyAsByteArray().defaultIfEmpty(new byte[0])
                        .map(body -> range(response, body, first))
                        .doFinally(signal -> response.close()))
                // The class only: a transport message could quote the request line, and with it the SAS.
                .onErrorResume(e -> reactor.core.publisher.Mono.just(LogRange.unreadable("network error ("
                        + e.getClass().getSimpleName() + ")")))
                .toFuture();
    }

    private RunLogFiles files(String runId, byte[] body) {
        LogFileResponses.Details details;
        try {
            details = LogFileResponses.read(body);
        } catch (IOException e) {
            throw new AzureMlException("Azure ML answered the request for the log files of run " + runId
                    + " with a response that could not be read (" + e.getMessage() + ").", 200, null, null, true, null);
        }
        List<LogFile> files = new ArrayList<>();
        int refused = 0;
        for (Map.Entry<String, String> e : details.files().entrySet()) {
            if (urls.isReadable(e.getValue())) {
                files.add(new LogFile(runId, e.getKey(), e.getValue()));
            } else {
                refused++;
            }
        }
        return new RunLogFiles(runId, RunStatus.parse(details.status()), files, refused);
    }

    private static LogRange range(HttpResponse response, byte[] body, long first) {
        int status = response.getStatusCode();
        String contentRange = response.getHeaderValue(HttpHeaderName.CONTENT_RANGE);
        if (status == 206) {
            Matcher m = contentRange == null ? null : CONTENT_RANGE.matcher(contentRange.trim());
            if (m == null || !m.matches()) {
                return LogRange.content(first, body, -1);
            }
            return LogRange.content(Long.parseLong(m.group(1)), body, m.group(3).equals("*") ? -1
                    : Long.parseLong(m.group(3)));
        }
        if (status == 200) {
            return LogRange.content(0, body, body.length); // the range was ignored: the whole file
        }
        if (status == 416) {
            Matcher m = contentRange == null ? null : UNSATISFIED_RANGE.matcher(contentRange.trim());
            return LogRange.notSatisfiable(m != null && m.matches() ? Long.parseLong(m.group(1)) : -1);
        }
        String code = response.getHeaderValue(HttpHeaderName.fromString("x-ms-error-code"));
        return LogRange.unreadable("HTTP " + status + (code == null || !code.matches("[A-Za-z]{1,64}") ? ""
                : " " + code));
    }
}
