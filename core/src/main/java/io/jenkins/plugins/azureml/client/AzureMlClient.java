package io.jenkins.plugins.azureml.client;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import io.jenkins.plugins.azureml.client.implementation.EndpointRules;
import io.jenkins.plugins.azureml.client.implementation.ErrorTranslator;
import io.jenkins.plugins.azureml.client.implementation.Operation;
import io.jenkins.plugins.azureml.client.implementation.RunResponses;
import io.jenkins.plugins.azureml.client.implementation.SubmitRequestBody;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Submits Azure ML v1 published-pipeline runs, reads their status and cancels them. Thread-safe; build with
 * {@link AzureMlClientBuilder}. Every failure is an {@link AzureMlException} (or an
 * {@link io.jenkins.plugins.azureml.InvalidFieldException} for a refused endpoint, before any token is requested).
 * The blocking methods must not be called on an I/O event-loop thread; the {@code Async} ones never block.
 */
public final class AzureMlClient {
    private final HttpPipeline submitPipeline;
    private final HttpPipeline readPipeline;
    private final EndpointRules rules;
    private final ErrorTranslator errors;

    AzureMlClient(HttpPipeline submitPipeline, HttpPipeline readPipeline, EndpointRules rules,
                  String identityDescription) {
        this.submitPipeline = submitPipeline;
        this.readPipeline = readPipeline;
        this.rules = rules;
        this.errors = new ErrorTranslator(identityDescription);
    }

    /** Submits a run; returns it with its run id. Not repeated after a timeout (see {@link AzureMlException}). */
    public PipelineRun submit(PipelineEndpoint endpoint, PipelineSubmission submission) {
        return submitAsyncMono(endpoint, submission).block();
    }

    /** Non-blocking {@link #submit}. */
    public CompletableFuture<PipelineRun> submitAsync(PipelineEndpoint endpoint, PipelineSubmission submission) {
        return submitAsyncMono(endpoint, submission).toFuture();
    }

    /** The run's current status from run history ({@code .../runs/{runId}/details}). */
    public PipelineRun getRun(RunReference run) {
        return getRunMono(run).block();
    }

    /** Non-blocking {@link #getRun}. */
    public CompletableFuture<PipelineRun> getRunAsync(RunReference run) {
        return getRunMono(run).toFuture();
    }

    /** Asks Azure ML to cancel the run; the run goes through CancelRequested to Canceled. */
    public void cancelRun(RunReference run) {
        cancelRunMono(run).block();
    }

    /** Non-blocking {@link #cancelRun}. */
    public CompletableFuture<Void> cancelRunAsync(RunReference run) {
        return cancelRunMono(run).toFuture();
    }

    private Mono<PipelineRun> submitAsyncMono(PipelineEndpoint endpoint, PipelineSubmission submission) {
        return Mono.defer(() -> {
            String url = endpoint.submitUrl();
            rules.check(url);
            Operation op = new Operation(Operation.Kind.SUBMIT, describe(endpoint), endpoint.getWorkspace());
            HttpRequest request = new HttpRequest(HttpMethod.POST, url)
                    .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
                    .setBody(BinaryData.fromBytes(json(new SubmitRequestBody(submission))));
            return send(submitPipeline, request, op, body -> {
                try {
                    return RunResponses.fromSubmitResponse(body,
                            (experiment, runId) -> endpoint.runReference(submission.getExperimentName(), runId));
                } catch (IOException e) {
                    throw unreadable(op, e, false);
                }
            });
        });
    }

    private Mono<PipelineRun> getRunMono(RunReference run) {
        return Mono.defer(() -> {
            rules.check(run.getServiceBaseUrl());
            String url = run.getServiceBaseUrl() + "/history/v1.0/" + run.getWorkspace().servicePath() + "/runs/"
                    + encode(run.getRunId()) + "/details";
            Operation op = new Operation(Operation.Kind.GET_RUN, "run " + run.getRunId(), run.getWorkspace());
            return send(readPipeline, new HttpRequest(HttpMethod.GET, url), op, body -> {
                try {
                    return RunResponses.fromDetails(body, run);
                } catch (IOException e) {
                    throw unreadable(op, e, true);
                }
            });
        });
    }

    private Mono<Void> cancelRunMono(RunReference run) {
        return Mono.defer(() -> {
            rules.check(run.getServiceBaseUrl());
            String url = run.getServiceBaseUrl() + "/execution/v1.0/" + run.getWorkspace().servicePath()
                    + "/experiments/" + encode(run.getExperimentName()) + "/runId/" + encode(run.getRunId())
                    + "/cancel";
            Operation op = new Operation(Operation.Kind.CANCEL_RUN, "run " + run.getRunId(), run.getWorkspace());
            HttpRequest request = new HttpRequest(HttpMethod.POST, url).setBody(BinaryData.fromBytes(new byte[0]));
            return send(readPipeline, request, op, body -> Boolean.TRUE).then();
        });
    }

    private <T> Mono<T> send(HttpPipeline pipeline, HttpRequest request, Operation op, Function<byte[], T> onSuccess) {
        return pipeline.send(request, Context.NONE)
                .flatMap(response -> response.getBodyAsByteArray().defaultIfEmpty(new byte[0])
                        .map(body -> handle(response, body, op, onSuccess))
                        .doFinally(signal -> response.close()))
                .onErrorMap(t -> errors.fromThrowable(op, t));
    }

    private <T> T handle(HttpResponse response, byte[] body, Operation op, Function<byte[], T> onSuccess) {
        int status = response.getStatusCode();
        if (status >= 200 && status < 300) {
            return onSuccess.apply(body);
        }
        throw errors.fromResponse(op, status, response.getHeaders(), body);
    }

    private static AzureMlException unreadable(Operation op, IOException e, boolean isTransient) {
        String advice = op.kind() == Operation.Kind.SUBMIT
                ? " The run may have started; check the experiment in Azure ML studio before submitting again."
                : " This is usually temporary.";
        return new AzureMlException("Azure ML answered the request to " + op.describe()
                + " with a response that could not be read (" + e.getMessage() + ")." + advice,
                200, null, null, isTransient, e);
    }

    private static String describe(PipelineEndpoint endpoint) {
        switch (endpoint.getKind()) {
            case PUBLISHED_PIPELINE: return "published pipeline " + endpoint.getId();
            case ENDPOINT_BY_ID: return "pipeline endpoint " + endpoint.getId();
            default: return "pipeline endpoint named '" + endpoint.getId() + "'";
        }
    }

    private static byte[] json(SubmitRequestBody body) {
        try {
            return body.toJsonBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
