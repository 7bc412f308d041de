package io.jenkins.plugins.azureml.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.Context;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.implementation.AudienceTokenPolicy;
import io.jenkins.plugins.azureml.client.implementation.EndpointRules;
import io.jenkins.plugins.azureml.client.implementation.TokenAudience;
import io.jenkins.plugins.azureml.client.models.DataPathAssignment;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.BatchEndpoint;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.RecordedRequest;
import io.jenkins.plugins.azureml.simulator.Route;
import io.jenkins.plugins.azureml.simulator.TokenIssuer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only v2 has: token audiences per host family, deployments, outputs and UriFile, the ARM api-version. */
class BatchEndpointClientTest {
    AzureMlSimulator sim;
    PublishedPipeline pipeline;
    BatchEndpoint batch;
    AzureMlClient client;

    @BeforeEach
    void start() {
        sim = AzureMlSimulator.startHttps();
        pipeline = PublishedPipeline.sample("nightly").build();
        batch = sim.deploy(BatchEndpoint.withOutputs("nightly-training", pipeline, "scores")
                .deployment("candidate", PublishedPipeline.sample("candidate").build()));
        client = AzureMlClientTest.clientFor(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    PipelineEndpoint endpoint() {
        return PipelineEndpoint.parse(sim.scoringUri(batch), sim.workspaceResourceId());
    }

    @Test
    void machineLearningTokenGoesOnlyToTheScoringHostAndArmTokenOnlyToResourceManager() {
        PipelineRun run = client.submit(endpoint(), AzureMlClientTest.seedSubmission());
        client.getRun(run.reference());
        client.cancelRun(run.reference());

        TokenIssuer.IssuedToken ml = sim.tokens().issued().stream()
                .filter(t -> t.scope().equals(AzureMlClientBuilder.ML_SCOPE)).findFirst().orElseThrow();
        TokenIssuer.IssuedToken arm = sim.tokens().issued().stream()
                .filter(t -> t.scope().equals(AzureMlClientBuilder.SCOPE)).findFirst().orElseThrow();
        assertThat(sim.tokens().issued()).hasSize(2);
        assertThat(sim.requests(Route.INVOKE)).singleElement().satisfies(r -> {
            assertThat(r.tokenSerial()).isEqualTo(ml.serial());
            assertThat(r.header("Host")).isEqualTo("nightly-training.westus.inference.ml.azure.com");
        });
        assertThat(sim.requests(Route.JOB)).allMatch(r -> r.tokenSerial() == arm.serial()
                && r.header("Host").equals("management.azure.com"));
        assertThat(sim.requests(Route.JOB_CANCEL)).allMatch(r -> r.tokenSerial() == arm.serial());
    }

    @Test
    void aTokenForOneAudienceIsRefusedBeforeItReachesTheOtherFamilysHost() {
        HttpPipeline pipeline = new HttpPipelineBuilder().httpClient(sim.httpClient())
                .policies(new AudienceTokenPolicy(sim.credential(), new EndpointRules(false), false)).build();
        Context wantsArm = new Context(AudienceTokenPolicy.AUDIENCE_KEY, TokenAudience.RESOURCE_MANAGER);
        Context wantsMl = new Context(AudienceTokenPolicy.AUDIENCE_KEY, TokenAudience.MACHINE_LEARNING);

        Exception toScoring = catchThrowableOfType(IllegalStateException.class, () -> pipeline.send(
                new HttpRequest(HttpMethod.POST, sim.scoringUri(batch)), wantsArm).block());
        Exception toArm = catchThrowableOfType(IllegalStateException.class, () -> pipeline.send(
                new HttpRequest(HttpMethod.GET, "https://management.azure.com/" + sim.workspace().servicePath()
                        + "/jobs/x?api-version=2024-04-01"), wantsMl).block());
        Exception toV1 = catchThrowableOfType(IllegalStateException.class, () -> pipeline.send(
                new HttpRequest(HttpMethod.GET, sim.serviceBaseUrl() + "/history/v1.0/x"), wantsMl).block());

        assertThat(toScoring).hasMessageContaining("Refusing to send a token for https://management.azure.com");
        assertThat(toArm).hasMessageContaining("Refusing to send a token for https://ml.azure.com");
        assertThat(toV1).hasMessageContaining("Refusing");
        assertThat(sim.credential().tokenRequests()).isZero();
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void theServiceRejectsATokenOfTheWrongAudienceOnEachRoute() {
        String arm = "Bearer " + sim.tokens().issue(AzureMlClientBuilder.SCOPE, Duration.ofHours(1)).value();
        String ml = "Bearer " + sim.tokens().issue(AzureMlClientBuilder.ML_SCOPE, Duration.ofHours(1)).value();
        HttpRequest invoke = new HttpRequest(HttpMethod.POST, sim.scoringUri(batch)).setHeader("Authorization", arm)
                .setBody("{\"properties\":{}}");
        HttpRequest job = new HttpRequest(HttpMethod.GET, "https://management.azure.com/"
                + sim.workspace().servicePath() + "/jobs/nope?api-version=2024-04-01").setHeader("Authorization", ml);
        assertThat(sim.httpClient().send(invoke).block().getStatusCode()).isEqualTo(401);
        assertThat(sim.httpClient().send(job).block().getBodyAsString().block()).contains("audience");
        assertThat(sim.httpClient().send(job.setHeader("Authorization", arm)).block().getStatusCode()).isEqualTo(404);
    }

    @Test
    void namedDeploymentOutputsAndUriFileInputsAreSent() {
        PipelineEndpoint candidate = endpoint().withDeployment("candidate");
        client.submit(candidate, PipelineSubmission.builder().experimentName("MyRestPipeline")
                .dataPathAssignments(java.util.Map.of("input_datapath",
                        DataPathAssignment.file("workspaceblobstore", "/incoming/data.csv")))
                .output("scores", new DataPathAssignment("workspaceblobstore", "scores/run-7"))
                .build());

        RecordedRequest invoke = sim.requests(Route.INVOKE).get(0);
        assertThat(invoke.header("azureml-model-deployment")).isEqualTo("candidate");
        assertThat(invoke.body()).isEqualTo("{\"properties\":{\"InputData\":{\"input_datapath\":{"
                + "\"JobInputType\":\"UriFile\",\"Uri\":\"azureml://datastores/workspaceblobstore/paths/incoming/"
                + "data.csv\"}},\"OutputData\":{\"scores\":{\"JobOutputType\":\"UriFolder\",\"Uri\":"
                + "\"azureml://datastores/workspaceblobstore/paths/scores/run-7\"}},"
                + "\"properties\":{\"experimentName\":\"MyRestPipeline\"}}}");
        assertThat(sim.runs().get(0).pipeline().id()).isEqualTo("candidate");

        AzureMlException unknown = catchThrowableOfType(AzureMlException.class, () -> client.submit(
                endpoint().withDeployment("blue"), AzureMlClientTest.seedSubmission()));
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(unknown.getMessage()).contains("deployment blue", "Deployment blue not found");
    }

    @Test
    void jobsApiVersionIsPinnedAndConfigurable() {
        PipelineRun run = client.submit(endpoint(), AzureMlClientTest.seedSubmission());
        client.getRun(run.reference());
        assertThat(sim.requests(Route.JOB).get(0).query()).isEqualTo("api-version=2024-04-01");

        AzureMlClient newer = new AzureMlClientBuilder().credential(sim.credential()).httpClient(sim.httpClient())
                .jobsApiVersion("2024-10-01-preview").buildClient();
        newer.cancelRun(run.reference());
        assertThat(sim.requests(Route.JOB_CANCEL).get(0).query()).isEqualTo("api-version=2024-10-01-preview");
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> new AzureMlClientBuilder().jobsApiVersion("latest"))).hasMessageContaining("2024-04-01");
    }

    @Test
    void aParameterAndADatapathOfTheSameNameAreRefusedBeforeSending() {
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, () -> client.submit(endpoint(),
                PipelineSubmission.builder().experimentName("e").parameter("input_datapath", "x")
                        .dataPath("input_datapath", "workspaceblobstore", "p").build()));
        assertThat(e.getField()).isEqualTo("dataPaths");
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void outputsAreRefusedForAV1Endpoint() {
        sim.publish(pipeline);
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, () -> client.submit(
                PipelineEndpoint.parse(sim.submitUrl(pipeline)), PipelineSubmission.builder().experimentName("e")
                        .output("scores", new DataPathAssignment("workspaceblobstore", "s")).build()));
        assertThat(e.getField()).isEqualTo("outputs");
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void plainHttpLoopbackBatchEndpointWorksOnlyWithTheExplicitOption() {
        try (AzureMlSimulator local = AzureMlSimulator.startHttp()) {
            local.deploy(BatchEndpoint.of("local-ep", PublishedPipeline.sample("pl").build()));
            PipelineEndpoint endpoint = PipelineEndpoint.parse(local.loopbackScoringUri(),
                    local.workspaceResourceId(), true);
            AzureMlClient trial = new AzureMlClientBuilder().credential(local.credential())
                    .httpClient(local.httpClient()).allowInsecureLoopback(true).buildClient();
            PipelineRun run = trial.submit(endpoint, AzureMlClientTest.seedSubmission());
            assertThat(trial.getRun(run.reference()).getStatus()).isEqualTo(RunStatus.QUEUED);
            trial.cancelRun(run.reference());
            assertThat(local.requests(Route.INVOKE).get(0).tokenSerial()).isNotEqualTo(
                    local.requests(Route.JOB).get(0).tokenSerial());
            assertThat(local.requests(Route.JOB_CANCEL)).hasSize(1);

            AzureMlClient strict = new AzureMlClientBuilder().credential(local.credential())
                    .httpClient(local.httpClient()).buildClient();
            assertThat(catchThrowableOfType(InvalidFieldException.class,
                    () -> strict.submit(endpoint, AzureMlClientTest.seedSubmission())).getField())
                    .isEqualTo("endpoint");
        }
    }
}
