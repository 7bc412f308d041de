package io.jenkins.plugins.azureml.trigger;

import static io.jenkins.plugins.azureml.trigger.BlobTriggerTestSupport.CREDENTIALS_ID;
import static io.jenkins.plugins.azureml.trigger.BlobTriggerTestSupport.blobNames;
import static io.jenkins.plugins.azureml.trigger.BlobTriggerTestSupport.pipelineJob;
import static io.jenkins.plugins.azureml.trigger.BlobTriggerTestSupport.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.jenkins.plugins.azureml.blob.StartPosition;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jenkins.model.Jenkins;
import jenkins.model.ParameterizedJobMixIn;
import org.htmlunit.HttpMethod;
import org.htmlunit.html.HtmlCheckBoxInput;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.replay.ReplayAction;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class AzureBlobTriggerTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static final String ODD_NAME = "odd $HOME ${JOB_NAME} $$ \"double\" 'single' `tick`.csv";

    @Test
    void perBlobModeBuildsOncePerNewBlobWithItsNameIntact(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        BlobContainerClient c = AZURITE.createContainer("perblob");
        TestBlobs.upload(c, "existing.csv", "old");
        WorkflowJob p = pipelineJob(r, AZURITE, "p", c.getBlobContainerName(), BlobTriggerMode.PER_BLOB);

        poll(r, p);
        assertThat(p.getBuilds()).as("the first poll records a baseline").isEmpty();

        TestBlobs.upload(c, "a.csv", "1");
        TestBlobs.upload(c, "sub/b.csv", "2");
        TestBlobs.upload(c, ODD_NAME, "3");
        poll(r, p);
        assertThat(blobNames(p)).containsExactlyInAnyOrder("a.csv", "sub/b.csv", ODD_NAME);
        for (WorkflowRun b : p.getBuilds()) {
            r.assertBuildStatusSuccess(b);
            String name = b.getEnvironment(TaskListener.NULL).get("AZURE_BLOB_NAME");
            r.assertLogContains("NAME=[" + name + "]", b);
            r.assertLogContains("CHANGE=[" + name + "|", b);
            assertThat(b.getCause(AzureBlobTriggerCause.class).getShortDescription())
                    .isEqualTo("Started by Azure Blob change: " + c.getBlobContainerName() + "/" + name);
        }

        poll(r, p);
        assertThat(p.getBuilds()).as("no new blob, no build").hasSize(3);
        String log = new AzureBlobPollingLogAction(p).getLog();
        assertThat(log).contains("a.csv", "sub/b.csv", ODD_NAME, "Scheduled a build for");
    }

    @Test
    void batchModeBuildsOnceWithAManifestOfAllNewBlobs(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        BlobContainerClient c = AZURITE.createContainer("batch");
        WorkflowJob p = pipelineJob(r, AZURITE, "p", c.getBlobContainerName(), BlobTriggerMode.BATCH);
        poll(r, p);
        TestBlobs.upload(c, "x.csv", "1");
        TestBlobs.upload(c, "y.csv", "2");
        poll(r, p);

        assertThat(p.getBuilds()).hasSize(1);
        WorkflowRun b = p.getLastBuild();
        r.assertBuildStatusSuccess(b);
        r.assertLogContains("COUNT=[2]", b);
        r.assertLogContains("CHANGE=[x.csv|1]", b);
        r.assertLogContains("CHANGE=[y.csv|1]", b);
        String manifest = b.getEnvironment(TaskListener.NULL).get("AZURE_BLOB_MANIFEST");
        assertThat(Path.of(manifest)).as("the manifest lives with its build")
                .isEqualTo(b.getRootDir().toPath().resolve(AzureBlobEnvironmentAction.MANIFEST_FILE));
        assertThat(Files.readString(Path.of(manifest), StandardCharsets.UTF_8)).contains("x.csv", "y.csv");
        try (Stream<Path> queued = Files.list(new BlobTriggerJobFiles(p).manifestDir())) {
            assertThat(queued).as("no manifest left for queued builds").isEmpty();
        }
        assertThat(b.getCauses()).hasSize(2);
    }

    /** Replay (and Pipeline's Rebuild) copy neither the trigger's action nor its manifest: the original's are read. */
    @Test
    void aReplayOfABatchBuildGetsTheChangesOfTheBuildItReplays(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        BlobContainerClient c = AZURITE.createContainer("replay");
        WorkflowJob p = pipelineJob(r, AZURITE, "p", c.getBlobContainerName(), BlobTriggerMode.BATCH);
        poll(r, p);
        TestBlobs.upload(c, "x.csv", "1");
        poll(r, p);
        WorkflowRun original = p.getLastBuild();
        TestBlobs.upload(c, "later.csv", "22");
        poll(r, p);
        assertThat(p.getBuilds()).hasSize(2);

        ReplayAction replay = original.getAction(ReplayAction.class);
        WorkflowRun replayed = (WorkflowRun) r.assertBuildStatusSuccess(replay.run(replay.getOriginalScript(), Map.of()));
        r.assertLogContains("CHANGE=[x.csv|1]", replayed);
        r.assertLogNotContains("later.csv", replayed);

        WorkflowRun notTriggered = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("was not started by the azureBlob trigger", notTriggered);
    }

    @Test
    void aCapPerPollLeavesTheRestForTheNextPoll(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        BlobContainerClient c = AZURITE.createContainer("capped");
        WorkflowJob p = pipelineJob(r, AZURITE, "p", c.getBlobContainerName(), BlobTriggerMode.BATCH);
        ParameterizedJobMixIn.getTrigger(p, AzureBlobTrigger.class).setMaxChangesPerPoll(1);
        poll(r, p);
        TestBlobs.upload(c, "one.csv", "1");
        TestBlobs.upload(c, "two.csv", "2");

        poll(r, p);
        assertThat(p.getBuilds()).hasSize(1);
        poll(r, p);
        assertThat(p.getBuilds()).hasSize(2);
        for (WorkflowRun b : p.getBuilds()) {
            r.assertLogContains("COUNT=[1]", b);
        }
        poll(r, p);
        assertThat(p.getBuilds()).as("nothing left, nothing twice").hasSize(2);
    }

    @Test
    void aChangeAlreadyBuiltIsNotFiredAgainWhenItsStateWasNotSaved(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        BlobContainerClient c = AZURITE.createContainer("crash");
        WorkflowJob p = pipelineJob(r, AZURITE, "p", c.getBlobContainerName(), BlobTriggerMode.PER_BLOB);
        poll(r, p);
        Path state = new BlobTriggerJobFiles(p).stateFile();
        byte[] before = Files.readAllBytes(state);
        FileTime savedAt = Files.getLastModifiedTime(state);
        TestBlobs.upload(c, "once.csv", "1");
        poll(r, p);
        assertThat(p.getBuilds()).hasSize(1);

        // As if the controller had died after scheduling and before saving: the old state is back.
        Files.write(state, before);
        Files.setLastModifiedTime(state, savedAt);
        poll(r, p);
        assertThat(p.getBuilds()).hasSize(1);
        assertThat(new AzureBlobPollingLogAction(p).getLog()).contains("already the cause of a recent build");
    }

    @Test
    void aDisabledJobDoesNotPoll(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        WorkflowJob p = pipelineJob(r, AZURITE, "p", AZURITE.createContainer("disabled").getBlobContainerName(),
                BlobTriggerMode.PER_BLOB);
        p.makeDisabled(true);
        assertThat(ParameterizedJobMixIn.getTrigger(p, AzureBlobTrigger.class).submitPoll()).isNull();
        assertThat(new BlobTriggerJobFiles(p).stateFile()).doesNotExist();
    }

    @Test
    void freestyleConfigurationSurvivesTheConfigPage(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        FreeStyleProject p = r.createFreeStyleProject();
        // A yearly schedule: a cron tick during the test would poll the (unreachable, non-loopback) account URL.
        AzureBlobTrigger t = new AzureBlobTrigger("H H 1 1 *", CREDENTIALS_ID,
                "https://acct.blob.core.windows.net", "incoming");
        t.setPrefix("data/");
        t.setInclude("**/*.csv");
        t.setExclude("**/tmp/**");
        t.setIncludeSubfolders(false);
        t.setIgnoreEmptyBlobs(false);
        t.setStartFrom(StartPosition.BEGINNING);
        t.setMode(BlobTriggerMode.BATCH);
        t.setMaxChangesPerPoll(7);
        t.setLateArrivalMargin(30);
        p.addTrigger(t);
        r.configRoundtrip(p);
        r.assertEqualDataBoundBeans(t, p.getTrigger(AzureBlobTrigger.class));

        String page = r.createWebClient().getPage(p, "configure").getWebResponse().getContentAsString();
        assertThat(page).as("drop-downs show labels, not enum constants")
                .contains(BlobTriggerMode.PER_BLOB.getDisplayName(), StartPosition.NOW.getDisplayName());
    }

    /**
     * The form says which mode the trigger is in: push mode is a choice (a checkbox that unfolds the queue), the
     * schedule is described for both modes, and the trigger's title names both. Unchecking it leaves polling.
     */
    @Test
    void theFormOffersPollingOrEventGridPushAndUncheckingPushLeavesPolling(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        FreeStyleProject p = r.createFreeStyleProject();
        AzureBlobTrigger t = new AzureBlobTrigger("H H 1 1 *", CREDENTIALS_ID, "https://acct.blob.core.windows.net",
                "incoming");
        t.setEventQueueUrl("https://acct.queue.core.windows.net/incoming-events");
        p.addTrigger(t);
        r.configRoundtrip(p);
        r.assertEqualDataBoundBeans(t, p.getTrigger(AzureBlobTrigger.class));
        assertThat(p.getTrigger(AzureBlobTrigger.class).isPushMode()).isTrue();

        HtmlPage configure = r.createWebClient().getPage(p, "configure");
        assertThat(configure.asNormalizedText()).contains(
                "Build when blobs arrive in Azure Blob Storage (polling or Event Grid push)",
                "Event Grid push: build within seconds of each upload, from queue events",
                "With Event Grid push: when the reconciliation listing runs");
        HtmlForm form = configure.getFormByName("config");
        HtmlCheckBoxInput push = form.getInputByName("_.pushMode");
        assertThat(push.isChecked()).as("push mode shows as chosen").isTrue();
        push.setChecked(false);
        r.submit(form);
        AzureBlobTrigger polling = p.getTrigger(AzureBlobTrigger.class);
        assertThat(polling.isPushMode()).as("unchecked: polling only").isFalse();
        assertThat(polling.getEventQueueUrl()).isEmpty();
        assertThat(polling.getContainer()).isEqualTo("incoming");
    }

    @Test
    void declarativeTriggersBlockConfiguresTheTrigger(JenkinsRule r) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition("pipeline {\n  agent none\n  triggers {\n"
                + "    azureBlob(credentialsId: 'storage', accountUrl: 'https://acct.blob.core.windows.net',\n"
                + "              container: 'incoming', prefix: 'data/', include: '**/*.csv', exclude: '**/tmp/**',\n"
                + "              includeSubfolders: true, ignoreEmptyBlobs: true,\n"
                + "              startFrom: 'NOW', mode: 'BATCH', lateArrivalMargin: 30, spec: 'H/5 * * * *')\n  }\n"
                + "  stages { stage('x') { steps { echo 'configured' } } }\n}", true));
        r.buildAndAssertSuccess(p);
        AzureBlobTrigger t = ParameterizedJobMixIn.getTrigger(p, AzureBlobTrigger.class);
        assertThat(t).isNotNull();
        assertThat(List.of(t.getSpec(), t.getCredentialsId(), t.getAccountUrl(), t.getContainer(), t.getPrefix(),
                t.getInclude(), t.getExclude())).containsExactly("H/5 * * * *", "storage",
                "https://acct.blob.core.windows.net", "incoming", "data/", "**/*.csv", "**/tmp/**");
        assertThat(t.getMode()).isEqualTo(BlobTriggerMode.BATCH);
        assertThat(t.getStartFrom()).isEqualTo(StartPosition.NOW);
        assertThat(t.getLateArrivalMargin()).isEqualTo(30);
    }

    @Test
    void testConnectionReportsMatchesAndExactErrors(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        BlobContainerClient c = AZURITE.createContainer("testconn");
        TestBlobs.upload(c, "in/a.csv", "1");
        TestBlobs.upload(c, "in/b.txt", "1");
        String sasWithoutList = c.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true)));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "read-only-sas", "no list", Secret.fromString(sasWithoutList)));
        FreeStyleProject p = r.createFreeStyleProject();
        AzureBlobTrigger.DescriptorImpl d = r.jenkins.getDescriptorByType(AzureBlobTrigger.DescriptorImpl.class);
        String url = AZURITE.blobEndpoint();

        FormValidation ok = d.doTestConnection(p, CREDENTIALS_ID, url, c.getBlobContainerName(), "in/", "*.csv", "",
                "true", "true", "");
        assertThat(ok.kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(ok.getMessage()).contains("1 matching blob(s) out of 2 listed");

        FormValidation missing = d.doTestConnection(p, CREDENTIALS_ID, url, "no-such-container", "", "", "", "true",
                "true", "");
        assertThat(missing.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(missing.getMessage()).contains("does not exist", "404");

        FormValidation refused = d.doTestConnection(p, "read-only-sas", url, c.getBlobContainerName(), "", "", "",
                "true", "true", "");
        assertThat(refused.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(refused.getMessage()).contains("refused", "403").doesNotContain(sasWithoutList);

        FormValidation badUrl = d.doTestConnection(p, CREDENTIALS_ID, "ftp://acct", c.getBlobContainerName(), "", "",
                "", "true", "true", "");
        assertThat(badUrl.getMessage()).as("the form's label, not the field name").startsWith("Account URL: ")
                .doesNotContain("accountUrl:");

        FormValidation unknown = d.doTestConnection(p, "nope", url, c.getBlobContainerName(), "", "", "", "true",
                "true", "");
        assertThat(unknown.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(unknown.getMessage()).contains("nope");

        // Push mode: the queue is checked after the container, and its errors name the form's label.
        FormValidation badQueue = d.doTestConnection(p, CREDENTIALS_ID, url, c.getBlobContainerName(), "in/",
                "*.csv", "", "true", "true", "https://acct.queue.core.windows.net/Bad_Name");
        assertThat(badQueue.kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(badQueue.getMessage()).contains("1 matching blob(s) out of 2 listed", "Event Grid queue: ")
                .doesNotContain("eventQueueUrl:");
    }

    @Test
    void formEndpointsNeedConfigurePermission(JenkinsRule r) throws Exception {
        BlobTriggerTestSupport.setUp(r, AZURITE);
        FreeStyleProject p = r.createFreeStyleProject("p");
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE).everywhere().to("configurer"));
        String base = "job/p/descriptorByName/" + AzureBlobTrigger.class.getName() + "/";
        String test = base + "testConnection?credentialsId=" + CREDENTIALS_ID + "&accountUrl="
                + AZURITE.blobEndpoint() + "&container=missing-container";

        JenkinsRule.WebClient reader = r.createWebClient().withBasicApiToken("reader")
                .withThrowExceptionOnFailingStatusCode(false);
        assertThat(reader.getPage(new WebRequest(new URL(r.getURL(), test), HttpMethod.POST)).getWebResponse()
                .getStatusCode()).isEqualTo(403);
        String fill = base + "fillCredentialsIdItems";
        assertThat(reader.getPage(new WebRequest(new URL(r.getURL(), fill), HttpMethod.POST)).getWebResponse()
                .getContentAsString()).doesNotContain("\"" + CREDENTIALS_ID + "\"");

        JenkinsRule.WebClient configurer = r.createWebClient().withBasicApiToken("configurer")
                .withThrowExceptionOnFailingStatusCode(false);
        assertThat(configurer.getPage(new WebRequest(new URL(r.getURL(), test), HttpMethod.POST)).getWebResponse()
                .getStatusCode()).isEqualTo(200);
        assertThat(configurer.getPage(new WebRequest(new URL(r.getURL(), test), HttpMethod.GET)).getWebResponse()
                .getStatusCode()).as("test connection is POST only").isNotEqualTo(200);
        assertThat(configurer.getPage(new WebRequest(new URL(r.getURL(), fill), HttpMethod.POST)).getWebResponse()
                .getContentAsString()).contains("\"" + CREDENTIALS_ID + "\"");
        assertThat(configurer.getPage(new WebRequest(new URL(r.getURL(), fill), HttpMethod.GET)).getWebResponse()
                .getStatusCode()).as("credential list is POST only").isNotEqualTo(200);

        String spec = base + "checkSpec?value=H%2F5+*+*+*+*";
        assertThat(configurer.getPage(new WebRequest(new URL(r.getURL(), spec), HttpMethod.POST)).getWebResponse()
                .getContentAsString()).as("core's hint, as Build periodically gives").contains("would next run at");
        assertThat(reader.getPage(new WebRequest(new URL(r.getURL(), spec), HttpMethod.POST)).getWebResponse()
                .getContentAsString()).doesNotContain("would next run at");
        assertThat(configurer.getPage(new WebRequest(new URL(r.getURL(), spec), HttpMethod.GET)).getWebResponse()
                .getStatusCode()).as("schedule check is POST only").isNotEqualTo(200);
    }
}
