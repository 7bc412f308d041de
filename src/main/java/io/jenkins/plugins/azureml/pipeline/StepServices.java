package io.jenkins.plugins.azureml.pipeline;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import io.jenkins.plugins.azureml.credentials.ResolvedAzureCredential;
import io.jenkins.plugins.azureml.run.MonitorSettings;
import io.jenkins.plugins.azuresdk.HttpClientRetriever;

/**
 * What a step execution takes from the outside world: the HTTP transport, the token credential of the stored
 * Azure credential, and the poll pacing. Production uses Jenkins' proxy-aware transport and azure-credentials'
 * token credential. Only tests replace {@link #current}: the Azure ML simulator needs a transport that trusts its
 * certificate and maps Azure hosts to 127.0.0.1, and azure-credentials builds its token credential with its own
 * transport and the real login host, which a test cannot redirect (see AzureMlPipelineStepTest).
 */
abstract class StepServices {
    /** Never changed outside tests. */
    static volatile StepServices current = new JenkinsServices();

    abstract HttpClient httpClient();

    abstract TokenCredential tokenCredential(ResolvedAzureCredential credential);

    abstract MonitorSettings monitorSettings();

    private static final class JenkinsServices extends StepServices {
        @Override
        HttpClient httpClient() {
            return HttpClientRetriever.get();
        }

        @Override
        TokenCredential tokenCredential(ResolvedAzureCredential credential) {
            return credential.tokenCredential();
        }

        @Override
        MonitorSettings monitorSettings() {
            return MonitorSettings.DEFAULT;
        }
    }
}
