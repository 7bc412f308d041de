package io.jenkins.plugins.azureml.client;

import static io.jenkins.plugins.azureml.client.AzureMlClientCredentialTest.CLIENT_ID;
import static io.jenkins.plugins.azureml.client.AzureMlClientCredentialTest.SECRET;
import static io.jenkins.plugins.azureml.client.AzureMlClientCredentialTest.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.identity.ClientSecretCredentialBuilder;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.models.AzureCloud;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.BatchEndpoint;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.RecordedRequest;
import io.jenkins.plugins.azureml.simulator.Route;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sovereign clouds and private-link hosts end to end on the simulator, whose hosts of each cloud accept only that
 * cloud's token audiences and whose sign-in hosts issue only their own cloud's tokens: the endpoint's host decides
 * the scope asked for, and a credential of another cloud is refused before anything is sent.
 */
class AzureMlClientCloudTest {
    static final String GUID = "52882c08-ead2-44aa-af65-08a75cf094bd";

    AzureMlSimulator sim;
    PublishedPipeline pipeline;

    @BeforeEach
    void start() {
        sim = AzureMlSimulator.startHttps();
        sim.registerServicePrincipal(CLIENT_ID, SECRET);
        pipeline = sim.publish(PublishedPipeline.sample("pl-cloud").build());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** The simulator's production-shaped submit URL, on another host. */
    String submitUrlOn(String host) {
        return sim.submitUrl(pipeline).replace(AzureMlSimulator.REGION_HOST, host);
    }

    AzureMlClient servicePrincipalClient(AzureCloud cloud, String environmentName) {
        // What azure-credentials builds for a service principal of that environment: its sign-in host.
        return new AzureMlClientBuilder().credential(new ClientSecretCredentialBuilder()
                        .tenantId(TENANT).clientId(CLIENT_ID).clientSecret(SECRET)
                        .authorityHost(cloud.authorityHost()).disableInstanceDiscovery()
                        .httpClient(sim.httpClient()).build())
                .httpClient(sim.httpClient()).identityDescription("service principal " + CLIENT_ID)
                .credentialEnvironment(environmentName).buildClient();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "usgovvirginia.api.ml.azure.us|US_GOVERNMENT|Azure US Government|login.microsoftonline.us"
                + "|https://management.usgovcloudapi.net/.default|https://ml.azure.us/runs/",
        "chinaeast2.api.ml.azure.cn|CHINA|Azure China|login.chinacloudapi.cn"
                + "|https://management.chinacloudapi.cn/.default|https://studio.ml.azure.cn/runs/",
        GUID + ".workspace.usgovvirginia.api.ml.azure.us|US_GOVERNMENT|Azure US Government|login.microsoftonline.us"
                + "|https://management.usgovcloudapi.net/.default|https://ml.azure.us/runs/",
        "westus.api.azureml.ms|PUBLIC|Azure|login.microsoftonline.com"
                + "|https://management.azure.com/.default|https://ml.azure.com/runs/",
    })
    void sovereignEndpointGetsATokenOfItsCloudFromItsSignInHost(String host, AzureCloud cloud, String environment,
            String loginHost, String scope, String studio) {
        AzureMlClient client = servicePrincipalClient(cloud, environment);

        PipelineRun run = client.submit(PipelineEndpoint.parse(submitUrlOn(host)),
                AzureMlClientTest.seedSubmission());
        assertThat(client.getRun(run.reference()).getStatus()).isEqualTo(RunStatus.QUEUED);
        client.cancelRun(run.reference());

        RecordedRequest token = sim.requests(Route.TOKEN).get(0);
        assertThat(token.header("Host")).isEqualTo(loginHost);
        assertThat(token.body()).contains(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        assertThat(sim.requests(Route.TOKEN)).hasSize(1);
        assertThat(sim.tokens().issued()).singleElement().satisfies(t -> assertThat(t.scope()).isEqualTo(scope));
        for (Route route : List.of(Route.SUBMIT, Route.DETAILS, Route.CANCEL)) {
            assertThat(sim.requests(route)).as(route.name()).singleElement().satisfies(r -> {
                assertThat(r.header("Host")).isEqualTo(host);
                assertThat(r.tokenSerial()).isEqualTo(1);
            });
        }
        assertThat(run.getStudioUrl()).startsWith(studio + run.getRunId() + "?wsid=");
    }

    @Test
    void usGovernmentBatchEndpointGetsAzureMlAndArmTokensOfItsCloud() {
        BatchEndpoint batch = sim.deploy(BatchEndpoint.of("nightly-training", pipeline));
        AzureMlClient client = new AzureMlClientBuilder().credential(sim.credential()).httpClient(sim.httpClient())
                .credentialEnvironment("Azure US Government").buildClient();
        PipelineEndpoint endpoint = PipelineEndpoint.parse(
                "https://" + batch.name() + ".usgovvirginia.inference.ml.azure.us/jobs", sim.workspaceResourceId());

        PipelineRun run = client.submit(endpoint, AzureMlClientTest.seedSubmission());
        client.getRun(run.reference());
        client.cancelRun(run.reference());

        assertThat(sim.tokens().issued()).extracting(t -> t.scope()).containsExactlyInAnyOrder(
                "https://ml.azure.us/.default", "https://management.usgovcloudapi.net/.default");
        assertThat(sim.requests(Route.INVOKE)).singleElement().satisfies(r ->
                assertThat(r.header("Host")).isEqualTo("nightly-training.usgovvirginia.inference.ml.azure.us"));
        assertThat(sim.requests(Route.JOB)).isNotEmpty()
                .allSatisfy(r -> assertThat(r.header("Host")).isEqualTo("management.usgovcloudapi.net"));
        assertThat(sim.requests(Route.JOB_CANCEL)).singleElement()
                .satisfies(r -> assertThat(r.header("Host")).isEqualTo("management.usgovcloudapi.net"));
        assertThat(run.reference().getResourceManagerUrl()).isEqualTo("https://management.usgovcloudapi.net");
        assertThat(run.reference().getServiceBaseUrl()).isEqualTo("https://usgovvirginia.api.ml.azure.us");
    }

    @ParameterizedTest(name = "{0} credential, {1}")
    @CsvSource(delimiter = '|', value = {
        "Azure|usgovvirginia.api.ml.azure.us|Azure US Government",
        "Azure|" + GUID + ".workspace.chinaeast2.cert.api.ml.azure.cn|Azure China",
        "Azure US Government|westus.api.azureml.ms|Azure",
        "Azure China|usgovarizona.api.ml.azure.us|Azure US Government",
        "Azure Germany|westus.api.azureml.ms|Azure",
    })
    void credentialOfAnotherCloudIsRefusedBeforeAnythingIsSentNamingTheEnvironmentToChoose(String environment,
            String host, String choose) {
        AzureMlClient client = new AzureMlClientBuilder().credential(sim.credential()).httpClient(sim.httpClient())
                .credentialEnvironment(environment).buildClient();
        PipelineEndpoint endpoint = PipelineEndpoint.parse(submitUrlOn(host));
        RunReference earlier = endpoint.runReference("MyRestPipeline", "run-1");

        for (Runnable call : List.<Runnable>of(() -> client.submit(endpoint, AzureMlClientTest.seedSubmission()),
                () -> client.getRun(earlier), () -> client.cancelRun(earlier))) {
            InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, call::run);
            assertThat(e).isNotNull();
            assertThat(e.getField()).isEqualTo("credentialsId");
            assertThat(e.getProblem()).contains("'" + environment + "'", host,
                    "Choose the environment '" + choose + "'");
        }
        assertThat(sim.credential().tokenRequests()).isZero();
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void credentialWithoutAKnownEnvironmentIsNotChecked() {
        AzureMlClient client = new AzureMlClientBuilder().credential(sim.credential()).httpClient(sim.httpClient())
                .credentialEnvironment(null).buildClient();
        client.submit(PipelineEndpoint.parse(submitUrlOn("usgovvirginia.api.ml.azure.us")),
                AzureMlClientTest.seedSubmission());
        assertThat(sim.tokens().issued()).singleElement()
                .satisfies(t -> assertThat(t.scope()).isEqualTo("https://management.usgovcloudapi.net/.default"));
    }

    @ParameterizedTest
    @EnumSource(AzureCloud.class)
    void azureCredentialsEnvironmentNamesNameTheirCloud(AzureCloud cloud) {
        assertThat(AzureCloud.ofEnvironmentName(cloud.environmentName())).contains(cloud);
        assertThat(AzureCloud.ofEnvironmentName(cloud.environmentName().toUpperCase(java.util.Locale.ROOT)))
                .contains(cloud);
        assertThat(AzureCloud.ofEnvironmentName("Azure Germany")).isEmpty();
        assertThat(AzureCloud.ofEnvironmentName(null)).isEmpty();
    }

    /** A private-link workspace: submission, status and cancel all go through the workspace's own host. */
    @Test
    void privateLinkWorkspaceIsReachedOnItsOwnHostForEveryCall() {
        String host = "fb7e20a0-8891-458b-b969-55ddb3382f51.workspace.eastus.cert.api.azureml.ms";
        AzureMlClient client = new AzureMlClientBuilder().credential(sim.credential()).httpClient(sim.httpClient())
                .credentialEnvironment("Azure").buildClient();
        PipelineRun run = client.submit(PipelineEndpoint.parse(submitUrlOn(host)), AzureMlClientTest.seedSubmission());
        client.getRun(run.reference());
        client.cancelRun(run.reference());

        assertThat(sim.requests()).extracting(r -> r.route() + " " + r.header("Host"))
                .containsExactly("SUBMIT " + host, "DETAILS " + host, "CANCEL " + host);
        assertThat(run.getStudioUrl()).startsWith("https://ml.azure.com/runs/");
    }
}
