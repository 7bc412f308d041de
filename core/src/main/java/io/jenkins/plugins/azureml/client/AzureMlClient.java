package io.jenkins.plugins.azureml.client;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.BinaryData;
import com.azure.json.JsonSerializable;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.implementation.BatchInvokeRequestBody;
import io.jenkins.plugins.azureml.client.implementation.BatchJobResponses;
import io.jenkins.plugins.azureml.client.implementation.CredentialCloudCheck;
import io.jenkins.plugins.azureml.client.implementation.EndpointRules;
import io.jenkins.plugins.azureml.client.implementation.ErrorTranslator;
import io.jenkins.plugins.azureml.client.implementation.Operation;
import io.jenkins.plugins.azureml.client.implementation.ServiceCalls;
import io.jenkins.plugins.azureml.client.implementation.RunResponses;
import io.jenkins.plugins.azureml.client.implementation.SubmitRequestBody;
import io.jenkins.plugins.azureml.client.implementation.TokenAudience;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Submits Azure ML pipeline runs, reads their status and cancels them: v1 published pipelines and pipeline
 * endpoints through the regional Azure ML services, and v2 batch endpoints (pipeline component deployments), whose
 * jobs are followed and canceled through Azure Resource Manager. {@link PipelineEndpoint#getKind()} and
 * {@link RunReference#isBatchJob()} decide which, and the endpoint's host decides the cloud (public, US Government,
 * China) whose token scopes are used. Thread-safe; build with {@link AzureMlClientBuilder}. Every failure is an
 * {@link AzureMlException} (or an {@link io.jenkins.plugins.azureml.InvalidFieldException} for a refused endpoint or
 * a credential of another cloud, before any token is requested).
 * The blocking methods must not be called on an I/O event-loop thread; the {@code Async} ones never block.
 */
public final class AzureMlClient {
    private final HttpPipeline submitPipeline;
    private final HttpPipeline readPipeline;
    private final EndpointRules rules;
    private final ErrorTranslator errors;
    private final String jobsApiVersion;
    private final ServiceCalls calls;

    AzureMlClient(HttpPipeline submitPipeline, HttpPipeline readPipeline, EndpointRules rules,
                  String identityDescription, String jobsApiVersion, CredentialCloudCheck cloudCheck) {
        this.submitPipeline = submitPipeline;
        this.readPipeline = readPipeline;
        this.rules = rules;
        this.errors = new ErrorTranslator(identityDescription);
        this.jobsApiVersion = jobsApiVersion;
        this.calls = new ServiceCalls(rules, cloudCheck, errors);
    }

    /** Submits a run; returns it with its run id. Not repeated after a timeout (see {@link AzureMlException}). */
    public PipelineRun submit(PipelineEndpoint endpoint, PipelineSubmission submission) {
        return submitAsyncMono(endpoint, submission).block();
    }

    /** Non-blocking {@link #submit}. */
    public CompletableFuture<PipelineRun> submitAsync(PipelineEndpoint endpoint, PipelineSubmission submission) {
        return submitAsyncMono(endpoint, submission).toFuture();
    }

    /**
     * The run's current status: v1 from run history ({@code .../runs/{runId}/details}); v2 from the ARM job
     * ({@code .../jobs/{name}?api-version=...}), plus, once the job failed, its error message from run history.
     */
    public PipelineRun getRun(RunReference run) {
        return getRunMono(run).block();
    }

    /** Non-blocking {@link #getRun}. */
    public CompletableFuture<PipelineRun> getRunAsync(RunReference run) {
        return getRunMono(run).toFuture();
    }

    /** Asks Azure ML to cancel the run or job; it goes through CancelRequested to Canceled. */
    public void cancelRun(RunReference run) {
        cancelRunMono(run).block();
    }

    /** Non-blocking {@link #cancelRun}. */
    public CompletableFuture<Void> cancelRunAsync(RunReference run) {
        return cancelRunMono(run).toFuture();
    }

    private Mono<PipelineRun> submitAsyncMono(PipelineEndpoint endpoint, PipelineSubmission submission) {
        return Mono.defer(() -> endpoint.isBatchEndpoint() ? invokeBatch(endpoint, submission)
                : submitV1(endpoint, submission));
    }

    private Mono<PipelineRun> submitV1(PipelineEndpoint endpoint, PipelineSubmission submission) {
        if (!submission.getOutputs().isEmpty()) {
            throw new InvalidFieldException("outputs", "Outputs can only be set for a v2 batch endpoint; a v1"
                    + " published pipeline writes where its pipeline says.");
        }
        String url = endpoint.submitUrl();
        rules.check(url);
        Operation op = Operation.submit(describe(endpoint), endpoint.getWorkspace(), false,
                submission.getExperimentName(), submission.getTags().get(PipelineSubmission.BUILD_TAG));
        HttpRequest request = new HttpRequest(HttpMethod.POST, url)
                .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
                .setBody(BinaryData.fromBytes(json(new SubmitRequestBody(submission))));
        return send(submitPipeline, request, TokenAudience.RESOURCE_MANAGER, op, body -> {
            try {
                return RunResponses.fromSubmitResponse(body,
                        (experiment, runId) -> endpoint.runReference(submission.getExperimentName(), runId));
            } catch (IOException e) {
                throw errors.unreadable(op, e, false);
            }
        });
    }

    private Mono<PipelineRun> invokeBatch(PipelineEndpoint endpoint, PipelineSubmission submission) {
        String url = endpoint.submitUrl();
        rules.check(url);
        // Tags have no place in a batch invocation: the job is found by its experiment.
        Operation op = Operation.submit(describe(endpoint), endpoint.getWorkspace(), true,
                submission.getExperimentName(), null);
        HttpRequest request = new HttpRequest(HttpMethod.POST, url)
                .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
                .setBody(BinaryData.fromBytes(json(new BatchInvokeRequestBody(submission))));
        if (endpoint.getDeployment() != null) {
            request.setHeader(HttpHeaderName.fromString("azureml-model-deployment"), endpoint.getDeployment());
        }
        return send(submitPipeline, request, TokenAudience.MACHINE_LEARNING, op, body -> {
            try {
                return BatchJobResponses.fromInvokeResponse(body,
                        (experiment, jobName) -> endpoint.runReference(submission.getExperimentName(), jobName));
            } catch (IOException e) {
                throw errors.unreadable(op, e, false);
            }
        });
    }

    private Mono<PipelineRun> getRunMono(RunReference run) {
        return Mono.defer(() -> run.isBatchJob() ? getJob(run) : getRunDetails(run));
    }

    private Mono<PipelineRun> getRunDetails(RunReference run) {
        rules.check(run.getServiceBaseUrl());
        String url = run.getServiceBaseUrl() + "/history/v1.0/" + run.getWorkspace().servicePath() + "/runs/"
                + encode(run.getRunId()) + "/details";
        Operation op = new Operation(Operation.Kind.GET_RUN, (run.isBatchJob() ? "job " : "run ") + run.getRunId(),
                run.getWorkspace(), run.isBatchJob());
        return send(readPipeline, new HttpRequest(HttpMethod.GET, url), TokenAudience.RESOURCE_MANAGER, op, body -> {
            try {
                return RunResponses.fromDetails(body, run);
            } catch (IOException e) {
                throw errors.unreadable(op, e, true);
            }
        });
    }

    private Mono<PipelineRun> getJob(RunReference job) {
        Operation op = new Operation(Operation.Kind.GET_RUN, "job " + job.getRunId(), job.getWorkspace(), true);
        HttpRequest request = new HttpRequest(HttpMethod.GET, jobUrl(job, ""));
        return send(readPipeline, request, TokenAudience.RESOURCE_MANAGER, op, body -> {
            try {
                return BatchJobResponses.fromJob(body, job);
            } catch (IOException e) {
                throw errors.unreadable(op, e, true);
            }
        }).flatMap(run -> run.getStatus() == RunStatus.FAILED ? withHistoryError(run) : Mono.just(run));
    }

    /** The ARM job has no error message; run history has it. Without it the job is still reported as failed. */
    private Mono<PipelineRun> withHistoryError(PipelineRun failed) {
        return getRunDetails(failed.reference())
                .map(details -> failed.withError(details.getErrorCode(), details.getErrorMessage()))
                .onErrorResume(e -> Mono.just(failed));
    }

    private Mono<Void> cancelRunMono(RunReference run) {
        return Mono.defer(() -> {
            String url;
            if (run.isBatchJob()) {
                url = jobUrl(run, "/cancel");
            } else {
                rules.check(run.getServiceBaseUrl());
                url = run.getServiceBaseUrl() + "/execution/v1.0/" + run.getWorkspace().servicePath()
                        + "/experiments/" + encode(run.getExperimentName()) + "/runId/" + encode(run.getRunId())
                        + "/cancel";
            }
            Operation op = new Operation(Operation.Kind.CANCEL_RUN, (run.isBatchJob() ? "job " : "run ")
                    + run.getRunId(), run.getWorkspace(), run.isBatchJob());
            HttpRequest request = new HttpRequest(HttpMethod.POST, url).setBody(BinaryData.fromBytes(new byte[0]));
            return send(readPipeline, request, TokenAudience.RESOURCE_MANAGER, op, body -> Boolean.TRUE).then();
        });
    }

    /** {@code {arm}/subscriptions/.../workspaces/{ws}/jobs/{name}{suffix}?api-version=...}, checked. */
    private String jobUrl(RunReference job, String suffix) {
        rules.check(job.getResourceManagerUrl());
        return job.getResourceManagerUrl() + "/" + job.getWorkspace().servicePath() + "/jobs/"
                + encode(job.getRunId()) + suffix + "?api-version=" + encode(jobsApiVersion);
    }

    private <T> Mono<T> send(HttpPipeline pipeline, HttpRequest request, TokenAudience audience, Operation op,
                             Function<byte[], T> onSuccess) {
        return calls.send(pipeline, request, audience, op, onSuccess);
    }

    private static String describe(PipelineEndpoint endpoint) {
        switch (endpoint.getKind()) {
            case PUBLISHED_PIPELINE: return "published pipeline " + endpoint.getId();
            case ENDPOINT_BY_ID: return "pipeline endpoint " + endpoint.getId();
            case BATCH_ENDPOINT: return "batch endpoint " + endpoint.getId()
                    + (endpoint.getDeployment() == null ? "" : " (deployment " + endpoint.getDeployment() + ")");
            default: return "pipeline endpoint named '" + endpoint.getId() + "'";
        }
    }

    private static byte[] json(JsonSerializable<?> body) {
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
