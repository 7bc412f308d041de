package io.jenkins.plugins.azureml.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.azureml.credentials.AzureCredentialLookup;
import jenkins.model.Jenkins;

/**
 * Who may use the steps' Snippet Generator endpoints: users who may configure the job (or read its configuration),
 * administrators outside a job. Others get no check and no credential names.
 */
final class StepFormPermission {
    private StepFormPermission() {
    }

    /** {@code Item.CONFIGURE} implies {@code Item.EXTENDED_READ}; without an item, administrators only. */
    static boolean mayConfigure(@CheckForNull Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : item.hasAnyPermission(Item.CONFIGURE, Item.EXTENDED_READ);
    }

    /** The Azure credentials to choose from; without permission only the current value, so saving keeps it. */
    static ListBoxModel credentialItems(@CheckForNull Item item, @CheckForNull String credentialsId) {
        if (!mayConfigure(item)) {
            String current = credentialsId == null ? "" : credentialsId;
            return new ListBoxModel(new ListBoxModel.Option(current, current));
        }
        return AzureCredentialLookup.listItems(item, credentialsId);
    }
}
