package io.jenkins.plugins.azureml.blob.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class AzuriteInstallTest {
    /** On Windows node_modules/.bin holds .cmd shims: the entry point must be the package's own JavaScript. */
    @Test
    void entryPointIsThePackagesJavaScriptNotTheBinShim() {
        assertThat(AzuriteInstall.entryPoint("azurite-blob")).isRegularFile()
                .satisfies(p -> assertThat(p.toString()).endsWith(".js").doesNotContain(".bin"));
        assertThat(AzuriteInstall.entryPoint("azurite-queue").toString()).endsWith(".js");
    }

    @Test
    void binEntriesAreReadFromPackageJson() throws IOException {
        String json = "{\"name\":\"azurite\",\"scripts\":{\"x\":\"y\"},\"bin\":{\"azurite\":\"./dist/src/azurite.js\","
                + "\"azurite-blob\":\"./dist/src/blob/main.js\"},\"engines\":{\"node\":\">=20\"}}";
        assertThat(AzuriteInstall.binEntry(json, "azurite-blob")).isEqualTo("./dist/src/blob/main.js");
        assertThat(AzuriteInstall.binEntry(json, "azurite-table")).isNull();
        assertThat(AzuriteInstall.binEntry("{\"name\":\"x\"}", "azurite-blob")).isNull();
    }

    @Test
    void nodeIsOnThePathUnlessAnInstallationIsNamed() {
        String before = System.getProperty("azurite.node");
        try {
            System.clearProperty("azurite.node");
            assertThat(AzuriteInstall.node()).isEqualTo("node");
            System.setProperty("azurite.node", "/opt/build/node");
            assertThat(AzuriteInstall.node()).startsWith("/opt/build/node").containsPattern("node(\\.exe)?$");
        } finally {
            if (before == null) {
                System.clearProperty("azurite.node");
            } else {
                System.setProperty("azurite.node", before);
            }
        }
        assertThat(Files.exists(AzuriteInstall.entryPoint("azurite-blob"))).isTrue();
    }
}
