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
import io.jenkins.plugins.azureml.simulator.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against the simulator over HTTPS, through azure-core's real bearer token policy. */
class AzureMlClientTest {
    static final String IDENTITY = "service principal 1111-2222-3333";

    AzureMlSimulator sim;
    PublishedPipeline pipeline;
    AzureMlClient client;

    @BeforeEach
    void start() {
        sim = AzureMlSimulator.startHttps();
        pipeline = sim.publish(PublishedPipeline.sample("5f2c0f0e-aaaa-bbbb-cccc-000000000001")
                .endpoint("ep-123", "nightly-training").build());
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
        return client.submit(PipelineEndpoint.parse(sim.submitUrl(pipeline)), seedSubmission());
    }

    @Test
    void submitSendsTheSeedBodyWithPascalCaseFieldsAndReturnsTheRunId() {
        PipelineRun run = submitSeed();

        RecordedRequest request = sim.requests(Route.SUBMIT).get(0);
        assertThat(request.body()).isEqualTo("{\"ExperimentName\":\"MyRestPipeline\",\"Tags\":{},\"RunSource\":\"API\","
                + "\"ParameterAssignments\":{\"input_string\":\"sample_string3\"},"
                + "\"DataPathAssignments\":{\"input_datapath\":{\"DataStoreName\":\"workspaceblobstore\","
                + "\"RelativePath\":\"incoming/2024/data.csv\"}}}");
        assertThat(request.path()).isEqualTo("/pipelines/v1.0/" + sim.workspace().servicePath()
                + "/PipelineRuns/PipelineSubmit/" + pipeline.id());
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("User-Agent")).contains("azure-ml-pipeline-jenkins");
        assertThat(request.header("x-ms-client-request-id")).isNotBlank();
        assertThat(request.tokenSerial()).isEqualTo(1);
        assertThat(sim.tokens().issued().get(0).scope()).isEqualTo("https://management.azure.com/.default");

        assertThat(sim.runs()).hasSize(1);
        assertThat(run.getRunId()).isEqualTo(sim.runs().get(0).runId());
        assertThat(run.getStatus()).isEqualTo(RunStatus.NOT_STARTED);
        assertThat(run.getStatusText()).isEqualTo("0");
        assertThat(run.getExperimentName()).isEqualTo("MyRestPipeline");
        assertThat(run.getStudioUrl()).isEqualTo("https://ml.azure.com/runs/" + run.getRunId()
                + "?wsid=/subscriptions/00000000-1111-2222-3333-444444444444/resourcegroups/ml-rg/workspaces/ml-ws");
    }

    @Test
    void descriptionAndTagsAreSent() {
        client.submit(PipelineEndpoint.parse(sim.submitUrl(pipeline)), PipelineSubmission.builder()
                .experimentName("exp-1").description("from Jenkins build #7").tags(java.util.Map.of("build", "7"))
                .build());
        assertThat(sim.requests(Route.SUBMIT).get(0).body())
                .contains("\"Description\":\"from Jenkins build #7\"", "\"Tags\":{\"build\":\"7\"}");
        assertThat(sim.runs().get(0).tags()).containsEntry("build", "7");
    }

    @Test
    void statusCodeSentAsStringIsUnderstood() {
        sim.statusCodeAsString(true);
        assertThat(submitSeed().getStatus()).isEqualTo(RunStatus.NOT_STARTED);
    }

    @Test
    void versionedEndpointsByIdAndByNameReachThePipeline() {
        String prefix = sim.serviceBaseUrl() + "/pipelines/v1.0/" + sim.workspace().servicePath() + "/PipelineRuns/";
        client.submit(PipelineEndpoint.parse(prefix + "PipelineEndpointSubmit/Id/ep-123"), seedSubmission());
        client.submit(PipelineEndpoint.parse(prefix + "PipelineEndpointSubmit/Id/ep-123/3"), seedSubmission());
        client.submit(PipelineEndpoint.parse(prefix + "PipelineEndpointSubmit/Name?name=nightly-training"
                + "&pipelineVersion=2"), seedSubmission());
        client.submit(PipelineEndpoint.forEndpointName(sim.serviceBaseUrl(), sim.workspace(), "nightly-training",
                null), seedSubmission());

        assertThat(sim.runs()).hasSize(4).allMatch(r -> r.pipeline() == pipeline);
        List<RecordedRequest> submits = sim.requests(Route.SUBMIT);
        assertThat(submits.get(1).path()).endsWith("/PipelineEndpointSubmit/Id/ep-123/3");
        assertThat(submits.get(2).query()).isEqualTo("name=nightly-training&pipelineVersion=2");
        assertThat(submits.get(3).query()).isEqualTo("name=nightly-training");
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
        assertThat(done.getStartTime()).isNotNull();
        assertThat(done.getEndTime()).isNotNull();
        assertThat(done.getErrorCode()).isNull();
        assertThat(sim.requests(Route.DETAILS).get(0).path()).isEqualTo("/history/v1.0/"
                + sim.workspace().servicePath() + "/runs/" + ref.getRunId() + "/details");
    }

    @Test
    void failedRunCarriesTheServiceError() {
        PublishedPipeline failing = sim.publish(PublishedPipeline.sample("failing")
                .lifecycle(RunStatus.NOT_STARTED, RunStatus.RUNNING, RunStatus.FAILED)
                .failure("UserError", "Step 'train' failed: out of memory").build());
        RunReference ref = client.submit(PipelineEndpoint.parse(sim.submitUrl(failing)), seedSubmission()).reference();
        client.getRun(ref);
        PipelineRun failed = client.getRun(ref);
        assertThat(failed.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.getErrorCode()).isEqualTo("UserError");
        assertThat(failed.getErrorMessage()).isEqualTo("Step 'train' failed: out of memory");
    }

    @Test
    void cancelSendsTheExecutionCancelAndTheRunEndsCanceled() {
        sim.advancePerPoll(false);
        RunReference ref = submitSeed().reference();
        client.cancelRun(ref);

        assertThat(sim.requests(Route.CANCEL).get(0).path()).isEqualTo("/execution/v1.0/"
                + sim.workspace().servicePath() + "/experiments/MyRestPipeline/runId/" + ref.getRunId() + "/cancel");
        assertThat(client.getRun(ref).getStatus()).isEqualTo(RunStatus.CANCEL_REQUESTED);
        sim.advanceRuns();
        assertThat(client.getRun(ref).getStatus()).isEqualTo(RunStatus.CANCELED);
    }

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void everyServiceStatusIsParsed(RunStatus status) {
        PublishedPipeline p = sim.publish(PublishedPipeline.sample("p-" + status).lifecycle(RunStatus.NOT_STARTED,
                status).build());
        RunReference ref = client.submit(PipelineEndpoint.parse(sim.submitUrl(p)), seedSubmission()).reference();
        PipelineRun run = client.getRun(ref);
        assertThat(run.getStatus()).isEqualTo(status);
        assertThat(run.getStatusText()).isEqualTo(status.serviceName());
    }

    @Test
    void runReferenceRebuiltFromPersistedStringsFindsTheRun() {
        PipelineRun run = submitSeed();
        RunReference rebuilt = RunReference.fromEndpoint(sim.submitUrl(pipeline), "MyRestPipeline", run.getRunId());
        assertThat(rebuilt).isEqualTo(run.reference());
        assertThat(client.getRun(rebuilt).getStatus()).isEqualTo(RunStatus.QUEUED);
    }

    @Test
    void unknownParameterIsRejectedWithTheServiceMessageCodeAndRequestId() {
        AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.submit(
                PipelineEndpoint.parse(sim.submitUrl(pipeline)),
                PipelineSubmission.builder().experimentName("MyRestPipeline").parameter("input_strnig", "x").build()));
        assertThat(e.getStatusCode()).isEqualTo(400);
        assertThat(e.getErrorCode()).isEqualTo("UserError");
        assertThat(e.getRequestId()).isNotBlank();
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains("Parameter 'input_strnig' is not defined", "[input_string]",
                "request id " + e.getRequestId());
        assertThat(sim.runs()).isEmpty();
    }

    @Test
    void unknownDatastoreAndBadExperimentNameAreRejected() {
        PipelineEndpoint endpoint = PipelineEndpoint.parse(sim.submitUrl(pipeline));
        assertThatThrownBy(() -> client.submit(endpoint, PipelineSubmission.builder().experimentName("exp")
                .dataPath("input_datapath", "nostore", "a.csv").build()))
                .isInstanceOf(AzureMlException.class).hasMessageContaining("Datastore 'nostore'");
        assertThatThrownBy(() -> client.submit(endpoint, PipelineSubmission.builder().experimentName("my exp!")
                .build()))
                .isInstanceOf(AzureMlException.class).hasMessageContaining("Experiment name 'my exp!' is invalid");
    }

    @Test
    void unknownPipelineAndRunAreNotFound() {
        PipelineEndpoint missing = PipelineEndpoint.parse(sim.serviceBaseUrl() + "/pipelines/v1.0/"
                + sim.workspace().servicePath() + "/PipelineRuns/PipelineSubmit/no-such-pipeline");
        AzureMlException e = catchThrowableOfType(AzureMlException.class,
                () -> client.submit(missing, seedSubmission()));
        assertThat(e.getStatusCode()).isEqualTo(404);
        assertThat(e.getMessage()).contains("published pipeline no-such-pipeline was not found in workspace 'ml-ws'");

        RunReference ghost = missing.runReference("MyRestPipeline", "no-such-run");
        assertThatThrownBy(() -> client.getRun(ghost)).isInstanceOf(AzureMlException.class)
                .hasMessageContaining("run no-such-run was not found");
    }

    @Test
    void secondTokenIsReusedFromAzureCoreCache() {
        RunReference ref = submitSeed().reference();
        client.getRun(ref);
        client.getRun(ref);
        assertThat(sim.credential().tokenRequests()).isEqualTo(1);
        assertThat(sim.requests()).allMatch(r -> r.tokenSerial() == 1);
    }
}
