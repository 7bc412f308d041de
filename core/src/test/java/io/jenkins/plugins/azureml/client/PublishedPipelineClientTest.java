package io.jenkins.plugins.azureml.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.RecordedRequest;
import io.jenkins.plugins.azureml.simulator.Route;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only v1 has: description and tags, numeric status codes, versioned pipeline endpoints. */
class PublishedPipelineClientTest {
    AzureMlSimulator sim;
    PublishedPipeline pipeline;
    AzureMlClient client;

    @BeforeEach
    void start() {
        sim = AzureMlSimulator.startHttps();
        pipeline = sim.publish(PublishedPipeline.sample("5f2c0f0e-aaaa-bbbb-cccc-000000000001")
                .endpoint("ep-123", "nightly-training").build());
        client = AzureMlClientTest.clientFor(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
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
        assertThat(client.submit(PipelineEndpoint.parse(sim.submitUrl(pipeline)), AzureMlClientTest.seedSubmission())
                .getStatus()).isEqualTo(RunStatus.NOT_STARTED);
    }

    @Test
    void versionedEndpointsByIdAndByNameReachThePipeline() {
        PipelineSubmission seed = AzureMlClientTest.seedSubmission();
        String prefix = sim.serviceBaseUrl() + "/pipelines/v1.0/" + sim.workspace().servicePath() + "/PipelineRuns/";
        client.submit(PipelineEndpoint.parse(prefix + "PipelineEndpointSubmit/Id/ep-123"), seed);
        client.submit(PipelineEndpoint.parse(prefix + "PipelineEndpointSubmit/Id/ep-123/3"), seed);
        client.submit(PipelineEndpoint.parse(prefix + "PipelineEndpointSubmit/Name?name=nightly-training"
                + "&pipelineVersion=2"), seed);
        client.submit(PipelineEndpoint.forEndpointName(sim.serviceBaseUrl(), sim.workspace(), "nightly-training",
                null), seed);

        assertThat(sim.runs()).hasSize(4).allMatch(r -> r.pipeline() == pipeline);
        List<RecordedRequest> submits = sim.requests(Route.SUBMIT);
        assertThat(submits.get(1).path()).endsWith("/PipelineEndpointSubmit/Id/ep-123/3");
        assertThat(submits.get(2).query()).isEqualTo("name=nightly-training&pipelineVersion=2");
        assertThat(submits.get(3).query()).isEqualTo("name=nightly-training");
    }
}
