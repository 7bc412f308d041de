package io.jenkins.plugins.azureml.client;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;

/**
 * The child JVM of {@link ManagedIdentityForkedJvmTest}: what the step does in a Jenkins started for a local trial
 * with {@code IDENTITY_ENDPOINT}/{@code IDENTITY_HEADER} exported and an "Azure Managed Identity" credential. The
 * credential is built the way azure-credentials 421 builds it ({@code new ManagedIdentityCredentialBuilder()
 * .httpClient(...)}, no client id) and reads the real environment; the client has the step's loopback switch on.
 *
 * <p>Arguments: v1 submit URL, v2 scoring URI, v2 workspace resource id, blob name for the datapath. Prints
 * {@code v1 <runId> <status>} and {@code v2 <jobName> <status>} on stdout; on failure the error message on stderr
 * and exit code 2.
 */
public final class ManagedIdentityTrialClient {
    private ManagedIdentityTrialClient() {
    }

    public static void main(String[] args) {
        int exit = 0;
        try {
            PipelineSubmission submission = PipelineSubmission.builder().experimentName("MyRestPipeline")
                    .parameter("input_string", "local-trial")
                    .dataPath("input_datapath", "workspaceblobstore", args[3]).build();
            PipelineRun v1 = submitAndRead(PipelineEndpoint.parse(args[0], true), submission);
            System.out.println("v1 " + v1.getRunId() + " " + v1.getStatus());
            PipelineRun v2 = submitAndRead(PipelineEndpoint.parse(args[1], args[2], true), submission);
            System.out.println("v2 " + v2.getRunId() + " " + v2.getStatus());
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            exit = 2;
        }
        System.out.flush();
        System.exit(exit); // the transport's threads must not keep the child alive
    }

    /** One new credential and client per call, as the step does per build: msal4j's static cache is shared. */
    private static PipelineRun submitAndRead(PipelineEndpoint endpoint, PipelineSubmission submission) {
        TokenCredential credential = new ManagedIdentityCredentialBuilder().httpClient(HttpClient.createDefault())
                .build();
        AzureMlClient client = new AzureMlClientBuilder().credential(credential).identityDescription("managed identity")
                .allowInsecureLoopback(true).buildClient();
        PipelineRun run = client.submit(endpoint, submission);
        return client.getRun(run.reference());
    }
}
