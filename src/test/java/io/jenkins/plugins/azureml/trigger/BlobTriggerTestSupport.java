package io.jenkins.plugins.azureml.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Job;
import hudson.model.TaskListener;
import hudson.util.Secret;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jenkins.model.ParameterizedJobMixIn;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jvnet.hudson.test.JenkinsRule;

/** Shared set-up of the trigger tests: an Azurite credential, a Pipeline job with the trigger, one poll. */
public final class BlobTriggerTestSupport {
    static final String CREDENTIALS_ID = "storage";
    /** Prints the blob name as the build sees it, between brackets, and each change azureBlobChanges() returns. */
    static final String SCRIPT = "echo('NAME=[' + env.AZURE_BLOB_NAME + ']')\necho('COUNT=[' + env.AZURE_BLOB_COUNT + ']')\n"
            + "for (def blob : azureBlobChanges()) { echo('CHANGE=[' + blob.name + '|' + blob.size + ']') }";

    private BlobTriggerTestSupport() {
    }

    /** Stores a Secret text with Azurite's connection string and makes builds start at once. */
    static void setUp(JenkinsRule r, AzuriteExtension azurite) throws Exception {
        r.jenkins.setQuietPeriod(0);
        storeConnectionString(CREDENTIALS_ID, azurite);
    }

    /** Stores a Secret text "id" with Azurite's connection string, as an administrator would. */
    public static void storeConnectionString(String id, AzuriteExtension azurite) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, id, "Azurite", Secret.fromString(azurite.connectionString())));
        SystemCredentialsProvider.getInstance().save();
    }

    /** A Pipeline job "name" with the trigger on the container. */
    static WorkflowJob pipelineJob(JenkinsRule r, AzuriteExtension azurite, String name, String container,
            BlobTriggerMode mode) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(SCRIPT, true));
        // Once a year: tests drive the polls themselves, a cron tick must not race them.
        AzureBlobTrigger t = new AzureBlobTrigger("H H 1 1 *", CREDENTIALS_ID, azurite.blobEndpoint(), container);
        t.setMode(mode);
        p.addTrigger(t);
        return p;
    }

    /**
     * Runs one poll as a cron tick would, waits for it (with a deadline) and for the builds it queued. Where the job
     * has a real schedule, a tick's poll may be running: the poll is submitted once that one ends.
     */
    public static void poll(JenkinsRule r, Job<?, ?> p) throws Exception {
        AzureBlobTrigger t = ParameterizedJobMixIn.getTrigger(p, AzureBlobTrigger.class);
        assertThat(t).as("trigger on " + p.getFullName()).isNotNull();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Future<?> poll = t.submitPoll();
        while (poll == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            poll = t.submitPoll();
        }
        assertThat(poll).as("a poll was submitted").isNotNull();
        poll.get(60, TimeUnit.SECONDS);
        r.waitUntilNoActivity();
    }

    /** AZURE_BLOB_NAME of every build, oldest first. */
    static List<String> blobNames(WorkflowJob p) throws Exception {
        List<String> names = new ArrayList<>();
        for (WorkflowRun b : p.getBuilds()) {
            names.add(0, b.getEnvironment(TaskListener.NULL).get("AZURE_BLOB_NAME"));
        }
        return names;
    }
}
