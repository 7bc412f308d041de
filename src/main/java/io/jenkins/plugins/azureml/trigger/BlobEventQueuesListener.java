package io.jenkins.plugins.azureml.trigger;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.listeners.ItemListener;
import jenkins.model.Jenkins;

/** Push mode: a deleted job leaves its queue's consumer, and no consumer outlives Jenkins. */
@Extension
public final class BlobEventQueuesListener extends ItemListener {
    @Override
    public void onDeleted(Item item) {
        BlobEventQueues queues = queues();
        if (queues != null && item instanceof Job) {
            queues.forget((Job<?, ?>) item);
        }
    }

    @Override
    public void onBeforeShutdown() {
        BlobEventQueues queues = queues();
        if (queues != null) {
            queues.closeAll();
        }
    }

    private static BlobEventQueues queues() {
        Jenkins j = Jenkins.getInstanceOrNull();
        AzureBlobTrigger.DescriptorImpl d = j == null ? null : j.getDescriptorByType(AzureBlobTrigger.DescriptorImpl.class);
        return d == null ? null : d.events;
    }
}
