package io.jenkins.plugins.azureml.client.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jenkins.plugins.azureml.InvalidFieldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineEndpointTest {
    static final String WS = "subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.MachineLearningServices/"
            + "workspaces/ws-1";
    static final String PATH = "/pipelines/v1.0/" + WS + "/PipelineRuns/PipelineSubmit/pl-42";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "https://westus.api.azureml.ms|https://westus.api.azureml.ms",
        "https://WestUS2.API.AzureML.ms|https://westus2.api.azureml.ms",
        "https://usgovvirginia.api.ml.azure.us|https://usgovvirginia.api.ml.azure.us",
        "https://chinaeast2.api.ml.azure.cn|https://chinaeast2.api.ml.azure.cn",
        "https://westus.api.azureml.ms:443|https://westus.api.azureml.ms:443",
    })
    void acceptsAzureMlHostsOverHttps(String base, String expectedBase) {
        PipelineEndpoint endpoint = PipelineEndpoint.parse(base + PATH);
        assertThat(endpoint.getServiceBaseUrl()).isEqualTo(expectedBase);
        assertThat(endpoint.getWorkspace()).isEqualTo(new Workspace("sub-1", "rg-1", "ws-1"));
        assertThat(endpoint.getKind()).isEqualTo(PipelineEndpoint.Kind.PUBLISHED_PIPELINE);
        assertThat(endpoint.getId()).isEqualTo("pl-42");
    }

    static final String GUID = "fb7e20a0-8891-458b-b969-55ddb3382f51";

    /** Workspaces behind a private endpoint answer on workspace-specific names (how-to-custom-dns, all clouds). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "https://" + GUID + ".workspace.eastus.api.azureml.ms|https://ml.azure.com/",
        "https://" + GUID + ".workspace.eastus.cert.api.azureml.ms|https://ml.azure.com/",
        "https://FB7E20A0-8891-458B-B969-55DDB3382F51.Workspace.EastUS.API.AzureML.ms|https://ml.azure.com/",
        "https://52882c08-ead2-44aa-af65-08a75cf094bd.workspace.usgovvirginia.api.ml.azure.us|https://ml.azure.us/",
        "https://52882c08-ead2-44aa-af65-08a75cf094bd.workspace.usgovvirginia.cert.api.ml.azure.us|https://ml.azure.us/",
        "https://52882c08-ead2-44aa-af65-08a75cf094bd.workspace.chinaeast2.api.ml.azure.cn|https://studio.ml.azure.cn/",
        "https://52882c08-ead2-44aa-af65-08a75cf094bd.workspace.chinaeast2.cert.api.ml.azure.cn|https://studio.ml.azure.cn/",
    })
    void acceptsPrivateLinkWorkspaceHostsAndKeepsThemForRunHistoryAndStudioLinks(String base, String studio) {
        PipelineEndpoint endpoint = PipelineEndpoint.parse(base + PATH);
        String normalised = base.toLowerCase(java.util.Locale.ROOT);
        assertThat(endpoint.getServiceBaseUrl()).isEqualTo(normalised);
        assertThat(endpoint.submitUrl()).isEqualTo(normalised + PATH);
        assertThat(endpoint.getWorkspace()).isEqualTo(new Workspace("sub-1", "rg-1", "ws-1"));
        RunReference run = endpoint.runReference("MyRestPipeline", "run-1");
        assertThat(run.getServiceBaseUrl()).as("run history and cancel go through the private endpoint too")
                .isEqualTo(normalised);
        assertThat(run.studioUrl()).startsWith(studio + "runs/run-1?wsid=");
        assertThat(RunReference.fromEndpoint(base + PATH, "MyRestPipeline", "run-1")).isEqualTo(run);
    }

    /** The private-link shape opens no door to look-alikes, encodings, user info, ports or trailing dots. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "https://" + GUID + ".workspace.eastus.api.azureml.ms." + PATH + "|not an Azure ML service host",
        "https://" + GUID + ".workspace.eastus.api.azureml.ms.evil.example" + PATH + "|not an Azure ML service host",
        "https://" + GUID + ".workspace.eastus.privatelink.api.azureml.ms.evil.example" + PATH + "|not an Azure ML service host",
        "https://evil.workspace.eastus.api.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://fb7e20a0-8891-458b-b969-55ddb3382f5.workspace.eastus.api.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://fb7e20a0-8891-458b-b969-55ddb3382f51x.workspace.eastus.api.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://fb7e20a088918458bb96955ddb3382f51.workspace.eastus.api.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://" + GUID + ".workspace.api.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://" + GUID + ".eastus.api.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://" + GUID + ".workspaces.eastus.api.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://x." + GUID + ".workspace.eastus.api.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://" + GUID + ".workspace.eastus.cert.cert.api.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://" + GUID + ".workspace.eastus.cert.api.azureml.com" + PATH + "|not an Azure ML service host",
        "https://" + GUID + ".workspace.eastus.api.ml.azure.com" + PATH + "|not an Azure ML service host",
        "https://" + GUID + ".workspace..eastus.api.azureml.ms" + PATH + "|no valid host name",
        "https://" + GUID + ".workspace.eastus.api.azureml.ms:8443" + PATH + "|default https port",
        "https://user@" + GUID + ".workspace.eastus.api.azureml.ms" + PATH + "|user name",
        "https://" + GUID + ".workspace.eastus.api.azureml.ms@evil.example" + PATH + "|user name",
        "https://" + GUID + "%2Eworkspace.eastus.api.azureml.ms" + PATH + "|no valid host name",
        "http://" + GUID + ".workspace.eastus.api.azureml.ms" + PATH + "|must use https",
    })
    void privateLinkLookAlikesAreRefused(String url, String problem) {
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, () -> PipelineEndpoint.parse(url));
        assertThat(e).as(url).isNotNull();
        assertThat(e.getField()).isEqualTo("endpoint");
        assertThat(e.getProblem()).contains(problem);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "http://westus.api.azureml.ms" + PATH + "|must use https",
        "ftp://westus.api.azureml.ms" + PATH + "|must use https",
        "https://westus.api.azureml.ms:8443" + PATH + "|default https port",
        "https://user@westus.api.azureml.ms" + PATH + "|user name",
        "https://api.azureml.ms@evil.example" + PATH + "|user name",
        "https://westus.api.azureml.ms" + PATH + "#frag|fragment",
        "https://westus.api.azureml.ms.evil.example" + PATH + "|not an Azure ML service host",
        "https://evil-westus.api.azureml.ms.example" + PATH + "|not an Azure ML service host",
        "https://westus.api.azureml.ms." + PATH + "|not an Azure ML service host",
        "https://api.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://a.b.api.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://westusapi.azureml.ms" + PATH + "|not an Azure ML service host",
        "https://westus.aether.ms" + PATH + "|not an Azure ML service host",
        "https://management.azure.com" + PATH + "|not an Azure ML service host",
        "https://20.42.0.1" + PATH + "|IP address",
        "https://[2001:db8::1]" + PATH + "|IP address",
        "https://127.0.0.1:8443" + PATH + "|points to this machine",
        "http://localhost:8080" + PATH + "|points to this machine",
        "https://[::1]" + PATH + "|points to this machine",
        "westus.api.azureml.ms" + PATH + "|absolute https URL",
        "https://westus.api.azureml.ms/pipelines/v1.0/" + WS + "/PipelineRuns|not a pipeline submit URL",
        "https://westus.api.azureml.ms/history/v1.0/" + WS + "/runs/r1/details|not a pipeline submit URL",
        "https://westus.api.azureml.ms/pipelines/v1.0/" + WS + "/PipelineRuns/PipelineEndpointSubmit/Name|needs the endpoint name",
        "https://westus .api.azureml.ms" + PATH + "|not a valid URL",
        "https://westus.api.azureml.ms%2eevil.example" + PATH + "|no valid host name",
        "https://westus.api.azureml。ms" + PATH + "|no valid host name",
        "https://3232235777" + PATH + "|IP address",
    })
    void refusesEverythingElseNamingTheFieldAndAValidUrl(String url, String problem) {
        InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, () -> PipelineEndpoint.parse(url));
        assertThat(e.getField()).isEqualTo("endpoint");
        assertThat(e.getProblem()).contains(problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void refusesEmpty(String url) {
        assertThat(catchThrowableOfType(InvalidFieldException.class, () -> PipelineEndpoint.parse(url)).getProblem())
                .contains("is empty", "https://<region>.api.azureml.ms/pipelines/v1.0/");
    }

    @Test
    void refusesNull() {
        assertThat(catchThrowableOfType(InvalidFieldException.class, () -> PipelineEndpoint.parse(null)).getField())
                .isEqualTo("endpoint");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://127.0.0.1:8080", "https://127.0.0.1:55555", "http://localhost:1", "http://[::1]:9"})
    void loopbackOnlyWithTheExplicitOption(String base) {
        assertThat(PipelineEndpoint.parse(base + PATH, true).getServiceBaseUrl()).isEqualTo(base);
        assertThat(catchThrowableOfType(InvalidFieldException.class, () -> PipelineEndpoint.parse(base + PATH))
                .getProblem()).contains("points to this machine");
    }

    @Test
    void loopbackOptionDoesNotOpenOtherHosts() {
        assertThat(catchThrowableOfType(InvalidFieldException.class,
                () -> PipelineEndpoint.parse("http://westus.api.azureml.ms" + PATH, true)).getProblem())
                .contains("must use https");
        assertThat(catchThrowableOfType(InvalidFieldException.class,
                () -> PipelineEndpoint.parse("https://127.0.0.2" + PATH, true)).getProblem())
                .contains("IP address");
    }

    @Test
    void parsesVersionedEndpointForms() {
        String prefix = "https://eastus.api.azureml.ms/pipelines/v1.0/" + WS + "/PipelineRuns/";
        PipelineEndpoint byId = PipelineEndpoint.parse(prefix + "PipelineEndpointSubmit/Id/ep-1");
        assertThat(byId.getKind()).isEqualTo(PipelineEndpoint.Kind.ENDPOINT_BY_ID);
        assertThat(byId.getId()).isEqualTo("ep-1");
        assertThat(byId.getVersion()).isNull();
        assertThat(byId.submitUrl()).isEqualTo(prefix + "PipelineEndpointSubmit/Id/ep-1");

        PipelineEndpoint byIdVersion = PipelineEndpoint.parse(prefix + "PipelineEndpointSubmit/Id/ep-1/7");
        assertThat(byIdVersion.getVersion()).isEqualTo("7");
        assertThat(byIdVersion.submitUrl()).isEqualTo(prefix + "PipelineEndpointSubmit/Id/ep-1/7");

        PipelineEndpoint byName = PipelineEndpoint.parse(prefix + "PipelineEndpointSubmit/Name?name=my%20ep&pipelineVersion=2");
        assertThat(byName.getKind()).isEqualTo(PipelineEndpoint.Kind.ENDPOINT_BY_NAME);
        assertThat(byName.getId()).isEqualTo("my ep");
        assertThat(byName.getVersion()).isEqualTo("2");
        assertThat(byName.submitUrl()).isEqualTo(prefix + "PipelineEndpointSubmit/Name?name=my%20ep&pipelineVersion=2");

        PipelineEndpoint factory = PipelineEndpoint.forEndpointName("https://eastus.api.azureml.ms/",
                new Workspace("sub-1", "rg-1", "ws-1"), "nightly", null);
        assertThat(factory.submitUrl()).isEqualTo(prefix + "PipelineEndpointSubmit/Name?name=nightly");
    }

    @Test
    void factoryRefusesForeignHosts() {
        assertThat(catchThrowableOfType(InvalidFieldException.class, () -> PipelineEndpoint.forEndpointName(
                "https://evil.example", new Workspace("s", "r", "w"), "n", null)).getField()).isEqualTo("endpoint");
    }

    @Test
    void runReferenceBuildsStudioLinksAndSurvivesSerialization() throws Exception {
        RunReference ref = RunReference.fromEndpoint("https://westus.api.azureml.ms" + PATH, "MyRestPipeline", "run-9");
        assertThat(ref.studioUrl()).isEqualTo(
                "https://ml.azure.com/runs/run-9?wsid=/subscriptions/sub-1/resourcegroups/rg-1/workspaces/ws-1");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(ref);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(ref);
        }
        assertThat(RunReference.fromEndpoint("https://usgovarizona.api.ml.azure.us" + PATH, "e", "r").studioUrl())
                .startsWith("https://ml.azure.us/runs/r?wsid=");
    }
}
