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
