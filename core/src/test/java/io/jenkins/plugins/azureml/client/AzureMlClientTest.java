package io.jenkins.plugins.azureml.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against the simulator over HTTPS, through azure-core's real bearer token policies; every behaviour for
 * a v1 published pipeline and for a v2 batch endpoint deploying the same pipeline.
 */
@ParameterizedClass
@EnumSource(ServiceVersion.class)
class AzureMlClientTest {
    static final String IDENTITY = "service principal 1111-2222-3333";

    @Parameter
    ServiceVersion version;

    AzureMlSimulator sim;
    PublishedPipeline pipeline;
    PipelineEndpoint endpoint;
    AzureMlClient client;

    @BeforeEach
    void start() {
        sim = AzureMlSimulator.startHttps();
        pipeline = PublishedPipeline.sample("5f2c0f0e-aaaa-bbbb-cccc-000000000001")
                .endpoint("ep-123", "nightly-training").build();
        endpoint = version.endpoint(sim, pipeline);
        client = clientFor(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** Short timeouts and fast backoff keep the suite quick; the policies are the production ones. */
    static AzureMlClient clientFor(AzureMlSimulator sim) {
        return new AzureMlClientBuilder()
                .credential(sim.credential())
                .httpClient(sim.httpClient())
                .identityDescription(IDENTITY)
                .responseTimeout(Duration.ofMillis(1500))
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(3)
                        .setBaseDelay(Duration.ofMillis(50)).setMaxDelay(Duration.ofMillis(200))))
                .buildClient();
    }

    static PipelineSubmission seedSubmission() {
        return PipelineSubmission.builder()
                .experimentName("MyRestPipeline")
                .parameter("input_string", "sample_string3")
                .dataPath("input_datapath", "workspaceblobstore", "incoming/2024/data.csv")
                .build();
    }

    PipelineRun submitSeed() {
        return client.submit(endpoint, seedSubmission());
    }

    @Test
    void submitSendsTheSeedBodyAndReturnsTheRunId() {
        PipelineRun run = submitSeed();

        RecordedRequest request = sim.requests(version.submitRoute()).get(0);
        assertThat(request.body()).isEqualTo(version.seedWireBody());
        assertThat(request.path()).isEqualTo(version.submitPath(sim, pipeline));
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("User-Agent")).contains("azure-ml-pipeline-jenkins");
        assertThat(request.header("x-ms-client-request-id")).isNotBlank();
        assertThat(request.header("azureml-model-deployment")).isNull();
        assertThat(request.tokenSerial()).isEqualTo(1);
        assertThat(sim.tokens().issued().get(0).scope()).isEqualTo(version.submitTokenScope());

        assertThat(sim.runs()).hasSize(1);
        assertThat(run.getRunId()).isEqualTo(sim.runs().get(0).runId());
        assertThat(run.getStatus()).isEqualTo(RunStatus.NOT_STARTED);
        assertThat(run.getStatusText()).isEqualTo(version.submitStatusText());
        assertThat(run.getExperimentName()).isEqualTo("MyRestPipeline");
        assertThat(sim.runs().get(0).experimentName()).isEqualTo("MyRestPipeline");
        assertThat(run.getStudioUrl()).isEqualTo(version.studioUrl(sim, run.getRunId()));
        assertThat(run.reference().isBatchJob()).isEqualTo(version == ServiceVersion.V2);
    }

    @Test
    void runGoesThroughItsLifecycleToCompleted() {
        RunReference ref = submitSeed().reference();
        List<RunStatus> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(client.getRun(ref).getStatus());
        }
        assertThat(seen).containsExactly(RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.COMPLETED,
                RunStatus.COMPLETED);
        PipelineRun done = client.getRun(ref);
        if (version == ServiceVersion.V1) { // run history has times; the ARM job resource has none
            assertThat(done.getStartTime()).isNotNull();
            assertThat(done.getEndTime()).isNotNull();
        }
        assertThat(done.getErrorCode()).isNull();
        assertThat(done.getStudioUrl()).isEqualTo(version.studioUrl(sim, ref.getRunId()));
        assertThat(sim.requests(version.statusRoute()).get(0).path()).isEqualTo(version.statusPath(sim, ref));
    }

    @Test
    void failedRunCarriesTheServiceError() {
        PublishedPipeline failing = PublishedPipeline.sample("failing")
                .lifecycle(RunStatus.NOT_STARTED, RunStatus.RUNNING, RunStatus.FAILED)
                .failure("UserError", "Step 'train' failed: out of memory").build();
        RunReference ref = client.submit(version.endpoint(sim, failing), seedSubmission()).reference();
        client.getRun(ref);
        PipelineRun failed = client.getRun(ref);
        assertThat(failed.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.getErrorCode()).isEqualTo("UserError");
        assertThat(failed.getErrorMessage()).isEqualTo("Step 'train' failed: out of memory");
    }

    @Test
    void cancelSendsTheCancelAndTheRunEndsCanceled() {
        sim.advancePerPoll(false);
        RunReference ref = submitSeed().reference();
        client.cancelRun(ref);

        assertThat(sim.requests(version.cancelRoute()).get(0).path()).isEqualTo(version.cancelPath(sim, ref));
        assertThat(client.getRun(ref).getStatus()).isEqualTo(RunStatus.CANCEL_REQUESTED);
        sim.advanceRuns();
        assertThat(client.getRun(ref).getStatus()).isEqualTo(RunStatus.CANCELED);
    }

    @Test
    void everyServiceStatusIsParsed() {
        for (RunStatus status : version.statuses()) {
            PublishedPipeline p = PublishedPipeline.sample("p-" + status).lifecycle(RunStatus.NOT_STARTED, status)
                    .build();
            RunReference ref = client.submit(version.endpoint(sim, p), seedSubmission()).reference();
            PipelineRun run = client.getRun(ref);
            assertThat(run.getStatus()).as(status.serviceName()).isEqualTo(status);
            assertThat(run.getStatusText()).isEqualTo(status.serviceName());
        }
    }

    @Test
    void runReferenceRebuiltFromPersistedStringsFindsTheRun() {
        PipelineRun run = submitSeed();
        String url = version == ServiceVersion.V1 ? sim.submitUrl(pipeline)
                : sim.scoringUri(io.jenkins.plugins.azureml.simulator.BatchEndpoint.of(
                        ServiceVersion.endpointName(pipeline.id()), pipeline));
        RunReference rebuilt = RunReference.fromEndpoint(url, "MyRestPipeline", run.getRunId(),
                version.workspace(sim));
        assertThat(rebuilt).isEqualTo(run.reference());
        assertThat(client.getRun(rebuilt).getStatus()).isEqualTo(RunStatus.QUEUED);
        if (version == ServiceVersion.V1) {
            assertThat(RunReference.fromEndpoint(url, "MyRestPipeline", run.getRunId())).isEqualTo(run.reference());
        }
    }

    @Test
    void unknownParameterIsRejectedWithTheServiceMessageCodeAndRequestId() {
        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.submit(endpoint,
                PipelineSubmission.builder().experimentName("MyRestPipeline").parameter("input_strnig", "x").build()));
        assertThat(e.getStatusCode()).isEqualTo(400);
        assertThat(e.getErrorCode()).isEqualTo("UserError");
        assertThat(e.getRequestId()).isNotBlank();
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains("'input_strnig' is not", "request id " + e.getRequestId());
        assertThat(e.getMessage()).contains(version == ServiceVersion.V1
                ? "Parameter 'input_strnig' is not defined for pipeline " + pipeline.id() + ". Defined parameters:"
                + " [input_string]"
                : "Input 'input_strnig' is not an input of the deployment. Inputs: [input_datapath, input_string]");
        assertThat(sim.runs()).isEmpty();
    }

    @Test
    void unknownDatastoreAndBadExperimentNameAreRejected() {
        assertThatThrownBy(() -> client.submit(endpoint, PipelineSubmission.builder().experimentName("exp")
                .dataPath("input_datapath", "nostore", "a.csv").build()))
                .isInstanceOf(AzureMlException.class).hasMessageContaining("Datastore 'nostore'");
        // An invalid experiment name no longer reaches the service: the builder refuses it (SubmitInputTableTest).
        assertThatThrownBy(() -> PipelineSubmission.builder().experimentName("my exp!").build())
                .isInstanceOf(io.jenkins.plugins.azureml.InvalidFieldException.class)
                .hasMessageContaining("experimentName: 'my exp!' is not a valid experiment name");
    }

    @Test
    void unknownPipelineAndRunAreNotFound() {
        PipelineEndpoint missing = version.missingEndpoint(sim);
        AzureMlException e = catchThrowableOfType(AzureMlException.class,
                () -> client.submit(missing, seedSubmission()));
        assertThat(e.getStatusCode()).isEqualTo(404);
        assertThat(e.getMessage()).contains(version.notFoundSubmitMessage());

        RunReference ghost = missing.runReference("MyRestPipeline", "no-such-run");
        assertThatThrownBy(() -> client.getRun(ghost)).isInstanceOf(AzureMlException.class)
                .hasMessageContaining((version == ServiceVersion.V1 ? "run" : "job") + " no-such-run was not found");
    }

    @Test
    void tokensAreReusedFromAzureCoreCacheOnePerAudience() {
        RunReference ref = submitSeed().reference();
        client.getRun(ref);
        client.getRun(ref);
        int audiences = version == ServiceVersion.V1 ? 1 : 2;
        assertThat(sim.credential().tokenRequests()).isEqualTo(audiences);
        assertThat(sim.requests().stream().map(RecordedRequest::tokenSerial).distinct()).hasSize(audiences);
    }
}
