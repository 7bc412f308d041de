package io.jenkins.plugins.azureml.trigger;

import static io.jenkins.plugins.azureml.trigger.BlobTriggerTestSupport.pipelineJob;
import static io.jenkins.plugins.azureml.trigger.BlobTriggerTestSupport.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.util.Secret;
import io.jenkins.plugins.azureml.blob.log.PollingLogView;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTable;
import org.htmlunit.html.HtmlTableRow;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** What a user reads: the polling log page, the build's cause, the job page and Manage Jenkins while polls fail. */
@WithJenkins
class AzureBlobPollingLogPageTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @Test
    void thePollingLogIsNewestFirstWithASummaryAndLinksToTheBuilds(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        BlobContainerClient c = AZURITE.createContainer("logpage");
        WorkflowJob p = pipelineJob(r, AZURITE, "p", c.getBlobContainerName(), BlobTriggerMode.PER_BLOB);
        // A log written by an earlier version (plain text, entries separated by a record separator line).
        Files.writeString(new BlobTriggerJobFiles(p).legacyPollingLog(), "Polling http://old/c/ at "
                + "2026-11-30T10:00:00.123456789Z\nNo changes.\nDone in 3 ms; state saved (window of 0 entries).\n"
                + "\u001E\n", StandardCharsets.UTF_8);
        poll(r, p);
        TestBlobs.upload(c, "first.csv", "1");
        poll(r, p);
        poll(r, p);
        poll(r, p);
        TestBlobs.upload(c, "second.csv", "22");
        poll(r, p);
        assertThat(p.getBuilds()).hasSize(2);

        JenkinsRule.WebClient wc = r.createWebClient();
        HtmlPage page = wc.getPage(p, "azureBlobPollLog/");
        HtmlTable polls = (HtmlTable) page.getElementById("azure-blob-polls");
        List<HtmlTableRow> rows = polls.getBodies().get(0).getRows();
        assertThat(rows).extracting(row -> row.getAttribute("class")).containsExactly("azure-blob-poll-changes",
                "azure-blob-poll-quiet", "azure-blob-poll-changes", "azure-blob-poll-baseline");
        assertThat(rows.get(0).asNormalizedText()).contains("second.csv", "2 bytes", "build #2");
        assertThat(rows.get(1).asNormalizedText()).contains("No changes in 2 polls");
        assertThat(rows.get(2).asNormalizedText()).contains("first.csv", "build #1");
        assertThat(rows.get(0).getElementsByTagName("a")).extracting(a -> ((HtmlAnchor) a).getHrefAttribute())
                .anyMatch(href -> href.endsWith("/job/p/2/"));

        String summary = page.getElementById("azure-blob-poll-summary").asNormalizedText();
        assertThat(page.getElementById("azure-blob-poll-summary").getByXPath(".//code[text()='second.csv']"))
                .as("the last change's blob set apart as code").hasSize(1);
        assertThat(summary).as("no model-link chevron between the build and its comma").contains("#2, scheduled by");
        assertThat(summary).contains("Last poll", "Last change", "second.csv", "Last build started", "#2",
                "Last error", "none in the log", "Next poll").doesNotContain("not scheduled");
        assertThat(summary).as("the yearly schedule 'H H 1 1 *' polls next on January 1st").contains("-01-01 ");
        assertThat(page.getElementById("azure-blob-poll-health")).isNull();

        assertThat(page.asNormalizedText()).contains("Polls logged by an earlier version of the plugin");
        String raw = wc.goTo("job/p/azureBlobPollLog/raw", "text/plain").getWebResponse().getContentAsString();
        assertThat(raw).contains("Polling http://old/c/", "first.csv", "second.csv", "Scheduled a build for");
        assertThat(raw.lastIndexOf("Scheduled a build for")).isLessThan(raw.lastIndexOf("Done in"));
    }

    @Test
    void theBuildsCauseLinksTheBlobAndThePollThatFoundIt(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        BlobContainerClient c = AZURITE.createContainer("causelink");
        WorkflowJob p = pipelineJob(r, AZURITE, "p", c.getBlobContainerName(), BlobTriggerMode.PER_BLOB);
        poll(r, p);
        TestBlobs.upload(c, "in/data.csv", "12345");
        poll(r, p);
        WorkflowRun b = p.getLastBuild();
        assertThat(b).isNotNull();
        AzureBlobTriggerCause cause = b.getCause(AzureBlobTriggerCause.class);
        assertThat(cause.getSize()).isEqualTo(5L);
        // One form everywhere, the readable one (as AZURE_BLOB_URL and the portal): '/' kept, not the SDK's %2F.
        String readableUrl = c.getBlobContainerUrl() + "/in/data.csv";
        assertThat(cause.getUrl()).isEqualTo(readableUrl)
                .isEqualTo(b.getEnvironment(hudson.model.TaskListener.NULL).get("AZURE_BLOB_URL"));
        String anchor = PollingLogView.changeAnchor(cause.getContainer(), cause.getBlobName(), cause.getEtag());
        assertThat(cause.getPollingLogUrl()).isEqualTo("job/p/azureBlobPollLog/#" + anchor);

        JenkinsRule.WebClient wc = r.createWebClient();
        HtmlPage buildPage = wc.getPage(b);
        assertThat(buildPage.asNormalizedText()).contains("Started by Azure Blob change", "in/data.csv",
                "ETag " + cause.getEtag(), "5 bytes");
        List<String> hrefs = buildPage.getAnchors().stream().map(HtmlAnchor::getHrefAttribute).toList();
        assertThat(hrefs).as("the blob's plain URL answers 403 for a private container: not linked")
                .doesNotContain(readableUrl).anyMatch(h -> h.endsWith("job/p/azureBlobPollLog/#" + anchor));
        assertThat(buildPage.getByXPath("//code[text()='" + c.getBlobContainerName() + "/in/data.csv']"))
                .as("the blob set apart as code").hasSize(1);

        HtmlPage logPage = wc.getPage(p, "azureBlobPollLog/");
        DomElement row = logPage.getElementById(anchor);
        assertThat(row).isNotNull();
        assertThat(row.asNormalizedText()).contains("in/data.csv", "build #1");
    }

    @Test
    void theJobPageWarnsWhilePollsFailAndNotAfterAGoodOne(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        BlobContainerClient c = AZURITE.createContainer("failing");
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(BlobTriggerTestSupport.SCRIPT, true));
        p.addTrigger(new AzureBlobTrigger("H H 1 1 *", "late", AZURITE.blobEndpoint(), c.getBlobContainerName()));
        JenkinsRule.WebClient wc = r.createWebClient();
        assertThat(wc.getPage(p).getElementById("azure-blob-trigger-failing")).as("before any poll").isNull();

        poll(r, p);
        DomElement warning = wc.getPage(p).getElementById("azure-blob-trigger-failing");
        assertThat(warning).as("after a failed poll").isNotNull();
        assertThat(warning.asNormalizedText()).contains("The last Azure Blob poll failed",
                "Check the trigger's Credentials (credentialsId): could not find credentials 'late'",
                "See the polling log").doesNotContain(": credentialsId:");
        assertThat(AzureBlobTriggerHealthMonitor.get().isActivated()).as("one failure is not yet for the admin")
                .isFalse();

        poll(r, p);
        poll(r, p);
        assertThat(wc.getPage(p).getElementById("azure-blob-trigger-failing").asNormalizedText())
                .contains("The last 3 Azure Blob polls failed, since");
        AzureBlobTriggerHealthMonitor monitor = AzureBlobTriggerHealthMonitor.get();
        assertThat(monitor.isActivated()).isTrue();
        assertThat(monitor.getFailingJobs()).extracting(f -> f.getJob().getFullName()).containsExactly("p");
        HtmlPage manage = wc.goTo("manage/");
        assertThat(manage.asNormalizedText()).contains("Azure Blob polling keeps failing", "p",
                "Check the trigger's Credentials (credentialsId)");
        // Dismiss, as core's monitors offer: hidden until enabled again; the job page keeps its warning.
        r.submit(manage.getFormByName(monitor.id), "no");
        assertThat(monitor.isEnabled()).isFalse();
        assertThat(wc.goTo("manage/").asNormalizedText()).doesNotContain("Azure Blob polling keeps failing");
        assertThat(wc.getPage(p).getElementById("azure-blob-trigger-failing")).isNotNull();
        monitor.disable(false);

        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "late", "Azurite", Secret.fromString(AZURITE.connectionString())));
        SystemCredentialsProvider.getInstance().save();
        poll(r, p);
        assertThat(wc.getPage(p).getElementById("azure-blob-trigger-failing")).as("after a good poll").isNull();
        assertThat(monitor.isActivated()).isFalse();
        HtmlPage log = wc.getPage(p, "azureBlobPollLog/");
        assertThat(log.getElementById("azure-blob-poll-summary").asNormalizedText())
                .contains("Check the trigger's Credentials (credentialsId): could not find credentials 'late'");
    }
}
