package io.jenkins.plugins.azureml.trigger;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.model.Action;
import hudson.model.EnvironmentContributingAction;
import hudson.model.InvisibleAction;
import hudson.model.Queue;
import hudson.model.Run;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Gives a blob-triggered build its {@code AZURE_BLOB_*} environment variables (computed by the engine) and keeps
 * the queue from merging builds of different changes.
 *
 * <p>Without a {@link Queue.QueueAction} the queue would fold this build into any queued build of the same job and
 * drop this action. Here two items merge only when they carry exactly the same changes (container, name, ETag),
 * i.e. the same change was scheduled twice.
 */
public final class AzureBlobEnvironmentAction extends InvisibleAction
        implements EnvironmentContributingAction, Queue.QueueAction {
    private final Map<String, String> variables;
    private final Set<AzureBlobTriggerCause> changes;

    /**
     * @param variables the variables to contribute, values exactly as they must arrive in the build
     * @param changes the changes this build is for
     */
    public AzureBlobEnvironmentAction(Map<String, String> variables, Collection<AzureBlobTriggerCause> changes) {
        this.variables = new TreeMap<>(variables);
        this.changes = new HashSet<>(changes);
    }

    /** The variables, unescaped. */
    public Map<String, String> getVariables() {
        return Collections.unmodifiableMap(variables);
    }

    @Override
    public void buildEnvironment(@NonNull Run<?, ?> run, @NonNull EnvVars env) {
        for (Map.Entry<String, String> e : variables.entrySet()) {
            // Jenkins expands $NAME in contributed values afterwards (EnvVars.resolve) and turns $$ into $:
            // doubling every $ makes a blob name arrive literally.
            env.put(e.getKey(), e.getValue().replace("$", "$$"));
        }
    }

    @Override
    public boolean shouldSchedule(List<Action> actions) {
        for (Action a : actions) {
            if (a instanceof AzureBlobEnvironmentAction && ((AzureBlobEnvironmentAction) a).changes.equals(changes)) {
                return false;
            }
        }
        return true;
    }
}
