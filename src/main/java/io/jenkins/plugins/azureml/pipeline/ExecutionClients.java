package io.jenkins.plugins.azureml.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.azureml.client.AzureMlClientBuilder;
import io.jenkins.plugins.azureml.credentials.AzureCredentialLookup;
import io.jenkins.plugins.azureml.credentials.ResolvedAzureCredential;
import io.jenkins.plugins.azureml.run.LogMode;
import io.jenkins.plugins.azureml.run.RunLogFollower;

/**
 * Builds what a {@code triggerAzureMlPipeline} execution talks to Azure ML with, from its stored credential: one
 * builder (identity, transport, the credential's cloud, the loopback rule) for the run client and, unless
 * {@code logs: 'none'}, the follower of the run's logs. Rebuilt after a restart; nothing here is saved.
 */
final class ExecutionClients {
    private ExecutionClients() {
    }

    /** @throws AbortException when the credential is missing or not an Azure credential (says which) */
    static AzureMlClientBuilder builder(String credentialsId, Run<?, ?> run) throws AbortException {
        ResolvedAzureCredential credential = AzureCredentialLookup.forRun(credentialsId, run);
        StepServices services = StepServices.current;
        return new AzureMlClientBuilder().credential(services.tokenCredential(credential))
                .httpClient(services.httpClient()).identityDescription(credential.identityDescription())
                .credentialEnvironment(credential.azureEnvironmentName())
                .allowInsecureLoopback(AzureMlPipelineStep.allowInsecureLoopback());
    }

    /** @param logs the step's {@code logs} argument as saved (null in executions saved before it existed: 'run') */
    @CheckForNull
    static RunLogFollower logFollower(AzureMlClientBuilder builder, @CheckForNull String logs) {
        LogMode mode = LogMode.parse(logs);
        return mode == LogMode.NONE ? null
                : new RunLogFollower(builder.buildLogClient(), StepServices.current.logSettings(mode));
    }
}
