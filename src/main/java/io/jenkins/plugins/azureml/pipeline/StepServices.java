package io.jenkins.plugins.azureml.pipeline;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import io.jenkins.plugins.azureml.credentials.ResolvedAzureCredential;
import io.jenkins.plugins.azureml.run.LogMode;
import io.jenkins.plugins.azureml.run.LogSettings;
import io.jenkins.plugins.azureml.run.MonitorSettings;
import io.jenkins.plugins.azuresdk.HttpClientRetriever;
import jenkins.util.SystemProperties;

/**
 * What a step execution takes from the outside world: the HTTP transport, the token credential of the stored
 * Azure credential, the poll pacing and how much of a run's log is printed per poll. Production uses Jenkins' proxy-aware transport and azure-credentials'
 * token credential. Only tests replace {@link #current}: the Azure ML simulator needs a transport that trusts its
 * certificate and maps Azure hosts to 127.0.0.1, and azure-credentials builds its token credential with its own
 * transport and the real login host, which a test cannot redirect (see AzureMlPipelineStepTest).
 */
abstract class StepServices {
    /** System property: KiB of one run log file printed per poll at most (default 256). */
    static final String LOG_KIB_PROPERTY = AzureMlPipelineStep.class.getName() + ".logKiBPerPoll";

    /** Never changed outside tests. */
    static volatile StepServices current = new JenkinsServices();

    abstract HttpClient httpClient();

    abstract TokenCredential tokenCredential(ResolvedAzureCredential credential);

    abstract MonitorSettings monitorSettings();

    abstract LogSettings logSettings(LogMode mode);

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

        /** 256 KiB per log file per poll unless an administrator sets {@value #LOG_KIB_PROPERTY}. */
        @Override
        LogSettings logSettings(LogMode mode) {
            int kib = SystemProperties.getInteger(LOG_KIB_PROPERTY, LogSettings.DEFAULT_MAX_BYTES / 1024);
            return LogSettings.of(mode).withMaxBytesPerPoll(Math.max(1, kib) * 1024);
        }
    }
}
