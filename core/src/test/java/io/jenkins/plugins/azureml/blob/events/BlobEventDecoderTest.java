package io.jenkins.plugins.azureml.blob.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class BlobEventDecoderTest {
    private static final String URL = "https://acct.blob.core.windows.net/incoming/data/a%20b.csv";

    @ParameterizedTest
    @EnumSource(EventGridFixture.Format.class)
    void everySchemaAndEncodingGivesTheBlobAndVersion(EventGridFixture.Format format) {
        DecodedMessage m = BlobEventDecoder.decode(EventGridFixture.message(format, URL, "incoming", "data/a b.csv",
                "0x8DCAFE", 42, "PutBlob"));
        assertThat(m.kind()).isEqualTo(DecodedMessage.Kind.BLOB_CREATED);
        assertThat(m.events()).singleElement().satisfies(e -> {
            assertThat(e.container()).isEqualTo("incoming");
            assertThat(e.name()).isEqualTo("data/a b.csv");
            assertThat(e.etag()).isEqualTo("0x8DCAFE");
            assertThat(e.contentLength()).isEqualTo(42);
            assertThat(e.url()).isEqualTo(URL);
            assertThat(e.api()).isEqualTo("PutBlob");
            assertThat(e.sequencer()).isNotBlank();
            assertThat(e.schema()).isEqualTo(format.name().startsWith("CLOUD")
                    ? BlobEvent.Schema.CLOUD_EVENTS : BlobEvent.Schema.EVENT_GRID);
        });
    }

    private static final java.util.Map<String, String> DOCS_VALUES = java.util.Map.of("account",
            "my-storage-account", "container", "my-file-system", "name", "new-file.txt", "source",
            "my-original-file.txt", "etag", "0x8D4BCC2E4835CD0", "length", "1024");

    /** Data Lake API on a hierarchical-namespace account: dfs url, blobUrl, quoted ETag, contentOffset. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"hns-flush-with-close.eventgrid.json",
            "hns-flush-with-close.cloudevents.json"})
    void theDocumentedDataLakeEventGivesTheAccountTheBlobAndItsUnquotedETag(String sample) {
        DecodedMessage m = BlobEventDecoder.decode(EventGridSamples.message(sample, DOCS_VALUES));
        assertThat(m.kind()).isEqualTo(DecodedMessage.Kind.BLOB_CREATED);
        assertThat(m.events()).singleElement().satisfies(e -> {
            assertThat(EventAccount.accountOfResourceId(e.account())).isEqualTo("my-storage-account");
            assertThat(e.container()).isEqualTo("my-file-system");
            assertThat(e.name()).isEqualTo("new-file.txt");
            assertThat(e.etag()).isEqualTo("0x8D4BCC2E4835CD0");
            assertThat(e.contentLength()).isEqualTo(1024);
            assertThat(e.url()).isEqualTo("https://my-storage-account.dfs.core.windows.net/my-file-system/new-file.txt");
            assertThat(e.blobUrl()).isEqualTo(
                    "https://my-storage-account.blob.core.windows.net/my-file-system/new-file.txt");
            assertThat(e.api()).isEqualTo("FlushWithClose");
        });
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"hns-rename-file.eventgrid.json",
            "hns-rename-file.cloudevents.json"})
    void aRenameIsABlobAtTheDestinationNameWithoutAnETag(String sample) {
        DecodedMessage m = BlobEventDecoder.decode(EventGridSamples.message(sample, DOCS_VALUES));
        assertThat(m.kind()).isEqualTo(DecodedMessage.Kind.BLOB_CREATED);
        assertThat(m.events()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("new-file.txt");
            assertThat(e.hasEtag()).isFalse();
            assertThat(e.url()).endsWith("/my-file-system/new-file.txt");
            assertThat(e.api()).isEqualTo("RenameFile");
        });
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"flat-put-block-list.eventgrid.json",
            "flat-put-block-list.cloudevents.json", "hns-create-file.eventgrid.json"})
    void theOtherDocumentedShapesDecode(String sample) {
        DecodedMessage m = BlobEventDecoder.decode(EventGridSamples.message(sample, DOCS_VALUES));
        assertThat(m.kind()).isEqualTo(DecodedMessage.Kind.BLOB_CREATED);
        assertThat(m.events()).singleElement().satisfies(e -> {
            assertThat(e.etag()).isEqualTo("0x8D4BCC2E4835CD0");
            assertThat(EventAccount.accountOfUrl(e.url())).isEqualTo("my-storage-account");
        });
    }

    @Test
    void aJsonArrayOfOneIsTolerated() {
        String one = EventGridFixture.message(EventGridFixture.Format.EVENT_GRID_PLAIN, URL, "incoming", "x.csv",
                "\"0x1\"", 1, "PutBlockList");
        DecodedMessage m = BlobEventDecoder.decode("[" + one + "]");
        assertThat(m.kind()).isEqualTo(DecodedMessage.Kind.BLOB_CREATED);
        assertThat(m.events()).singleElement().satisfies(e -> assertThat(e.etag()).isEqualTo("0x1"));
    }

    @Test
    void otherEventTypesAreToldApart() {
        DecodedMessage m = BlobEventDecoder.decode(EventGridFixture.message(EventGridFixture.Format.CLOUD_EVENTS_BASE64,
                "Microsoft.Storage.BlobDeleted", URL, "incoming", "x.csv", "0x1", 0, "DeleteBlob"));
        assertThat(m.kind()).isEqualTo(DecodedMessage.Kind.OTHER_EVENT);
        assertThat(m.detail()).isEqualTo("Microsoft.Storage.BlobDeleted");
    }

    @Test
    void garbageForeignJsonAndIncompleteEventsAreMalformedWithoutQuotingThem() {
        String secretish = "sig=SECRET";
        assertThat(BlobEventDecoder.decode("not base64 at all! " + secretish).kind())
                .isEqualTo(DecodedMessage.Kind.MALFORMED);
        assertThat(BlobEventDecoder.decode(Base64.getEncoder().encodeToString(
                "plain words".getBytes(StandardCharsets.UTF_8))).detail()).contains("Base64");
        DecodedMessage foreign = BlobEventDecoder.decode("{\"hello\":\"" + secretish + "\"}");
        assertThat(foreign.kind()).isEqualTo(DecodedMessage.Kind.MALFORMED);
        assertThat(foreign.detail()).doesNotContain("SECRET");
        String noEtag = EventGridFixture.message(EventGridFixture.Format.EVENT_GRID_PLAIN, URL, "incoming", "x.csv",
                "0x1", 1, "PutBlob").replace("\"eTag\"", "\"etagMissing\"");
        assertThat(BlobEventDecoder.decode(noEtag).kind()).isEqualTo(DecodedMessage.Kind.MALFORMED);
        String notABlob = EventGridFixture.message(EventGridFixture.Format.EVENT_GRID_PLAIN, URL, "incoming", "x.csv",
                "0x1", 1, "PutBlob").replace("/blobServices/default/containers/incoming/blobs/x.csv",
                "/queueServices/default/queues/q");
        assertThat(BlobEventDecoder.decode(notABlob).kind()).isEqualTo(DecodedMessage.Kind.MALFORMED);
        assertThat(BlobEventDecoder.decode("{\"eventType\": 5}").kind()).isEqualTo(DecodedMessage.Kind.MALFORMED);
        assertThat(BlobEventDecoder.decode("").kind()).isEqualTo(DecodedMessage.Kind.MALFORMED);
    }
}
