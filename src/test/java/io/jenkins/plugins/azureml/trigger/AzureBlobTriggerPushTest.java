package io.jenkins.plugins.azureml.trigger;

import static io.jenkins.plugins.azureml.trigger.BlobTriggerTestSupport.blobNames;
import static io.jenkins.plugins.azureml.trigger.BlobTriggerTestSupport.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.queue.QueueClient;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.TaskListener;
import hudson.util.Secret;
import io.jenkins.plugins.azureml.blob.events.EventGridFixture;
import io.jenkins.plugins.azureml.blob.log.PollEntry;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.AzuriteQueueExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jenkins.model.ParameterizedJobMixIn;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** Push mode end to end: Azurite's queue feeds a Pipeline job; a restart in between loses and repeats nothing. */
class AzureBlobTriggerPushTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @RegisterExtension
    static final AzuriteQueueExtension QUEUES = new AzuriteQueueExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void eventsBuildOncePerBlobAndARestartLosesNothing() throws Throwable {
        BlobContainerClient c = AZURITE.createContainer("push");
        QueueClient queue = QUEUES.queue("jenkins-push", null);
        queue.create();
        String queueUrl = QUEUES.queueEndpoint() + "/jenkins-push";
        sessions.then(r -> {
            r.jenkins.setQuietPeriod(0);
            SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                    CredentialsScope.GLOBAL, BlobTriggerTestSupport.CREDENTIALS_ID, "Azurite blob and queue",
                    Secret.fromString(AZURITE.connectionString() + "QueueEndpoint=" + QUEUES.queueEndpoint() + ";")));
            SystemCredentialsProvider.getInstance().save();
            WorkflowJob p = r.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition(BlobTriggerTestSupport.SCRIPT, true));
            AzureBlobTrigger t = new AzureBlobTrigger("H H 1 1 *", BlobTriggerTestSupport.CREDENTIALS_ID,
                    AZURITE.blobEndpoint(), c.getBlobContainerName());
            t.setEventQueueUrl(queueUrl);
            p.addTrigger(t);
            poll(r, p); // the baseline listing
            assertThat(r.jenkins.getDescriptorByType(AzureBlobTrigger.DescriptorImpl.class).events
                    .isConsuming(queueUrl)).as("a consumer runs for the queue").isTrue();
            announce(c, queue, "a.csv", EventGridFixture.Format.EVENT_GRID_BASE64, 2);
            announce(c, queue, "b.csv", EventGridFixture.Format.CLOUD_EVENTS_PLAIN, 2);
            awaitBuilds(r, p, 2, Duration.ofSeconds(60));
            assertThat(blobNames(p)).containsExactlyInAnyOrder("a.csv", "b.csv");
            announce(c, queue, "c.csv", EventGridFixture.Format.EVENT_GRID_PLAIN, 1); // around the restart
        });
        sessions.then(r -> {
            WorkflowJob p = r.jenkins.getItemByFullName("p", WorkflowJob.class);
            // c's message may have been received when Jenkins stopped: then it comes back after its visibility timeout.
            awaitBuilds(r, p, 3, Duration.ofSeconds(150));
            TestBlobs.upload(c, "d.csv", "its event is lost");
            poll(r, p); // the reconciliation fires it
            assertThat(blobNames(p)).containsExactlyInAnyOrder("a.csv", "b.csv", "c.csv", "d.csv");
            // How many messages one receive returns is Azurite's choice: count fired and duplicate events across
            // the entries, not per entry. Each blob fired once; each second copy (and c's message, if the restart
            // cut its handling short) was a duplicate.
            int fired = 0;
            int duplicates = 0;
            for (PollEntry e : BlobTriggerPoll.history(p).read().entries()) {
                if (e.kind() == PollEntry.Kind.EVENTS) {
                    fired += e.changeCount();
                    duplicates += e.notes().stream().mapToInt(AzureBlobTriggerPushTest::duplicateCount).sum();
                }
            }
            assertThat(fired).as("events fired, over all entries").isEqualTo(3);
            assertThat(duplicates).as("duplicate events, over all entries").isGreaterThanOrEqualTo(2);
            assertThat(ParameterizedJobMixIn.getTrigger(p, AzureBlobTrigger.class).getProjectActions())
                    .singleElement().satisfies(a -> assertThat(((AzureBlobPollingLogAction) a).getLog())
                            .contains("Reconciled: 1 change(s)"))
                    .satisfies(a -> assertThat(((AzureBlobPollingLogAction) a).getView().getSummary()
                            .getPushMode())
                            .contains("built 1 blob that no event had announced, 1 of them in the last listing."));
            JenkinsRule.WebClient wc = r.createWebClient();
            WorkflowRun byEvent = p.getBuildByNumber(1);
            assertThat(wc.getPage(byEvent).asNormalizedText()).as("the page of a build an event started")
                    .contains("Started by Azure Blob change", c.getBlobContainerName() + "/"
                            + byEvent.getEnvironment(TaskListener.NULL).get("AZURE_BLOB_NAME"));
            HtmlPage logPage = wc.getPage(p, "azureBlobPollLog/");
            assertThat(logPage.getElementById("azure-blob-push-mode")).as("push mode on the polling log page")
                    .isNotNull();
            assertThat(logPage.getElementById("azure-blob-polls").asNormalizedText()).contains("Events: fired",
                    "a.csv", "b.csv", "c.csv", "d.csv");
            assertThat(wc.getPage(p).getElementById("azure-blob-push-mode").getAttribute("class"))
                    .as("the same alert box as the failing-trigger warning").contains("jenkins-alert-warning");
            assertThat(wc.getPage(p).getWebResponse().getContentAsString())
                    .as("the count a broken subscription shows, on the job page")
                    .contains("azure-blob-push-mode", "built 1 blob that no event had announced", "troubleshooting");
        });
    }

    private static String pollingLog(WorkflowJob p) {
        try {
            return new AzureBlobPollingLogAction(p).getLog();
        } catch (java.io.IOException e) {
            return "unreadable: " + e;
        }
    }

    /** N of "Events: fired 2, duplicate N", or 0. */
    private static int duplicateCount(String note) {
        Matcher m = Pattern.compile("^Events:.*\\bduplicate (\\d+)").matcher(note);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static void announce(BlobContainerClient c, QueueClient queue, String name,
            EventGridFixture.Format format, int copies) {
        String etag = TestBlobs.upload(c, name, "content of " + name);
        for (int i = 0; i < copies; i++) {
            EventGridFixture.send(queue, EventGridFixture.message(format, c.getBlobClient(name).getBlobUrl(),
                    c.getBlobContainerName(), name, etag, ("content of " + name).length(), "PutBlob"));
        }
    }

    /** Waits (with a deadline) until the job has that many builds and none is running. */
    private static void awaitBuilds(JenkinsRule r, WorkflowJob p, int count, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (p.getBuilds().size() < count) {
            assertThat(System.nanoTime()).as(() -> count + " builds within " + within + "; builds " + p.getBuilds()
                    + ", queue " + java.util.Arrays.toString(r.jenkins.getQueue().getItems()) + ", polling log:\n"
                    + pollingLog(p)).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // re-check interval, not a synchronisation
        }
        r.waitUntilNoActivity();
        assertThat(p.getBuilds()).hasSize(count);
    }
}
