package io.jenkins.plugins.azureml.client.implementation;

import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.models.AzureCloud;
import java.net.URI;

/**
 * Compares the cloud of the stored credential with the cloud of each request's host, before anything is sent: a
 * service principal signs in at its environment's sign-in host and gets tokens only from there, so a US Government
 * workspace with a public-cloud credential would fail later with a token error that names neither. Not checked
 * when the credential's environment is not known (null) or for loopback hosts.
 */
public final class CredentialCloudCheck {
    private final String environmentName;
    private final AzureCloud cloud;

    /** @param environmentName the credential's Azure environment as azure-credentials names it, or null if unknown */
    public CredentialCloudCheck(String environmentName) {
        this.environmentName = environmentName == null || environmentName.isBlank() ? null : environmentName.trim();
        this.cloud = AzureCloud.ofEnvironmentName(this.environmentName).orElse(null);
    }

    /** The credential's cloud, or null when its environment is unknown or not an Azure ML cloud. */
    public AzureCloud credentialCloud() {
        return cloud;
    }

    /** @throws InvalidFieldException for field {@code credentialsId} when the host belongs to another cloud */
    public void check(URI checked, EndpointRules rules) {
        AzureCloud target = rules.cloud(checked);
        if (environmentName == null || target == null || target == cloud) {
            return;
        }
        throw new InvalidFieldException("credentialsId", "The credential's Azure environment is '"
                + environmentName + "', but " + checked.getHost() + " is in " + target.environmentName()
                + " (tokens from " + target.authorityHost() + " for " + target.resourceManagerUrl() + "). Nothing"
                + " was sent. Choose the environment '" + target.environmentName() + "' in the credential (Manage"
                + " Jenkins > Credentials), or use a credential of that cloud.");
    }
}
