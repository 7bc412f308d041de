package io.jenkins.plugins.azureml.trigger;

import static io.jenkins.plugins.azureml.trigger.BlobTriggerTestSupport.blobNames;
import static io.jenkins.plugins.azureml.trigger.BlobTriggerTestSupport.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

class AzureBlobTriggerRestartTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aRestartBetweenPollsFiresNothingTwice() throws Throwable {
        BlobContainerClient c = AZURITE.createContainer("restart");
        sessions.then(r -> {
            BlobTriggerTestSupport.setUp(r, AZURITE);
            WorkflowJob p = BlobTriggerTestSupport.pipelineJob(r, AZURITE, "p", c.getBlobContainerName(),
                    BlobTriggerMode.PER_BLOB);
            poll(r, p);
            TestBlobs.upload(c, "before-1.csv", "1");
            TestBlobs.upload(c, "before-2.csv", "2");
            poll(r, p);
            assertThat(blobNames(p)).containsExactlyInAnyOrder("before-1.csv", "before-2.csv");
        });
        sessions.then(r -> {
            WorkflowJob p = r.jenkins.getItemByFullName("p", WorkflowJob.class);
            poll(r, p);
            assertThat(p.getBuilds()).as("nothing re-fired after the restart").hasSize(2);
            TestBlobs.upload(c, "after.csv", "3");
            poll(r, p);
            assertThat(blobNames(p)).containsExactlyInAnyOrder("before-1.csv", "before-2.csv", "after.csv");
        });
    }
}
