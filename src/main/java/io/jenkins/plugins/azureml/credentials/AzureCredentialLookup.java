package io.jenkins.plugins.azureml.credentials;

import com.azure.core.credential.TokenCredential;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.microsoft.azure.util.AzureBaseCredentials;
import com.microsoft.azure.util.AzureCredentials;
import com.microsoft.azure.util.AzureImdsCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.core.Authentication;

/**
 * Finds the Azure credential a step or trigger names, in the context of its build or job (so folder credentials
 * work), records its use, and turns it into a token credential. Every failure is an {@link AbortException} naming
 * the credentials id and what was expected, never a secret.
 */
public final class AzureCredentialLookup {
    /** The display names of the azure-credentials kinds this plugin accepts. */
    static final String EXPECTED_TYPES = "\"Azure Service Principal\" or \"Azure Managed Identity\"";

    private AzureCredentialLookup() {
    }

    /**
     * Looks the credential up for a running build (the build's authentication, as {@code withCredentials} does)
     * and tracks its use on the build.
     */
    @NonNull
    public static ResolvedAzureCredential forRun(String credentialsId, @NonNull Run<?, ?> run) throws AbortException {
        String id = requireId(credentialsId);
        IdCredentials found = CredentialsProvider.findCredentialById(id, IdCredentials.class, run);
        AzureBaseCredentials credentials = requireAzure(id, found);
        // findCredentialById does not track plain ids, only credentials parameters.
        CredentialsProvider.track(run, credentials);
        return resolve(id, credentials);
    }

    /**
     * Looks the credential up for a job without a build (the blob trigger's polling): first as the job's own
     * authentication, then as SYSTEM when that authentication may use item credentials, like
     * {@code findCredentialById} does for builds; tracks its use on the item.
     */
    @NonNull
    public static ResolvedAzureCredential forItem(String credentialsId, @NonNull Item item) throws AbortException {
        String id = requireId(credentialsId);
        Authentication auth = authenticationOf(item);
        List<IdCredentials> candidates = new ArrayList<>(
                CredentialsProvider.lookupCredentialsInItem(IdCredentials.class, item, auth, List.of()));
        if (auth != ACL.SYSTEM2 && item.hasPermission2(auth, CredentialsProvider.USE_ITEM)) {
            candidates.addAll(CredentialsProvider.lookupCredentialsInItem(IdCredentials.class, item, ACL.SYSTEM2,
                    List.of()));
        }
        IdCredentials found = CredentialsMatchers.firstOrNull(candidates, CredentialsMatchers.withId(id));
        AzureBaseCredentials credentials = requireAzure(id, found);
        CredentialsProvider.track(item, credentials);
        return resolve(id, credentials);
    }

    /**
     * The Azure credentials selectable in {@code context} (service principals and managed identities only), plus
     * an empty entry and the current value. The caller has already checked the user's permission.
     */
    @NonNull
    public static StandardListBoxModel listItems(@CheckForNull Item context, @CheckForNull String currentValue) {
        StandardListBoxModel result = new StandardListBoxModel();
        result.includeEmptyValue();
        result.includeAs(authenticationOf(context), context, AzureBaseCredentials.class);
        if (currentValue != null && !currentValue.isEmpty()) {
            result.includeCurrentValue(currentValue);
        }
        return result;
    }

    private static Authentication authenticationOf(@CheckForNull Item item) {
        return item instanceof Queue.Task ? Tasks.getAuthenticationOf2((Queue.Task) item) : ACL.SYSTEM2;
    }

    private static String requireId(String credentialsId) throws AbortException {
        if (credentialsId == null || credentialsId.isBlank()) {
            throw new AbortException("credentialsId: no credentials selected. Set credentialsId to the ID of an "
                    + EXPECTED_TYPES + " credential.");
        }
        return credentialsId.trim();
    }

    private static AzureBaseCredentials requireAzure(String id, @CheckForNull IdCredentials found)
            throws AbortException {
        if (found == null) {
            throw new AbortException("credentialsId: could not find credentials '" + id + "' of type "
                    + EXPECTED_TYPES + " that this build may use. Add them in Jenkins (globally or in the job's"
                    + " folder) with that ID, or correct credentialsId.");
        }
        if (!(found instanceof AzureBaseCredentials)) {
            throw new AbortException("credentialsId: credentials '" + id + "' are of type '"
                    + found.getDescriptor().getDisplayName() + "', but " + EXPECTED_TYPES + " is needed.");
        }
        return (AzureBaseCredentials) found;
    }

    private static ResolvedAzureCredential resolve(String id, AzureBaseCredentials credentials)
            throws AbortException {
        TokenCredential token;
        try {
            token = AzureCredentials.getTokenCredential(credentials);
        } catch (RuntimeException e) {
            // azure-credentials reports unsupported kinds, missing certificates and bad keystores this way.
            throw new AbortException("credentialsId: credentials '" + id + "' ("
                    + credentials.getDescriptor().getDisplayName() + ") cannot provide Azure tokens: "
                    + e.getMessage());
        }
        return new ResolvedAzureCredential(credentials, token, describe(credentials));
    }

    private static String describe(AzureBaseCredentials credentials) {
        if (credentials instanceof AzureCredentials) {
            return "service principal " + ((AzureCredentials) credentials).getClientId();
        }
        if (credentials instanceof AzureImdsCredentials) {
            String clientId = ((AzureImdsCredentials) credentials).getClientId();
            return clientId == null || clientId.isBlank() ? "managed identity" : "managed identity " + clientId;
        }
        return "credentials " + credentials.getId();
    }
}
