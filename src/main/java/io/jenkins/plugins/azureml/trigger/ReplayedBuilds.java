package io.jenkins.plugins.azureml.trigger;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import org.jenkinsci.plugins.workflow.cps.replay.ReplayCause;

/**
 * Follows Pipeline replays back to the build the trigger started: a replay (and Pipeline's "Rebuild", which is a
 * replay with the same script) copies only parameters and SCM revisions, not the trigger's action, but records the
 * build it replays. workflow-cps is an optional dependency: this class is loaded only from a Pipeline step, which
 * cannot run without it.
 */
final class ReplayedBuilds {
    /** Replays of replays are followed this far, then given up: a guard against a corrupt chain. */
    private static final int MAX_HOPS = 100;

    private ReplayedBuilds() {
    }

    /**
     * @param run a build
     * @return the build itself if the trigger started it, else the triggered build it replays (through replays of
     *     replays), else null
     */
    @CheckForNull
    static Run<?, ?> triggeredBuildOf(@NonNull Run<?, ?> run) {
        Run<?, ?> current = run;
        for (int hop = 0; current != null && hop <= MAX_HOPS; hop++) {
            if (current.getAction(AzureBlobEnvironmentAction.class) != null) {
                return current;
            }
            ReplayCause replay = current.getCause(ReplayCause.class);
            current = replay == null ? null : replay.getOriginal();
        }
        return null;
    }
}
