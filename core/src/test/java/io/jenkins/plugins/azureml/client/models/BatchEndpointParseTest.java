package io.jenkins.plugins.azureml.client.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azureml.InvalidFieldException;
import io.jenkins.plugins.azureml.client.implementation.EndpointRules;
import io.jenkins.plugins.azureml.client.implementation.EndpointRules.HostFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** v2 batch endpoints: which URLs are v2, the hosts they lead to, the workspace argument, and the allow-list. */
class BatchEndpointParseTest {
    static final String WS = "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.MachineLearningServices/"
            + "workspaces/ws-1";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "https://nightly.westus.inference.ml.azure.com/jobs|nightly|https://management.azure.com|https://westus.api.azureml.ms|https://ml.azure.com/",
        "https://Nightly-Training.EastUS2.inference.ml.azure.com/jobs/|nightly-training|https://management.azure.com|https://eastus2.api.azureml.ms|https://ml.azure.com/",
        "https://ep1.usgovvirginia.inference.ml.azure.us/jobs|ep1|https://management.usgovcloudapi.net|https://usgovvirginia.api.ml.azure.us|https://ml.azure.us/",
        "https://ep1.chinaeast2.inference.ml.azure.cn:443/jobs|ep1|https://management.chinacloudapi.cn|https://chinaeast2.api.ml.azure.cn|https://studio.ml.azure.cn/",
    })
    void scoringUrisAreV2AndLeadToTheirCloudsHosts(String url, String name, String arm, String history, String studio) {
        PipelineEndpoint endpoint = PipelineEndpoint.parse(url, WS);
        assertThat(endpoint.getKind()).isEqualTo(PipelineEndpoint.Kind.BATCH_ENDPOINT);
        assertThat(endpoint.isBatchEndpoint()).isTrue();
        assertThat(endpoint.getId()).isEqualTo(name);
        assertThat(endpoint.getWorkspace()).isEqualTo(new Workspace("sub-1", "rg-1", "ws-1"));
        assertThat(endpoint.submitUrl()).endsWith("/jobs").startsWith("https://" + name + ".");
        RunReference job = endpoint.runReference("exp", "batchjob-1");
        assertThat(job.isBatchJob()).isTrue();
        assertThat(job.getResourceManagerUrl()).isEqualTo(arm);
        assertThat(job.getServiceBaseUrl()).isEqualTo(history);
        assertThat(job.studioUrl()).startsWith(studio + "runs/batchjob-1?wsid=/subscriptions/sub-1/");
        assertThat(RunReference.fromEndpoint(url, "exp", "batchjob-1", WS)).isEqualTo(job);
    }

    @Test
    void missingWorkspaceForAV2EndpointSaysExactlyWhatToAdd() {
        for (String ws : new String[] {null, "", " "}) {
            InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
                    () -> PipelineEndpoint.parse("https://nightly.westus.inference.ml.azure.com/jobs", ws, false));
            assertThat(e.getField()).isEqualTo("workspace");
            assertThat(e.getProblem()).contains("v2 batch endpoint", "Add workspace: '/subscriptions/<subscription id>"
                    + "/resourceGroups/<resource group>/providers/Microsoft.MachineLearningServices/workspaces/"
                    + "<workspace name>'");
        }
        assertThat(catchThrowableOfType(InvalidFieldException.class,
                () -> PipelineEndpoint.parse("https://nightly.westus.inference.ml.azure.com/jobs")).getField())
                .isEqualTo("workspace");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws-1", "/subscriptions/sub-1/resourceGroups/rg-1/workspaces/ws-1",
        "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Storage/storageAccounts/ws-1",
        "https://ml.azure.com/?wsid=/subscriptions/sub-1", WS + "/jobs/x"})
    void malformedWorkspaceIsRefusedNamingTheField(String ws) {
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
                () -> PipelineEndpoint.parse("https://nightly.westus.inference.ml.azure.com/jobs", ws));
        assertThat(e.getField()).isEqualTo("workspace");
        assertThat(e.getProblem()).contains("is not a workspace resource id", "/subscriptions/<subscription id>");
    }

    @Test
    void workspaceIdIsParsedCaseInsensitivelyWithOrWithoutLeadingSlash() {
        assertThat(Workspace.parseResourceId(WS.substring(1).toLowerCase() + "/"))
                .isEqualTo(new Workspace("sub-1", "rg-1", "ws-1"));
        assertThat(Workspace.parseResourceId(WS).resourceId()).isEqualTo(WS);
    }

    @Test
    void v1UrlsStillNeedNoWorkspaceAndRefuseAnotherOne() {
        String v1 = "https://westus.api.azureml.ms/pipelines/v1.0" + WS + "/PipelineRuns/PipelineSubmit/pl-1";
        assertThat(PipelineEndpoint.parse(v1, WS).getKind()).isEqualTo(PipelineEndpoint.Kind.PUBLISHED_PIPELINE);
        assertThat(PipelineEndpoint.parse(v1, (String) null).runReference("e", "r").isBatchJob()).isFalse();
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
                () -> PipelineEndpoint.parse(v1, WS.replace("ws-1", "other")));
        assertThat(e.getField()).isEqualTo("workspace");
        assertThat(e.getProblem()).contains("not the workspace of the v1 endpoint URL");
        assertThat(catchThrowableOfType(InvalidFieldException.class, () -> PipelineEndpoint.parse(v1)
                .withDeployment("blue")).getField()).isEqualTo("deployment");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "http://nightly.westus.inference.ml.azure.com/jobs|must use https",
        "https://nightly.westus.inference.ml.azure.com:8443/jobs|default https port",
        "https://user@nightly.westus.inference.ml.azure.com/jobs|user name",
        "https://inference.ml.azure.com@evil.example/jobs|user name",
        "https://nightly.westus.inference.ml.azure.com.evil.example/jobs|not an Azure ML service host",
        "https://westus.inference.ml.azure.com/jobs|not an Azure ML service host",
        "https://a.b.westus.inference.ml.azure.com/jobs|not an Azure ML service host",
        "https://nightly.westus.inference.ml.azure.org/jobs|not an Azure ML service host",
        "https://nightly.westus.inference-ml.azure.com/jobs|not an Azure ML service host",
        "https://nightly.westus.inference.ml.azure.com./jobs|not an Azure ML service host",
        "https://-nightly.westus.inference.ml.azure.com/jobs|no valid host name",
        "https://nightly.westus.inference.ml.azure.com/score|ending in /jobs",
        "https://nightly.westus.inference.ml.azure.com/|ending in /jobs",
        "https://nightly.westus.inference.ml.azure.com/jobs?x=1|takes no query",
        "https://management.azure.com/subscriptions/s/jobs|not an Azure ML service host",
        "https://management.azure.com.evil.example/jobs|not an Azure ML service host",
        "https://evilmanagement.azure.com/jobs|not an Azure ML service host",
        "https://management.usgovcloudapi.net/pipelines|not an Azure ML service host",
        "https://20.42.0.1/jobs|IP address",
        "https://127.0.0.1/jobs|points to this machine",
    })
    void refusesEverythingElseNamingTheEndpointField(String url, String problem) {
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
                () -> PipelineEndpoint.parse(url, WS));
        assertThat(e.getField()).isEqualTo("endpoint");
        assertThat(e.getProblem()).contains(problem);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "https://westus.api.azureml.ms/x|AML_SERVICE|https://management.azure.com/.default",
        "https://usgovvirginia.api.ml.azure.us/x|AML_SERVICE|https://management.usgovcloudapi.net/.default",
        "https://chinaeast2.api.ml.azure.cn/x|AML_SERVICE|https://management.chinacloudapi.cn/.default",
        "https://fb7e20a0-8891-458b-b969-55ddb3382f51.workspace.eastus.api.azureml.ms/x|AML_SERVICE"
                + "|https://management.azure.com/.default",
        "https://52882c08-ead2-44aa-af65-08a75cf094bd.workspace.usgovvirginia.cert.api.ml.azure.us/x|AML_SERVICE"
                + "|https://management.usgovcloudapi.net/.default",
        "https://nightly.westus.inference.ml.azure.com/jobs|INFERENCE|https://ml.azure.com/.default",
        "https://ep.usgovvirginia.inference.ml.azure.us/jobs|INFERENCE|https://ml.azure.us/.default",
        "https://ep.chinaeast2.inference.ml.azure.cn/jobs|INFERENCE|https://ml.azure.cn/.default",
        "https://management.azure.com/subscriptions|RESOURCE_MANAGER|https://management.azure.com/.default",
        "https://management.usgovcloudapi.net/subscriptions|RESOURCE_MANAGER"
                + "|https://management.usgovcloudapi.net/.default",
        "https://management.chinacloudapi.cn/subscriptions|RESOURCE_MANAGER"
                + "|https://management.chinacloudapi.cn/.default",
        "http://127.0.0.1:8080/jobs|LOOPBACK|",
    })
    void hostFamilyAndCloudDecideTheTokenScope(String url, HostFamily family, String scope) {
        EndpointRules rules = new EndpointRules(true);
        java.net.URI uri = rules.check(url);
        assertThat(rules.family(uri)).isEqualTo(family);
        assertThat(family.audience() == null ? null : family.audience().scope(rules.cloud(uri))).isEqualTo(scope);
    }

    @Test
    void loopbackScoringUriOnlyWithTheExplicitOption() {
        PipelineEndpoint local = PipelineEndpoint.parse("http://127.0.0.1:8080/jobs", WS, true);
        assertThat(local.isBatchEndpoint()).isTrue();
        RunReference job = local.runReference("e", "j");
        assertThat(job.getResourceManagerUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(RunReference.fromEndpoint("http://127.0.0.1:8080/jobs", "e", "j", WS, true)).isEqualTo(job);
        assertThat(catchThrowableOfType(InvalidFieldException.class,
                () -> PipelineEndpoint.parse("http://127.0.0.1:8080/jobs", WS)).getProblem())
                .contains("points to this machine");
    }

    @Test
    void v2ReferenceSurvivesSerializationAndDiffersFromAV1Reference() throws Exception {
        RunReference job = RunReference.fromEndpoint("https://nightly.westus.inference.ml.azure.com/jobs", "e",
                "batchjob-1", WS);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(job);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(job);
        }
        assertThat(job).isNotEqualTo(new RunReference(job.getServiceBaseUrl(), job.getWorkspace(), "e", "batchjob-1"));
        assertThat(job.toString()).startsWith("job batchjob-1");
    }
}
