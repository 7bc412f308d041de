package io.jenkins.plugins.azureml.trigger;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.listeners.ItemListener;
import jenkins.model.Jenkins;

/** Leaves no poll and no health entry behind for a deleted job (its state and log files go with its directory). */
@Extension
public final class BlobTriggerItemListener extends ItemListener {
    @Override
    public void onDeleted(Item item) {
        if (item instanceof Job) {
            AzureBlobTrigger.DescriptorImpl descriptor =
                    Jenkins.get().getDescriptorByType(AzureBlobTrigger.DescriptorImpl.class);
            if (descriptor != null) {
                descriptor.polls.forget((Job<?, ?>) item);
            }
            AzureBlobTriggerHealthMonitor.get().forget((Job<?, ?>) item);
        }
    }
}
