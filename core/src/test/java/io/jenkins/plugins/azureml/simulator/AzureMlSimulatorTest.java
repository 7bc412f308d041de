package io.jenkins.plugins.azureml.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The simulator's own guarantees that the client tests rely on, checked with raw azure-core requests. */
class AzureMlSimulatorTest {
    static HttpResponse get(AzureMlSimulator sim, String url, String authorization) {
        HttpRequest request = new HttpRequest(HttpMethod.GET, url);
        if (authorization != null) {
            request.setHeader("Authorization", authorization);
        }
        return sim.httpClient().send(request).block(Duration.ofSeconds(10));
    }

    String detailsUrl(AzureMlSimulator sim) {
        return sim.serviceBaseUrl() + "/history/v1.0/" + sim.workspace().servicePath() + "/runs/nope/details";
    }

    @Test
    void refusesMissingForeignWrongScopeAndExpiredTokensWithTheEnvelope() {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttps()) {
            String arm = "Bearer " + sim.credential().getToken(new TokenRequestContext()
                    .addScopes("https://management.azure.com/.default")).block().getToken();
            String storage = "Bearer " + sim.credential().getToken(new TokenRequestContext()
                    .addScopes("https://storage.azure.com/.default")).block().getToken();

            assertThat(get(sim, detailsUrl(sim), null).getStatusCode()).isEqualTo(401);
            assertThat(get(sim, detailsUrl(sim), "Bearer forged").getStatusCode()).isEqualTo(401);
            HttpResponse wrongScope = get(sim, detailsUrl(sim), storage);
            assertThat(wrongScope.getStatusCode()).isEqualTo(401);
            assertThat(wrongScope.getBodyAsString().block()).contains("\"code\":\"InvalidAuthenticationToken\"",
                    "audience");
            assertThat(get(sim, detailsUrl(sim), arm).getStatusCode()).isEqualTo(404); // authenticated: unknown run
            sim.clock().advance(Duration.ofHours(2));
            assertThat(get(sim, detailsUrl(sim), arm).getBodyAsString().block()).contains("expired");
        }
    }

    @Test
    void eachHostServesOnlyItsApiAndArmNeedsAnApiVersion() {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttps()) {
            String arm = "Bearer " + sim.credential().getToken(new TokenRequestContext()
                    .addScopes("https://management.azure.com/.default")).block().getToken();
            String job = "https://management.azure.com/" + sim.workspace().servicePath() + "/jobs/nope";
            HttpResponse noVersion = get(sim, job, arm);
            assertThat(noVersion.getStatusCode()).isEqualTo(400);
            assertThat(noVersion.getBodyAsString().block()).contains("MissingApiVersionParameter");
            assertThat(get(sim, job + "?api-version=2024-04-01", arm).getStatusCode()).isEqualTo(404);
            String v1OnArmHost = "https://management.azure.com/history/v1.0/" + sim.workspace().servicePath()
                    + "/runs/nope/details";
            assertThat(get(sim, v1OnArmHost, arm).getStatusCode()).isEqualTo(404);
            assertThat(sim.requests().get(2).route()).isEqualTo(Route.OTHER);
            assertThat(sim.requests().get(1).header("Host")).isEqualTo("management.azure.com");
        }
    }

    @Test
    void recordsRequestsWithoutTheAuthorizationValueAndAnswersWithOneRequestId() {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttps()) {
            HttpResponse response = get(sim, detailsUrl(sim), "Bearer very-secret-token");
            String id = response.getHeaderValue("x-ms-request-id");
            assertThat(response.getBodyAsString().block()).contains("\"request\":\"" + id + "\"");
            RecordedRequest recorded = sim.requests().get(0);
            assertThat(recorded.route()).isEqualTo(Route.DETAILS);
            assertThat(recorded.header("Authorization")).isNull();
            assertThat(recorded.toString()).doesNotContain("very-secret-token");
        }
    }

    @Test
    void connectionResetClosesWithoutAnAnswer() {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttps()) {
            sim.inject(Route.DETAILS, Fault.CONNECTION_RESET);
            Exception e = catchThrowableOfType(Exception.class, () -> get(sim, detailsUrl(sim), "Bearer x"));
            assertThat(e).hasMessageContaining("prematurely closed");
        }
    }

    @Test
    void testTransportNeverLeavesTheMachine() {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttps()) {
            Exception e = catchThrowableOfType(Exception.class, () -> get(sim, "https://example.com/", null));
            assertThat(e).hasMessageContaining("refuses to contact example.com");
            assertThat(sim.requests()).isEmpty();
        }
    }

    @Test
    void managedIdentityRouteChecksHeaderAndApiVersionAndIssuesTokensTheServiceAccepts() {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttp().managedIdentityHeader("trial-header")) {
            String url = sim.managedIdentityEndpoint() + "?api-version=2019-08-01&resource=https://management.azure.com";
            HttpRequest noHeader = new HttpRequest(HttpMethod.GET, url);
            assertThat(sim.httpClient().send(noHeader).block(Duration.ofSeconds(10)).getStatusCode()).isEqualTo(401);
            HttpRequest oldVersion = new HttpRequest(HttpMethod.GET, url.replace("2019-08-01", "2017-09-01"))
                    .setHeader("X-IDENTITY-HEADER", "trial-header");
            assertThat(sim.httpClient().send(oldVersion).block(Duration.ofSeconds(10)).getStatusCode()).isEqualTo(400);

            HttpResponse ok = sim.httpClient().send(new HttpRequest(HttpMethod.GET, url)
                    .setHeader("X-IDENTITY-HEADER", "trial-header")).block(Duration.ofSeconds(10));
            String body = ok.getBodyAsString().block();
            TokenIssuer.IssuedToken issued = sim.tokens().issued().get(0);
            assertThat(sim.tokens().issued()).hasSize(1);
            assertThat(issued.scope()).isEqualTo("https://management.azure.com/.default");
            assertThat(body).contains("\"access_token\":\"" + issued.value() + "\"",
                    "\"expires_on\":\"" + issued.expiresAt().getEpochSecond() + "\"",
                    "\"resource\":\"https://management.azure.com\"", "\"token_type\":\"Bearer\"");
            String details = sim.loopbackBaseUrl() + "/history/v1.0/" + sim.workspace().servicePath()
                    + "/runs/nope/details";
            assertThat(get(sim, details, "Bearer " + issued.value()).getStatusCode()).isEqualTo(404); // authenticated
            assertThat(sim.requests(Route.MSI_TOKEN)).hasSize(3);
        }
    }
}
