package io.jenkins.plugins.azureml.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.simulator.AzureMlSimulator;
import io.jenkins.plugins.azureml.simulator.PublishedPipeline;
import io.jenkins.plugins.azureml.simulator.Route;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the client adds to a submission: {@link AzureMlClient#submit} vs one raw POST of the same body to the same
 * simulator URL through the same azure-core {@link HttpClient} (same TLS, same connection handling), with an
 * Authorization header built once from a token fetched once, in alternating pairs after a warm-up; medians side by
 * side. Target: the difference is under 5 ms. Run with
 * {@code mvn -B -ntp -f core/pom.xml verify -Pbench -Dtest=SubmitOverheadBenchmarkTest}
 * ({@code -Dbench.pairs=300 -Dbench.warmup=100}).
 */
@Tag("bench")
class SubmitOverheadBenchmarkTest {
    private static final int PAIRS = Integer.getInteger("bench.pairs", 300);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 100);

    @Test
    void clientSubmitVersusRawPost() {
        try (AzureMlSimulator sim = AzureMlSimulator.startHttps()) {
            PublishedPipeline pipeline = sim.publish(PublishedPipeline.sample("pl-bench").build());
            HttpClient http = sim.httpClient();
            AzureMlClient client = new AzureMlClientBuilder().credential(sim.credential()).httpClient(http)
                    .buildClient();
            PipelineEndpoint endpoint = PipelineEndpoint.parse(sim.submitUrl(pipeline));
            PipelineSubmission submission = AzureMlClientTest.seedSubmission();

            client.submit(endpoint, submission);
            byte[] body = sim.requests(Route.SUBMIT).get(0).body().getBytes(StandardCharsets.UTF_8);
            String authorization = "Bearer " + sim.credential()
                    .getToken(new TokenRequestContext().addScopes(AzureMlClientBuilder.SCOPE)).block().getToken();
            String url = sim.submitUrl(pipeline);

            long[] viaClient = new long[PAIRS];
            long[] raw = new long[PAIRS];
            for (int i = -WARMUP; i < PAIRS; i++) {
                // Alternate which goes first so that neither always follows the other.
                long a;
                long b;
                if ((i & 1) == 0) {
                    a = timeClient(client, endpoint, submission);
                    b = timeRaw(http, url, authorization, body);
                } else {
                    b = timeRaw(http, url, authorization, body);
                    a = timeClient(client, endpoint, submission);
                }
                if (i >= 0) {
                    viaClient[i] = a;
                    raw[i] = b;
                }
            }
            double clientMs = median(viaClient) / 1e6;
            double rawMs = median(raw) / 1e6;
            System.out.printf("submit overhead: %d pairs after %d warm-up; median client submit %.2f ms, raw POST "
                    + "%.2f ms, difference %.2f ms, ratio %.2f (p90 client %.2f ms, raw %.2f ms)%n", PAIRS, WARMUP,
                    clientMs, rawMs, clientMs - rawMs, clientMs / rawMs, percentile(viaClient, 0.9) / 1e6,
                    percentile(raw, 0.9) / 1e6);
            assertThat(sim.runs()).hasSize(1 + 2 * (PAIRS + WARMUP)); // every request was a real submission
            assertThat(clientMs - rawMs).as("client overhead per submission (ms)").isLessThan(5.0);
        }
    }

    private static long timeClient(AzureMlClient client, PipelineEndpoint endpoint, PipelineSubmission submission) {
        long start = System.nanoTime();
        assertThat(client.submit(endpoint, submission).getRunId()).isNotBlank();
        return System.nanoTime() - start;
    }

    private static long timeRaw(HttpClient http, String url, String authorization, byte[] body) {
        long start = System.nanoTime();
        HttpRequest request = new HttpRequest(HttpMethod.POST, url)
                .setHeader(HttpHeaderName.AUTHORIZATION, authorization)
                .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
                .setBody(body);
        try (HttpResponse response = http.sendSync(request, Context.NONE)) {
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getBodyAsBinaryData().toBytes()).isNotEmpty();
        }
        return System.nanoTime() - start;
    }

    private static double median(long[] values) {
        return percentile(values, 0.5);
    }

    private static double percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
    }
}
