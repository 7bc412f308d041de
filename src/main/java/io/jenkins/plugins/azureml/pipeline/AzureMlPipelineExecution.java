package io.jenkins.plugins.azureml.pipeline;

import com.google.common.util.concurrent.ListenableFuture;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.AzureMlClient;
import io.jenkins.plugins.azureml.client.AzureMlClientBuilder;
import io.jenkins.plugins.azureml.client.AzureMlException;
import io.jenkins.plugins.azureml.client.models.PipelineEndpoint;
import io.jenkins.plugins.azureml.client.models.PipelineRun;
import io.jenkins.plugins.azureml.client.models.PipelineSubmission;
import io.jenkins.plugins.azureml.client.models.RunReference;
import io.jenkins.plugins.azureml.run.MonitorDecision;
import io.jenkins.plugins.azureml.run.RunLogFollower;
import io.jenkins.plugins.azureml.run.RunMonitor;
import io.jenkins.plugins.azureml.run.RunOutcome;
import io.jenkins.plugins.azureml.run.RunProgress;
import io.jenkins.plugins.azureml.run.RunWaiter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.actions.LabelAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Submits off the CPS VM thread and waits with a chain of {@link Timer} polls that the engine's
 * {@link RunWaiter} schedules and {@link RunMonitor} decides: no executor and no thread are held between polls.
 * Serialized into program.dat with plain values only (no credential, no token): after a restart the client is
 * rebuilt from the credentials id and {@link #onResume()} continues from the saved {@link RunProgress}.
 */
public final class AzureMlPipelineExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(AzureMlPipelineExecution.class.getName());
    /** Run tags naming the build, so a run can be found from the build and the other way round. */
    static final String BUILD_TAG = PipelineSubmission.BUILD_TAG;
    static final String BUILD_URL_TAG = "jenkins-build-url";

    private final transient AzureMlPipelineStep step;
    private final String credentialsId;
    private final String endpoint;
    private final String experimentName;
    private final boolean waitForRun;
    private final boolean propagate;
    private final int timeoutMinutes;
    /** 'run', 'steps' or 'none'; null in executions saved before logs were followed (then 'run'). */
    private final String logs;
    private String buildTag;
    /** Saved before the submission is sent: a restart then must not submit again (see onResume). */
    private boolean submissionAttempted;
    private String runId;
    private String studioUrl;
    /** The engine's progress: run reference, absolute deadline, last reported status, poll delay. */
    private RunProgress progress;

    private transient volatile AzureMlClient client;
    /** Built with the client; null for logs: 'none'. */
    private transient volatile RunLogFollower logFollower;
    private transient RunWaiter.Wait waiting;
    private transient RunReference submitted;
    private transient Throwable stopCause;
    private transient boolean completed;

    AzureMlPipelineExecution(AzureMlPipelineStep step, StepContext context) {
        super(context);
        this.step = step;
        this.credentialsId = step.getCredentialsId();
        this.endpoint = step.getEndpoint();
        this.experimentName = step.getExperimentName();
        this.waitForRun = step.getWait();
        this.propagate = step.getPropagate();
        this.timeoutMinutes = step.getTimeout();
        this.logs = step.getLogs();
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        buildTag = run.getExternalizableId();
        PipelineEndpoint target;
        PipelineSubmission submission;
        try {
            target = step.parseEndpoint();
            submission = step.toSubmission(buildTags(run));
        } catch (InvalidFieldException e) {
            throw new AbortException(e.getMessage());
        }
        Timer.get().execute(() -> recordAttemptThenSubmit(target, submission));
        return false;
    }

    private static Map<String, String> buildTags(Run<?, ?> run) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(BUILD_TAG, run.getExternalizableId());
        String root = Jenkins.get().getRootUrl();
        if (root != null) {
            tags.put(BUILD_URL_TAG, root + run.getUrl());
        }
        return tags;
    }

    private void recordAttemptThenSubmit(PipelineEndpoint target, PipelineSubmission submission) {
        synchronized (this) {
            if (stopCause != null) {
                return; // aborted before anything was sent; stop() already failed the step
            }
            submissionAttempted = true;
        }
        ListenableFuture<Void> saved = getContext().saveState();
        saved.addListener(() -> {
            try {
                saved.get();
            } catch (InterruptedException | ExecutionException e) {
                fail(new AbortException("Did not submit the Azure ML run for experiment '" + experimentName
                        + "': the build's state could not be saved first (" + e.getMessage() + ")."));
                return;
            }
            submit(target, submission);
        }, Timer.get());
    }

    private void submit(PipelineEndpoint target, PipelineSubmission submission) {
        synchronized (this) {
            if (stopCause != null) {
                return; // aborted while the attempt was being saved: nothing was sent
            }
        }
        Connection connection = connect();
        if (connection == null) {
            return;
        }
        connection.client().submitAsync(target, submission).whenCompleteAsync((run, error) -> {
            if (error != null) {
                fail(error);
            } else {
                onSubmitted(run, connection.listener());
            }
        }, Timer.get());
    }

    private void onSubmitted(PipelineRun run, TaskListener listener) {
        RunMonitor monitor = new RunMonitor(StepServices.current.monitorSettings(), Clock.systemUTC());
        boolean aborted;
        synchronized (this) {
            runId = run.getRunId();
            studioUrl = run.getStudioUrl();
            submitted = run.reference();
            aborted = stopCause != null;
            if (!aborted && waitForRun) {
                waiting = new RunWaiter(client, monitor, Timer.get(), logFollower)
                        .await(run, timeoutMinutes == 0 ? null : Duration.ofMinutes(timeoutMinutes),
                                new ConsoleListener(listener));
                progress = waiting.progress(); // ready before the first poll: persist it now
                waiting.outcome().whenComplete(this::finish);
            }
        }
        getContext().saveState();
        labelStep(run.getRunId());
        AzureMlRunAction action = action();
        if (aborted) {
            // The build was aborted while the submission was under way: cancel what it created.
            client.cancelRunAsync(run.reference()).whenComplete((ok, error) -> LOGGER.log(Level.INFO,
                    "Canceled Azure ML run " + run.getRunId() + " of an aborted build", error));
        } else if (!waitForRun) {
            MonitorDecision first = monitor.start(run, null);
            first.getConsoleLines().forEach(listener.getLogger()::println);
            String status = first.getProgress().getLastReportedStatus();
            if (action != null) {
                action.finished(status);
            }
            Map<String, String> result = new LinkedHashMap<>();
            result.put("runId", run.getRunId());
            result.put("status", status);
            result.put("studioUrl", run.getStudioUrl());
            succeed(withStepArguments(result));
        }
    }

    private void finish(RunOutcome outcome, Throwable error) {
        if (error != null) {
            fail(error);
            return;
        }
        synchronized (this) {
            if (stopCause != null || outcome.getResult() == RunOutcome.Result.ABORTED) {
                return; // stop() fails the step once the cancel was answered
            }
        }
        AzureMlRunAction action = action();
        if (action != null) {
            action.finished(outcome.getStatus(),
                    outcome.getResult() == RunOutcome.Result.SUCCEEDED ? null : outcome.getSummary());
            if (outcome.getResult() == RunOutcome.Result.FAILED) {
                recordFailedSteps(action);
            }
        }
        // The engine prints a success; anything else is reported once: as the step's error, or as a line.
        if (outcome.failsStep(propagate)) {
            fail(new AbortException(outcome.getSummary()));
        } else {
            if (outcome.getResult() != RunOutcome.Result.SUCCEEDED) {
                console(outcome.getSummary());
            }
            succeed(withStepArguments(outcome.toMap()));
        }
    }

    private Map<String, String> withStepArguments(Map<String, String> outcome) {
        Map<String, String> result = new LinkedHashMap<>(outcome);
        result.put("experimentName", experimentName);
        result.put("endpoint", endpoint);
        return result;
    }

    @Override
    public void stop(@NonNull Throwable cause) {
        RunWaiter.Wait w;
        RunReference toCancel;
        synchronized (this) {
            stopCause = cause;
            w = waiting;
            toCancel = submitted != null ? submitted : progress != null ? progress.getRun() : null;
        }
        if (toCancel == null) {
            fail(cause); // nothing submitted yet; a submission still under way is canceled when answered
            return;
        }
        RunReference run = toCancel;
        Timer.get().execute(() -> {
            CompletableFuture<Void> cancel;
            try {
                cancel = w != null && w.progress() != null ? w.abort() : client().cancelRunAsync(run);
            } catch (IOException | InterruptedException | RuntimeException e) {
                cancel = CompletableFuture.failedFuture(e);
            }
            cancel.whenComplete((ok, error) -> {
                if (error != null) {
                    console("Could not cancel Azure ML run " + run.getRunId() + ": " + unwrap(error).getMessage());
                }
                fail(cause);
            });
        });
    }

    @Override
    public void onResume() {
        RunProgress p;
        String acceptedRunId;
        String acceptedStudioUrl;
        boolean attempted;
        synchronized (this) {
            p = progress;
            acceptedRunId = runId;
            acceptedStudioUrl = studioUrl;
            attempted = submissionAttempted;
        }
        if (p != null) {
            Timer.get().execute(() -> resumeWaiting(p));
        } else if (acceptedRunId != null) {
            fail(new AbortException("Jenkins restarted just after Azure ML accepted run " + acceptedRunId
                    + " of experiment '" + experimentName + "', before waiting began; follow it at "
                    + acceptedStudioUrl));
        } else if (attempted) {
            fail(new AbortException("Jenkins restarted while submitting the Azure ML run for experiment '"
                    + experimentName + "'. It was not submitted again, to avoid a duplicate. Look in Azure ML"
                    + " studio, experiment '" + experimentName + "', for a run tagged " + BUILD_TAG + "="
                    + buildTag + "; run the build again if there is none."));
        } else {
            fail(new AbortException("Jenkins restarted before the Azure ML run for experiment '"
                    + experimentName + "' was submitted; nothing was submitted. Run the build again."));
        }
    }

    private void resumeWaiting(RunProgress p) {
        Connection connection = connect();
        if (connection == null) {
            return;
        }
        TaskListener listener = connection.listener();
        AzureMlClient c = connection.client();
        synchronized (this) {
            if (stopCause != null) {
                return;
            }
            listener.getLogger().println("Resuming the wait for Azure ML run " + runId + " after a restart.");
            RunMonitor monitor = new RunMonitor(StepServices.current.monitorSettings(), Clock.systemUTC());
            waiting = new RunWaiter(c, monitor, Timer.get(), logFollower).resume(p, new ConsoleListener(listener));
            waiting.outcome().whenComplete(this::finish);
        }
    }

    @Override
    public synchronized String getStatus() {
        if (runId == null) {
            return submissionAttempted ? "submitting an Azure ML run" : "preparing an Azure ML run";
        }
        String status = progress == null ? null : progress.getLastReportedStatus();
        return "waiting for Azure ML run " + runId + (status == null ? "" : " (" + status + ")");
    }

    /** The console and a client; null after failing the step when either cannot be had (e.g. a missing credential). */
    @CheckForNull
    private Connection connect() {
        try {
            return new Connection(getContext().get(TaskListener.class), client());
        } catch (IOException | InterruptedException | RuntimeException e) {
            fail(e);
            return null;
        }
    }

    private record Connection(TaskListener listener, AzureMlClient client) {
    }

    private AzureMlClient client() throws IOException, InterruptedException {
        AzureMlClient c = client;
        if (c == null) {
            AzureMlClientBuilder builder = ExecutionClients.builder(credentialsId, getContext().get(Run.class));
            logFollower = ExecutionClients.logFollower(builder, logs);
            c = builder.buildClient();
            client = c;
        }
        return c;
    }

    /** The run page names the steps that failed; read once, after the failure, without delaying the step. */
    private void recordFailedSteps(AzureMlRunAction action) {
        RunProgress p;
        synchronized (this) {
            p = progress;
        }
        if (p == null) {
            return;
        }
        try {
            FailedSteps.recordOn(action, ExecutionClients.builder(credentialsId, getContext().get(Run.class)),
                    p.getRun());
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOGGER.log(Level.FINE, "Could not look up the failed steps of Azure ML run " + p.getRun().getRunId(), e);
        }
    }

    /** Pipeline Steps and stage views show "triggerAzureMlPipeline (Azure ML run …)" once the run id is known. */
    private void labelStep(String id) {
        try {
            FlowNode node = getContext().get(FlowNode.class);
            if (node != null && node.getPersistentAction(LabelAction.class) == null) {
                node.addAction(new LabelAction("Azure ML run " + id));
            }
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.FINE, "Could not label the step of Azure ML run " + id, e);
        }
    }

    @CheckForNull
    private AzureMlRunAction action() {
        String id;
        String link;
        synchronized (this) {
            id = runId;
            link = studioUrl;
        }
        try {
            return AzureMlRunAction.getOrAdd(getContext().get(Run.class), id, experimentName, link);
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.WARNING, "Could not record Azure ML run " + id + " on the build", e);
            return null;
        }
    }

    private void console(String line) {
        try {
            getContext().get(TaskListener.class).getLogger().println(line);
        } catch (IOException | InterruptedException e) {
            LOGGER.log(Level.INFO, line, e);
        }
    }

    private void succeed(Map<String, String> result) {
        if (completeOnce()) {
            getContext().onSuccess(result);
        }
    }

    /** Fails once; service and input errors without a stack trace (their messages say what to do). */
    private void fail(Throwable error) {
        Throwable cause = unwrap(error);
        Throwable reported = cause instanceof AzureMlException || cause instanceof InvalidFieldException
                ? new AbortException(cause.getMessage()) : cause;
        if (completeOnce()) {
            getContext().onFailure(reported);
        }
    }

    private synchronized boolean completeOnce() {
        boolean first = !completed;
        completed = true;
        return first;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** Prints the engine's lines and persists its progress after every poll. */
    private final class ConsoleListener implements RunWaiter.Listener {
        private final TaskListener listener;

        ConsoleListener(TaskListener listener) {
            this.listener = listener;
        }

        @Override
        public void log(String line) {
            listener.getLogger().println(line);
        }

        @Override
        public void progressed(RunProgress next) {
            synchronized (AzureMlPipelineExecution.this) {
                progress = next;
            }
            AzureMlRunAction action = action();
            if (action != null) {
                action.updateProgress(next);
            }
            getContext().saveState();
        }
    }
}
