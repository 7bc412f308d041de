package io.jenkins.plugins.azureml.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/local-trial.md gives a fixed SAS and Azurite's connection string for readers to paste: they must work on a
 * real Azurite (the SAS for what the page does with curl: create the container, upload, list).
 */
class LocalTrialDocTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    private static String page;

    @BeforeAll
    static void readPage() throws IOException {
        page = Files.readString(ProjectFiles.root().resolve("docs/local-trial.md"), StandardCharsets.UTF_8);
    }

    @Test
    void documentedSasCreatesTheContainerUploadsAndListsOnAzurite() {
        Matcher sas = Pattern.compile("SAS='([^']+)'").matcher(page);
        assertThat(sas.find()).as("a SAS='...' line").isTrue();
        BlobContainerClient container = new BlobServiceClientBuilder().endpoint(AZURITE.blobEndpoint())
                .sasToken(sas.group(1)).buildClient().getBlobContainerClient("incoming");

        container.create();
        container.getBlobClient("data/sales.csv").upload(BinaryData.fromString("region,amount\nnorth,42\n"));

        assertThat(container.listBlobs().stream().map(BlobItem::getName).collect(Collectors.toList()))
                .containsExactly("data/sales.csv");
    }

    @Test
    void documentedConnectionStringIsAzuritesWellKnownOne() {
        Matcher cs = Pattern.compile("`(DefaultEndpointsProtocol=http;AccountName=[^`]+)`").matcher(page);
        assertThat(cs.find()).as("the connection string in the credentials table").isTrue();
        assertThat(cs.group(1)).contains("AccountName=" + AzuriteExtension.ACCOUNT + ";",
                "AccountKey=" + AzuriteExtension.ACCOUNT_KEY + ";",
                "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;");
        assertThat(page).contains("accountUrl: 'http://127.0.0.1:10000/devstoreaccount1'",
                "--blobHost 127.0.0.1 --blobPort 10000");
    }
}
