package io.jenkins.plugins.azureml.trigger;

import com.azure.core.credential.TokenCredential;
import com.azure.storage.blob.BlobContainerClient;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.microsoft.azure.util.AzureBaseCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import io.jenkins.plugins.azureml.blob.BlobContainerClientFactory;
import io.jenkins.plugins.azureml.blob.events.EventQueueClientFactory;
import io.jenkins.plugins.azureml.credentials.AzureCredentialLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.springframework.security.core.Authentication;

/**
 * Turns the trigger's {@code credentialsId} into a container client, in the job's context (folder credentials
 * work) and with usage tracking. Two kinds are accepted: an azure-credentials service principal or managed identity
 * (through the shared {@link AzureCredentialLookup}) and a "Secret text" holding a storage connection string or a
 * SAS token/URL. The secret goes straight to the engine's factory and is never logged or kept.
 */
final class StorageCredentialResolver {
    private StorageCredentialResolver() {
    }

    /**
     * @param credentialsId the credential's id
     * @param context the job (or null for the Jenkins root, e.g. a test-connection without a job)
     * @param factory the engine's factory for the watch's account and container
     * @return the container client
     * @throws AbortException if the credential is missing, not visible, or of another kind
     */
    static BlobContainerClient connect(String credentialsId, @CheckForNull Item context,
            BlobContainerClientFactory factory) throws AbortException {
        return resolve(credentialsId, context, factory::withStorageSecret, factory::withTokenCredential);
    }

    /**
     * The same lookup for push mode's event queue (and its poison queue).
     *
     * @param credentialsId the credential's id
     * @param context the job
     * @param factory the engine's factory for the queue URL
     * @return the queue clients
     * @throws AbortException if the credential is missing, not visible, or of another kind
     */
    static EventQueueClientFactory.EventQueueClients connectQueue(String credentialsId, @CheckForNull Item context,
            EventQueueClientFactory factory) throws AbortException {
        return resolve(credentialsId, context, factory::withStorageSecret, factory::withTokenCredential);
    }

    private static <T> T resolve(String credentialsId, @CheckForNull Item context, Function<String, T> withSecret,
            Function<TokenCredential, T> withToken) throws AbortException {
        String id = Util.fixEmptyAndTrim(credentialsId);
        if (id == null) {
            throw new AbortException("credentialsId: no credential is selected; choose a Secret text (connection "
                    + "string or SAS) or an Azure service principal / managed identity");
        }
        StandardCredentials c = find(id, context);
        if (c == null) {
            throw new AbortException("credentialsId: could not find credentials '" + id + "' visible to "
                    + (context == null ? "Jenkins" : context.getFullName()) + "; check the id and its folder/scope");
        }
        if (c instanceof StringCredentials) {
            if (context != null) {
                CredentialsProvider.track(context, c);
            }
            return withSecret.apply(((StringCredentials) c).getSecret().getPlainText());
        }
        if (c instanceof AzureBaseCredentials) {
            if (context == null) {
                // The shared lookup works in a job's context only (the trigger always has one).
                throw new AbortException("credentialsId: test an Azure identity from the job's configuration page");
            }
            var resolved = AzureCredentialLookup.forItem(id, context);
            return withToken.apply(resolved.tokenCredential());
        }
        throw new AbortException("credentialsId: credentials '" + id + "' are of type '"
                + c.getDescriptor().getDisplayName() + "'; use a Secret text (connection string or SAS) or an Azure "
                + "service principal / managed identity");
    }

    /** Looks up as the job's authentication, plus SYSTEM when that authentication may use item credentials. */
    @CheckForNull
    private static StandardCredentials find(String id, @CheckForNull Item context) {
        Authentication auth = context instanceof Queue.Task
                ? Tasks.getAuthenticationOf2((Queue.Task) context) : ACL.SYSTEM2;
        List<StandardCredentials> candidates = new ArrayList<>(
                CredentialsProvider.lookupCredentialsInItem(StandardCredentials.class, context, auth, List.of()));
        if (context != null && auth != ACL.SYSTEM2 && context.hasPermission2(auth, CredentialsProvider.USE_ITEM)) {
            candidates.addAll(CredentialsProvider.lookupCredentialsInItem(StandardCredentials.class, context,
                    ACL.SYSTEM2, List.of()));
        }
        return CredentialsMatchers.firstOrNull(candidates, CredentialsMatchers.withId(id));
    }
}
