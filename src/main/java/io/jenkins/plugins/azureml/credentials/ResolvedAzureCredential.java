package io.jenkins.plugins.azureml.credentials;

import com.azure.core.credential.TokenCredential;
import com.microsoft.azure.util.AzureBaseCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import java.util.Objects;

/**
 * A Jenkins-stored Azure credential that was found, type-checked and tracked, turned into an azure-core
 * {@link TokenCredential}. Short-lived: obtain one per use with {@link AzureCredentialLookup}; never store it in a
 * field that is serialized (build.xml, program.dat).
 */
public final class ResolvedAzureCredential {
    private final AzureBaseCredentials credentials;
    private final TokenCredential tokenCredential;
    private final String identityDescription;

    ResolvedAzureCredential(@NonNull AzureBaseCredentials credentials, @NonNull TokenCredential tokenCredential,
                            @NonNull String identityDescription) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.tokenCredential = Objects.requireNonNull(tokenCredential, "tokenCredential");
        this.identityDescription = Objects.requireNonNull(identityDescription, "identityDescription");
    }

    /** Tokens for the stored identity, from azure-credentials (proxy-aware, sovereign-cloud authority). */
    @NonNull
    public TokenCredential tokenCredential() {
        return tokenCredential;
    }

    /**
     * How to name the identity in messages, e.g. {@code service principal 1111-2222} or {@code managed identity};
     * never a secret.
     */
    @NonNull
    public String identityDescription() {
        return identityDescription;
    }

    /**
     * The Azure environment chosen in the stored credential, as azure-credentials names it ({@code Azure},
     * {@code Azure US Government}, {@code Azure China}); null when the credential has none recorded. It decides where
     * a service principal signs in, so the engine refuses an endpoint of another cloud before any request.
     */
    @CheckForNull
    public String azureEnvironmentName() {
        return credentials.getAzureEnvironmentName();
    }

    /** The stored credential itself (its id, environment, client id); do not log its secret. */
    @NonNull
    public AzureBaseCredentials credentials() {
        return credentials;
    }

    @Override
    public String toString() {
        return "ResolvedAzureCredential{" + credentials.getId() + ", " + identityDescription + "}";
    }
}
