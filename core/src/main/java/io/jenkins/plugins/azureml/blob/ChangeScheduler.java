package io.jenkins.plugins.azureml.blob;

import java.util.List;
import java.util.Map;

/**
 * Starts builds for changes; supplied by the trigger glue (it schedules a Jenkins build with a cause and an action
 * carrying the environment). {@link BlobPollCycle} calls it once per change in per-blob mode and once per poll in
 * batch mode, and saves the new state only when every call returned normally.
 */
@FunctionalInterface
public interface ChangeScheduler {
    /**
     * @param changes the change (per-blob mode) or all changes of the poll (batch mode), oldest first
     * @param environment the build's variables from {@link BlobChangeEnvironment}
     * @throws Exception if the build could not be scheduled; the state is then not advanced and the next poll
     *     reports the same changes again (the glue de-duplicates what it already queued)
     */
    void schedule(List<BlobChange> changes, Map<String, String> environment) throws Exception;
}
