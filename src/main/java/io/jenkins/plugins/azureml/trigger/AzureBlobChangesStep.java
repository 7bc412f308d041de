package io.jenkins.plugins.azureml.trigger;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import io.jenkins.plugins.azureml.blob.BlobChange;
import io.jenkins.plugins.azureml.blob.BlobChangeEnvironment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code azureBlobChanges()}: the blobs this build was started for, as a list of maps ({@code container, name, url,
 * etag, lastModified, size, contentType}), one per blob in per-blob mode, all of them in batch mode. It reads on the
 * controller, so a batch build on an agent gets the manifest without reading a controller file. A replay (or the
 * Pipeline "Rebuild") of a triggered build returns the changes of the build it replays.
 */
public final class AzureBlobChangesStep extends Step {
    @DataBoundConstructor
    public AzureBlobChangesStep() {
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context);
    }

    /** Reads the build's manifest file off the CPS VM thread: a batch manifest can be large. */
    private static final class Execution extends SynchronousNonBlockingStepExecution<List<Map<String, String>>> {
        private static final long serialVersionUID = 1L;

        Execution(StepContext context) {
            super(context);
        }

        @Override
        protected List<Map<String, String>> run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            Run<?, ?> triggered = ReplayedBuilds.triggeredBuildOf(run);
            AzureBlobEnvironmentAction action =
                    triggered == null ? null : triggered.getAction(AzureBlobEnvironmentAction.class);
            if (action == null) {
                throw new AbortException("azureBlobChanges: this build was not started by the azureBlob trigger (nor"
                        + " is it a replay of one), so there are no blob changes to return");
            }
            List<BlobChange> changes;
            try {
                changes = BlobChangeEnvironment.changesOfBuild(action.variablesOf(triggered));
            } catch (IOException | IllegalArgumentException e) {
                throw new AbortException("azureBlobChanges: cannot read the changes of " + triggered.getFullDisplayName()
                        + ": " + e.getMessage());
            }
            List<Map<String, String>> result = new ArrayList<>();
            for (BlobChange change : changes) {
                result.add(new LinkedHashMap<>(BlobChangeEnvironment.describe(change)));
            }
            return result;
        }
    }

    /** Registers {@code azureBlobChanges}. */
    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "azureBlobChanges";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "The Azure blob changes that started this build";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class);
        }
    }
}
