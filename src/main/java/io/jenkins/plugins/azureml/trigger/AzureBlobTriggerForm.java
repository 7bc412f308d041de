package io.jenkins.plugins.azureml.trigger;

import com.azure.storage.blob.BlobContainerClient;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.microsoft.azure.util.AzureBaseCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.scheduler.CronTabList;
import hudson.scheduler.Hash;
import hudson.security.ACL;
import hudson.triggers.TimerTrigger;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.blob.BlobChangeDetector;
import io.jenkins.plugins.azureml.blob.BlobContainerClientFactory;
import io.jenkins.plugins.azureml.blob.BlobPollException;
import io.jenkins.plugins.azureml.blob.BlobWatch;
import io.jenkins.plugins.azureml.blob.PollStats;
import io.jenkins.plugins.azureml.blob.StartPosition;
import io.jenkins.plugins.azureml.blob.WatchState;
import io.jenkins.plugins.azureml.blob.events.BlobEventQueueException;
import io.jenkins.plugins.azureml.blob.events.EventQueueClientFactory;
import io.jenkins.plugins.azureml.blob.events.EventQueueProbe;
import io.jenkins.plugins.azuresdk.HttpClientRetriever;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.springframework.security.core.Authentication;

/**
 * What the trigger's configuration form endpoints do ({@link AzureBlobTrigger.DescriptorImpl} only binds them to
 * URLs). Field checks use the engine's {@link BlobWatch} validation, so the form and a poll reject the same input
 * with the same words. Permission checks happen here, before anything else.
 */
final class AzureBlobTriggerForm {
    /**
     * The form's labels (config.jelly titles) of the fields that errors name by their Jenkinsfile names: a form
     * user reads "Account URL: …", a Jenkinsfile author "accountUrl: …".
     */
    private static final Map<String, String> LABELS = Map.of("credentialsId", "Credentials",
            "accountUrl", "Account URL", "container", "Container", "prefix", "Prefix", "include", "Include",
            "exclude", "Exclude", "maxChangesPerPoll", "Most changes per poll",
            "lateArrivalMargin", "Late-arrival margin in minutes", "eventQueueUrl", "Event Grid queue");

    /** Valid stand-ins for the fields not being checked, so a check reports only its own field. */
    private static final String SOME_ACCOUNT = "https://account.blob.core.windows.net";
    private static final String SOME_CONTAINER = "container";

    private AzureBlobTriggerForm() {
    }

    /** Whether the current user may configure the item (or administer Jenkins when there is no item). */
    static boolean canConfigure(@CheckForNull Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
    }

    /** Throws {@code AccessDeniedException} (HTTP 403) unless {@link #canConfigure}. */
    static void checkConfigure(@CheckForNull Item item) {
        if (item == null) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        } else {
            item.checkPermission(Item.CONFIGURE);
        }
    }

    /**
     * The cron schedule check of "Build periodically" (core's own messages, including "would last have run at …
     * would next run at …"); blank means the default schedule. Nothing without permission to configure.
     */
    static FormValidation checkSpec(String value, @CheckForNull Item item) {
        if (!canConfigure(item)) {
            return FormValidation.ok();
        }
        if (Util.fixNull(value).isBlank()) {
            return FormValidation.ok("Blank: polls on the default schedule " + AzureBlobTrigger.DEFAULT_SPEC);
        }
        TimerTrigger.DescriptorImpl timer = Jenkins.get().getDescriptorByType(TimerTrigger.DescriptorImpl.class);
        if (timer != null) {
            return timer.doCheckSpec(value, item);
        }
        try {
            String warning = CronTabList.create(value, item == null ? null : Hash.from(item.getFullName()))
                    .checkSanity();
            return warning == null ? FormValidation.ok() : FormValidation.warning(warning);
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /**
     * Checks one field with the engine's rules.
     *
     * @param item the job being configured
     * @param engineField the field name the engine reports ({@code accountUrl}, {@code container}, ...)
     * @param set sets the field's value on a builder that is otherwise valid
     */
    static FormValidation checkField(@CheckForNull Item item, String engineField,
            UnaryOperator<BlobWatch.Builder> set) {
        if (!canConfigure(item)) {
            return FormValidation.ok();
        }
        try {
            set.apply(BlobWatch.builder().accountUrl(SOME_ACCOUNT).container(SOME_CONTAINER)).build();
            return FormValidation.ok();
        } catch (InvalidFieldException e) {
            return e.getField().equals(engineField) ? FormValidation.error(e.getProblem()) : FormValidation.ok();
        }
    }

    /** The late-arrival margin in whole minutes, checked by the engine's rule (1 to 1440). */
    static FormValidation checkLateArrivalMargin(@CheckForNull Item item, String value) {
        if (!canConfigure(item)) {
            return FormValidation.ok();
        }
        long minutes;
        try {
            minutes = Long.parseLong(Util.fixNull(value).trim());
        } catch (NumberFormatException e) {
            return FormValidation.error("Give a whole number of minutes from 1 to 1440, e.g. "
                    + AzureBlobTrigger.DEFAULT_LATE_ARRIVAL_MARGIN);
        }
        return checkField(item, "lateArrivalMargin", b -> b.lateArrivalMargin(Duration.ofMinutes(minutes)));
    }

    /** Secret texts and Azure credentials visible to the job; nothing but the current value without permission. */
    static ListBoxModel fillCredentialsIdItems(@CheckForNull Item item, String credentialsId) {
        StandardListBoxModel result = new StandardListBoxModel();
        String current = Util.fixNull(credentialsId);
        if (!canConfigure(item)) {
            return result.includeCurrentValue(current);
        }
        Authentication auth = item instanceof Queue.Task ? Tasks.getAuthenticationOf2((Queue.Task) item) : ACL.SYSTEM2;
        return result.includeEmptyValue()
                .includeMatchingAs(auth, item, StandardCredentials.class, List.of(),
                        CredentialsMatchers.anyOf(CredentialsMatchers.instanceOf(StringCredentials.class),
                                CredentialsMatchers.instanceOf(AzureBaseCredentials.class)))
                .includeCurrentValue(current);
    }

    /**
     * Lists the container with the given settings and reports how many blobs match, or exactly what failed
     * (missing container, refused role or SAS, bad field, unknown credential). Saves nothing.
     */
    static FormValidation testConnection(@CheckForNull Item item, String credentialsId, String accountUrl,
            String container, String prefix, String include, String exclude, boolean includeSubfolders,
            boolean ignoreEmptyBlobs, String eventQueueUrl) {
        checkConfigure(item);
        BlobWatch watch;
        try {
            watch = AzureBlobTrigger.watchBuilder(accountUrl, container, prefix, include, exclude, includeSubfolders,
                    ignoreEmptyBlobs).startPosition(StartPosition.NOW).build();
        } catch (InvalidFieldException e) {
            return FormValidation.error(labelled(e.getMessage()));
        }
        String listed;
        try {
            BlobContainerClient client = StorageCredentialResolver.connect(credentialsId, item,
                    BlobContainerClientFactory.forWatch(watch).httpClient(HttpClientRetriever.get()));
            // A first poll from NOW lists everything and reports no change: its figures are the answer.
            PollStats stats = BlobChangeDetector.builder(client).build().poll(watch, WatchState.empty()).stats();
            listed = "Connected to container '" + watch.container() + "': " + stats.matched()
                    + " matching blob(s) out of " + stats.listed() + " listed.";
        } catch (AbortException | InvalidFieldException | BlobPollException e) {
            return FormValidation.error(labelled(e.getMessage()));
        } catch (RuntimeException e) {
            // Unknown failures: the type only, since a message from a credential library is not ours to vet.
            return FormValidation.error("Connection failed (" + e.getClass().getName() + "); check the credential "
                    + "and the account URL");
        }
        String queueUrl = Util.fixEmptyAndTrim(eventQueueUrl);
        if (queueUrl == null) {
            return FormValidation.ok(listed);
        }
        // Push mode: the same credential must also read the event queue.
        try {
            EventQueueClientFactory.EventQueueClients clients = StorageCredentialResolver.connectQueue(credentialsId,
                    item, EventQueueClientFactory.forQueueUrl(queueUrl).httpClient(HttpClientRetriever.get()));
            return FormValidation.ok(listed + " " + EventQueueProbe.check(clients.queue()));
        } catch (AbortException | InvalidFieldException | BlobEventQueueException e) {
            return FormValidation.error(listed + " " + labelled(e.getMessage()));
        } catch (RuntimeException e) {
            return FormValidation.error(listed + " Reading the event queue failed (" + e.getClass().getName()
                    + "); check the credential and the Event Grid queue URL");
        }
    }

    /** The message with a leading {@code field: } replaced by the field's label on the form. */
    static String labelled(String message) {
        int colon = message.indexOf(": ");
        String label = colon > 0 ? LABELS.get(message.substring(0, colon)) : null;
        return label == null ? message : label + message.substring(colon);
    }

    /**
     * For the polling log, the job page and the monitor: a message that starts with a field's Jenkinsfile name
     * ({@code credentialsId: could not find ...}) as a sentence naming the field by its form label and its
     * Jenkinsfile name: {@code Check the trigger's Credentials (credentialsId): could not find ...}.
     */
    static String sentence(String message) {
        int colon = message.indexOf(": ");
        String field = colon > 0 ? message.substring(0, colon) : null;
        String label = field == null ? null : LABELS.get(field);
        return label == null ? message
                : "Check the trigger's " + label + " (" + field + "): " + message.substring(colon + 2);
    }

    /** A checkbox's value as sent by the form ({@code true}/{@code on}); absent means the field's default. */
    static boolean checkbox(String value, boolean defaultValue) {
        return value == null || value.isEmpty() ? defaultValue
                : "true".equalsIgnoreCase(value) || "on".equalsIgnoreCase(value);
    }
}
