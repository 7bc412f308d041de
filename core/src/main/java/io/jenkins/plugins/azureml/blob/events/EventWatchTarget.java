package io.jenkins.plugins.azureml.blob.events;

import com.azure.storage.blob.BlobContainerClient;
import io.jenkins.plugins.azureml.blob.BlobPollCycle;
import io.jenkins.plugins.azureml.blob.BlobWatch;
import io.jenkins.plugins.azureml.blob.ChangeScheduler;
import io.jenkins.plugins.azureml.blob.WatchStateStore;

import java.util.Objects;

/**
 * One job listening to a queue: its watch, the container client to check an event's blob with, its state file (the
 * same one its reconciliation listing uses), how changes become builds and who schedules them.
 *
 * @param id names the job in reports (e.g. its full name)
 * @param watch what the job watches
 * @param client the watch's container, with the job's credential (needs blob read: Get Blob Properties)
 * @param store the job's state file
 * @param mode per blob or batch (one build per received batch)
 * @param scheduler starts the builds
 */
public record EventWatchTarget(String id, BlobWatch watch, BlobContainerClient client, WatchStateStore store,
        BlobPollCycle.Mode mode, ChangeScheduler scheduler) {
    public EventWatchTarget {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(watch, "watch");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Whether the event is about a blob this target's watch covers (account, container, prefix, patterns). */
    boolean covers(BlobEvent event) {
        if (!event.container().equals(watch.container()) || !event.name().startsWith(watch.prefix())) {
            return false;
        }
        if (!new EventAccount(watch.accountUrl(), watch.container()).covers(event)) {
            return false; // another account with a container of the same name
        }
        if (!watch.includeSubfolders() && event.name().indexOf('/', watch.prefix().length()) >= 0) {
            return false;
        }
        return watch.matches(event.name());
    }
}
