package io.jenkins.plugins.azureml.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.RunStatus;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.RecordedRequest;
import io.jenkins.plugins.azureml.simulator.Route;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Credential paths: a real azure-identity ClientSecretCredential, and the explicit loopback-http option. */
class AzureMlClientCredentialTest {
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT_ID = "1111-2222-3333";
    static final String SECRET = "not-a-real-secret-but-never-print-it";

    static ClientSecretCredential servicePrincipal(AzureMlSimulator sim, String secret) {
        // The authority stays the real https login host; the test transport maps it to the simulator.
        return new ClientSecretCredentialBuilder()
                .tenantId(TENANT).clientId(CLIENT_ID).clientSecret(secret)
                .authorityHost("https://login.microsoftonline.com")
                .disableInstanceDiscovery()
                .httpClient(sim.httpClient())
                .build();
    }

    @Test
    void realClientSecretCredentialGetsAnArmTokenThatTheServiceAccepts() {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttps()) {
            sim.registerServicePrincipal(CLIENT_ID, SECRET);
            PublishedPipeline p = sim.publish(PublishedPipeline.sample("pl").build());
            AzureMlClient client = new AzureMlClientBuilder().credential(servicePrincipal(sim, SECRET))
                    .httpClient(sim.httpClient()).identityDescription("service principal " + CLIENT_ID).buildClient();

            PipelineRun run = client.submit(PipelineEndpoint.parse(sim.submitUrl(p)),
                    AzureMlClientTest.seedSubmission());
            assertThat(client.getRun(run.reference()).getStatus()).isEqualTo(RunStatus.QUEUED);

            RecordedRequest tokenRequest = sim.requests(Route.TOKEN).get(0);
            assertThat(tokenRequest.path()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");
            assertThat(tokenRequest.body()).contains("client_id=" + CLIENT_ID, "grant_type=client_credentials",
                    "scope=https%3A%2F%2Fmanagement.azure.com%2F.default", "client_secret=***");
            assertThat(sim.requests(Route.TOKEN)).hasSize(1);
            int serial = sim.tokens().issued().get(0).serial();
            assertThat(sim.requests(Route.SUBMIT).get(0).tokenSerial()).isEqualTo(serial);
            assertThat(sim.requests(Route.DETAILS).get(0).tokenSerial()).isEqualTo(serial);
        }
    }

    @Test
    void wrongSecretFailsWithTheIdentityButNotTheSecret() {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttps()) {
            sim.registerServicePrincipal(CLIENT_ID, SECRET);
            PublishedPipeline p = sim.publish(PublishedPipeline.sample("pl").build());
            String wrong = "wrong-secret-value-123";
            AzureMlClient client = new AzureMlClientBuilder().credential(servicePrincipal(sim, wrong))
                    .httpClient(sim.httpClient()).identityDescription("service principal " + CLIENT_ID)
                    .retryOptions(new com.azure.core.http.policy.RetryOptions(
                            new com.azure.core.http.policy.FixedDelayOptions(0, Duration.ofMillis(10))))
                    .buildClient();

            AzureMlException e = catchThrowableOfType(AzureMlException.class, () -> client.submit(
                    PipelineEndpoint.parse(sim.submitUrl(p)), AzureMlClientTest.seedSubmission()));
            assertThat(e.getMessage()).contains("Could not get an Azure AD token for service principal " + CLIENT_ID)
                    .doesNotContain(wrong).doesNotContain(SECRET);
            assertThat(sim.requests(Route.SUBMIT)).isEmpty();
        }
    }

    @Test
    void plainHttpLoopbackWorksOnlyWithTheExplicitOption() {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttp()) {
            PublishedPipeline p = sim.publish(PublishedPipeline.sample("pl").build());
            PipelineEndpoint local = PipelineEndpoint.parse(sim.loopbackSubmitUrl(p), true);

            AzureMlClient strict = new AzureMlClientBuilder().credential(sim.credential())
                    .httpClient(sim.httpClient()).buildClient();
            InvalidFieldException refused = catchThrowableOfType(InvalidFieldException.class,
                    () -> strict.submit(local, AzureMlClientTest.seedSubmission()));
            assertThat(refused.getField()).isEqualTo("endpoint");
            assertThat(sim.credential().tokenRequests()).isZero();
            assertThat(sim.requests()).isEmpty();

            AzureMlClient trial = new AzureMlClientBuilder().credential(sim.credential())
                    .httpClient(sim.httpClient()).allowInsecureLoopback(true).buildClient();
            PipelineRun run = trial.submit(local, AzureMlClientTest.seedSubmission());
            assertThat(trial.getRun(run.reference()).getStatus()).isEqualTo(RunStatus.QUEUED);
            trial.cancelRun(run.reference());
            assertThat(sim.requests()).hasSize(3).allMatch(r -> r.tokenSerial() == 1);
        }
    }

    @Test
    void loopbackOptionStillUsesAzureCoresPolicyForAzureHosts() {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttps()) {
            PublishedPipeline p = sim.publish(PublishedPipeline.sample("pl").build());
            AzureMlClient client = new AzureMlClientBuilder().credential(sim.credential())
                    .httpClient(sim.httpClient()).allowInsecureLoopback(true).buildClient();
            client.submit(PipelineEndpoint.parse(sim.submitUrl(p)), AzureMlClientTest.seedSubmission());
            assertThat(sim.requests(Route.SUBMIT).get(0).tokenSerial()).isEqualTo(1);
        }
    }
}
