package io.jenkins.plugins.azureml.trigger;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.model.Action;
import hudson.model.EnvironmentContributingAction;
import hudson.model.InvisibleAction;
import hudson.model.Queue;
import hudson.model.Run;
import io.jenkins.plugins.azureml.blob.BlobChangeEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;

/**
 * Gives a blob-triggered build its {@code AZURE_BLOB_*} environment variables (computed by the engine) and keeps
 * the queue from merging builds of different changes.
 *
 * <p>Without a {@link Queue.QueueAction} the queue would fold this build into any queued build of the same job and
 * drop this action. Here two items merge only when they carry exactly the same changes (container, name, ETag),
 * i.e. the same change was scheduled twice.
 *
 * <p>A batch build's manifest is written into the job directory while the build waits in the queue; when the build
 * starts this action moves it into the build's own directory, so it lives and goes with that build (a replay of an
 * old batch build still finds it, however many batches came since).
 */
public final class AzureBlobEnvironmentAction extends InvisibleAction
        implements EnvironmentContributingAction, Queue.QueueAction, RunAction2 {
    private static final Logger LOGGER = Logger.getLogger(AzureBlobEnvironmentAction.class.getName());
    /** The batch manifest's name in the build directory. */
    static final String MANIFEST_FILE = "azure-blob-manifest.json";

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

    /** The variables as scheduled, unescaped; a batch's manifest path is the queued copy's. */
    public Map<String, String> getVariables() {
        return Collections.unmodifiableMap(variables);
    }

    /**
     * @param run the build this action belongs to
     * @return the variables as that build sees them: a batch's manifest is the build's own copy once it has one
     */
    public Map<String, String> variablesOf(@NonNull Run<?, ?> run) {
        if (!variables.containsKey(BlobChangeEnvironment.MANIFEST)) {
            return getVariables();
        }
        Path own = ownManifest(run);
        if (!Files.exists(own)) {
            return getVariables();
        }
        Map<String, String> of = new TreeMap<>(variables);
        of.put(BlobChangeEnvironment.MANIFEST, own.toString());
        return Collections.unmodifiableMap(of);
    }

    private static Path ownManifest(Run<?, ?> run) {
        return run.getRootDir().toPath().resolve(MANIFEST_FILE);
    }

    /** Moves the queued batch manifest into the build directory; nothing to do for a per-blob build. */
    @Override
    public void onAttached(Run<?, ?> run) {
        String queued = variables.get(BlobChangeEnvironment.MANIFEST);
        if (queued == null) {
            return;
        }
        Path own = ownManifest(run);
        try {
            Files.createDirectories(run.getRootDir().toPath());
            Files.move(Path.of(queued), own, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            LOGGER.log(Level.FINE, "Batch manifest {0} already moved", queued);
        } catch (IOException e) {
            // The build still reads the queued copy, until the job's pruning of old manifests removes it.
            LOGGER.log(Level.WARNING, "Could not move batch manifest " + queued + " into " + run, e);
        }
    }

    @Override
    public void onLoad(Run<?, ?> run) {
        // nothing to restore: the manifest's place is derived from the build
    }

    @Override
    public void buildEnvironment(@NonNull Run<?, ?> run, @NonNull EnvVars env) {
        for (Map.Entry<String, String> e : variablesOf(run).entrySet()) {
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
