package io.jenkins.plugins.azureml.blob;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import io.jenkins.plugins.azureml.blob.testing.TestBlobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.jenkins.plugins.azureml.blob.testing.TestBlobs.upload;
import static org.assertj.core.api.Assertions.assertThat;

/** The detector's rules against a real Azurite. */
class BlobChangeDetectorTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    /** Polls one watch, carrying the state from poll to poll through its saved form. */
    final class Watcher {
        final BlobContainerClient container;
        final BlobWatch watch;
        final BlobChangeDetector detector;
        WatchState state = WatchState.empty();
        PollResult last;

        Watcher(String hint, UnaryOperator<BlobWatch.Builder> config, Integer pageSize) {
            container = AZURITE.createContainer(hint);
            watch = config.apply(BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                    .container(container.getBlobContainerName())).build();
            detector = BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(watch)
                    .withConnectionString(AZURITE.connectionString())).pageSize(pageSize).build();
        }

        Watcher(String hint, UnaryOperator<BlobWatch.Builder> config) {
            this(hint, config, 2);
        }

        List<String> poll() throws Exception {
            WatchState before = state;
            last = detector.poll(watch, state);
            assertThat(state).as("poll must not mutate its input").isEqualTo(before);
            state = WatchStateCodec.decode(WatchStateCodec.encode(last.nextState()));
            return last.changes().stream().map(BlobChange::name).toList();
        }

        String put(String name, String content) {
            return upload(container, name, content);
        }
    }

    @Test
    void firstPollIsABaselineThenNewBlobsAreReportedOnce() throws Exception {
        Watcher w = new Watcher("baseline", b -> b);
        w.put("old.csv", "1");
        assertThat(w.poll()).isEmpty();
        assertThat(w.last.baseline()).contains(PollResult.Baseline.FIRST_POLL);
        String etag = w.put("new.csv", "2");
        assertThat(w.poll()).containsExactly("new.csv");
        BlobChange c = w.last.changes().get(0);
        assertThat(c.etag()).isEqualTo(etag).doesNotContain("\"");
        assertThat(c.size()).isEqualTo(1);
        assertThat(c.container()).isEqualTo(w.container.getBlobContainerName());
        assertThat(c.url()).isEqualTo(w.container.getBlobContainerUrl() + "/new.csv");
        assertThat(w.last.baseline()).isEmpty();
        assertThat(w.poll()).isEmpty();
    }

    @Test
    void startFromBeginningReportsWhatExists() throws Exception {
        Watcher w = new Watcher("beginning", b -> b.startPosition(StartPosition.BEGINNING));
        w.put("b.csv", "1");
        w.put("a.csv", "1");
        assertThat(w.poll()).containsExactlyInAnyOrder("a.csv", "b.csv");
        assertThat(w.last.baseline()).contains(PollResult.Baseline.FIRST_POLL_FROM_BEGINNING);
        assertThat(w.poll()).isEmpty();
    }

    @Test
    void overwriteSameContentOverwriteAndDeleteRecreateAreChanges() throws Exception {
        Watcher w = new Watcher("overwrite", b -> b);
        String first = w.put("f.csv", "same");
        w.poll();
        String second = w.put("f.csv", "different");
        assertThat(w.poll()).containsExactly("f.csv");
        String third = w.put("f.csv", "different");
        assertThat(third).as("same-content overwrite gets a new ETag").isNotEqualTo(second);
        assertThat(w.poll()).containsExactly("f.csv");
        w.container.getBlobClient("f.csv").delete();
        assertThat(w.poll()).isEmpty();
        String fourth = w.put("f.csv", "different");
        assertThat(w.poll()).containsExactly("f.csv");
        assertThat(w.last.changes().get(0).etag()).isEqualTo(fourth);
        assertThat(List.of(first, second, third, fourth)).doesNotHaveDuplicates();
        assertThat(w.poll()).isEmpty();
    }

    @Test
    void subfoldersOnAndOff() throws Exception {
        Watcher deep = new Watcher("deep", b -> b.prefix("in/"));
        Watcher flat = new Watcher("flat", b -> b.prefix("in/").includeSubfolders(false));
        for (Watcher w : List.of(deep, flat)) {
            w.poll();
            w.put("in/top.csv", "1");
            w.put("in/sub/deeper.csv", "1");
            w.put("in/sub/x/deepest.csv", "1");
            w.put("other/o.csv", "1");
        }
        assertThat(deep.poll()).containsExactlyInAnyOrder("in/top.csv", "in/sub/deeper.csv", "in/sub/x/deepest.csv");
        assertThat(flat.poll()).containsExactly("in/top.csv");
        assertThat(flat.last.stats().listed()).as("virtual folders are not blobs").isEqualTo(1);
    }

    @Test
    void prefixEqualToABlobNameWithAndWithoutTrailingSlash() throws Exception {
        Watcher exact = new Watcher("prefix-exact", b -> b.prefix("data/file.csv"));
        Watcher folder = new Watcher("prefix-folder", b -> b.prefix("data/file.csv/"));
        for (Watcher w : List.of(exact, folder)) {
            w.poll();
            w.put("data/file.csv", "1");
            w.put("data/file.csv.bak", "1");
            w.put("data/file.csv/part-1", "1");
            w.put("data/file.cs", "1");
        }
        assertThat(exact.poll()).containsExactlyInAnyOrder("data/file.csv", "data/file.csv.bak",
                "data/file.csv/part-1");
        assertThat(folder.poll()).containsExactly("data/file.csv/part-1");
    }

    @Test
    void includeAndExcludePatternsRelativeToThePrefixFolder() throws Exception {
        Watcher w = new Watcher("patterns", b -> b.prefix("in/").include("**/*.csv", "*.json")
                .exclude("tmp/**", "**/*-draft.csv"));
        w.poll();
        for (String name : List.of("in/a.csv", "in/x/b.csv", "in/c.json", "in/x/d.json", "in/tmp/e.csv",
                "in/f-draft.csv", "in/g.CSV", "in/h.txt")) {
            w.put(name, "1");
        }
        assertThat(w.poll()).containsExactlyInAnyOrder("in/a.csv", "in/x/b.csv", "in/c.json");
        assertThat(w.last.stats().listed()).isEqualTo(8);
        assertThat(w.last.stats().matched()).isEqualTo(3);
    }

    @Test
    void emptyBlobIsSkippedUntilContentIsCommitted() throws Exception {
        Watcher w = new Watcher("empty", b -> b);
        Watcher withEmpty = new Watcher("empty-kept", b -> b.ignoreEmptyBlobs(false));
        w.poll();
        withEmpty.poll();
        w.put("upload.bin", "");
        withEmpty.put("upload.bin", "");
        assertThat(w.poll()).isEmpty();
        assertThat(withEmpty.poll()).containsExactly("upload.bin");
        w.put("upload.bin", "now with content");
        assertThat(w.poll()).containsExactly("upload.bin");
        assertThat(w.last.changes().get(0).size()).isEqualTo(16);
    }

    @Test
    void stagedBlockBlobIsInvisibleUntilCommitted() throws Exception {
        Watcher w = new Watcher("staged", b -> b);
        w.poll();
        BlockBlobClient block = w.container.getBlobClient("big.csv").getBlockBlobClient();
        String blockId = Base64.getEncoder().encodeToString("block-0".getBytes(StandardCharsets.UTF_8));
        byte[] data = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        block.stageBlock(blockId, new ByteArrayInputStream(data), data.length);
        assertThat(w.poll()).isEmpty();
        String etag = BlobChange.normaliseEtag(block.commitBlockList(List.of(blockId)).getETag());
        assertThat(w.poll()).containsExactly("big.csv");
        assertThat(w.last.changes().get(0).etag()).isEqualTo(etag);
        assertThat(w.poll()).isEmpty();
    }

    @Test
    void oddNamesArriveIntactWithEncodedUrls() throws Exception {
        Watcher w = new Watcher("odd-names", b -> b);
        w.poll();
        String longName = "long/" + "n".repeat(1024 - 5);
        List<String> names = List.of("with space.csv", "ünïcödé/数据.csv", "100%.csv", "hash#tag.csv",
                "what?.csv", "a+b.csv", "quote\"'$`.csv", longName);
        for (String name : names) {
            w.put(name, "x");
        }
        assertThat(w.poll()).containsExactlyInAnyOrderElementsOf(names);
        String sas = w.container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true)));
        HttpClient http = HttpClient.newHttpClient();
        for (BlobChange c : w.last.changes()) {
            assertThat(c.url()).as("a readable URL: '/' kept").doesNotContain("%2F")
                    .startsWith(w.container.getBlobContainerUrl() + "/");
            BinaryData content = new com.azure.storage.blob.BlobClientBuilder().endpoint(c.url())
                    .connectionString(AZURITE.connectionString()).buildClient().downloadContent();
            assertThat(content.toString()).as("URL of %s resolves to the blob", c.name()).isEqualTo("x");
            // As a person (curl, a browser) uses it: the URL as given, a SAS appended.
            HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(c.url() + "?" + sas)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).as("GET %s", c.url()).isEqualTo(200);
            assertThat(plain.body()).isEqualTo("x");
        }
        String base = w.container.getBlobContainerUrl();
        assertThat(urlOf(w, "with space.csv")).isEqualTo(base + "/with%20space.csv");
        assertThat(urlOf(w, "ünïcödé/数据.csv"))
                .isEqualTo(base + "/%C3%BCn%C3%AFc%C3%B6d%C3%A9/%E6%95%B0%E6%8D%AE.csv");
        assertThat(urlOf(w, "100%.csv")).isEqualTo(base + "/100%25.csv");
        assertThat(urlOf(w, "hash#tag.csv")).isEqualTo(base + "/hash%23tag.csv");
        assertThat(urlOf(w, "what?.csv")).isEqualTo(base + "/what%3F.csv");
        assertThat(urlOf(w, "a+b.csv")).isEqualTo(base + "/a%2Bb.csv");
    }

    private static String urlOf(Watcher w, String name) {
        return w.last.changes().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().url();
    }

    @Test
    void dotSegmentsAndNestedFoldersKeepTheirPlaceInTheUrl() throws Exception {
        Watcher w = new Watcher("dot-names", b -> b);
        w.poll();
        List<String> names = List.of("a/../b.csv", "a/./c.csv", "deep/er/x y/z.csv", "trailing./d.csv");
        for (String name : names) {
            w.put(name, "x");
        }
        assertThat(w.poll()).containsExactlyInAnyOrderElementsOf(names);
        String sas = w.container.generateSas(new BlobServiceSasSignatureValues(OffsetDateTime.now().plusHours(1),
                new BlobContainerSasPermission().setReadPermission(true)));
        HttpClient http = HttpClient.newHttpClient();
        for (BlobChange c : w.last.changes()) {
            HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(c.url() + "?" + sas)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).as("GET %s", c.url()).isEqualTo(200);
        }
        assertThat(urlOf(w, "a/../b.csv")).endsWith("/a/%2E%2E/b.csv");
        assertThat(urlOf(w, "deep/er/x y/z.csv")).endsWith("/deep/er/x%20y/z.csv");
    }

    @Test
    void aPropertyOnlyChangeThatGivesANewEtagIsAChange() throws Exception {
        Watcher w = new Watcher("properties", b -> b);
        String uploaded = w.put("p.csv", "x");
        w.poll();
        String afterMetadata = BlobChange.normaliseEtag(w.container.getBlobClient("p.csv")
                .setMetadataWithResponse(Map.of("reviewed", "yes"), null, null, null).getHeaders()
                .getValue(HttpHeaderName.ETAG));
        assertThat(afterMetadata).isNotEqualTo(uploaded);
        assertThat(w.poll()).containsExactly("p.csv");
        assertThat(w.last.changes().get(0).etag()).isEqualTo(afterMetadata);
        w.container.getBlobClient("p.csv").setHttpHeaders(new BlobHttpHeaders().setContentType("text/csv"));
        assertThat(w.poll()).containsExactly("p.csv");
        assertThat(w.last.changes().get(0).contentType()).isEqualTo("text/csv");
        assertThat(w.poll()).isEmpty();
    }

    @Test
    void aVersionOverwrittenWhileDeferredIsNotReportedButTheLatestIs() throws Exception {
        Watcher w = new Watcher("cap-overwrite", b -> b.maxChangesPerPoll(1));
        w.poll();
        w.put("first.csv", "1");
        w.put("second.csv", "v1");
        assertThat(w.poll()).containsExactly("first.csv");
        assertThat(w.last.deferred()).isEqualTo(1);
        w.put("second.csv", "v2");
        String latest = w.put("second.csv", "v3");
        assertThat(w.poll()).containsExactly("second.csv");
        assertThat(w.last.changes().get(0).etag()).isEqualTo(latest);
        assertThat(w.poll()).isEmpty();
    }

    @Test
    void changesAreOrderedAndPagesAreFollowed() throws Exception {
        Watcher w = new Watcher("pages", b -> b.startPosition(StartPosition.BEGINNING), 3);
        for (int i = 0; i < 20; i++) {
            w.put(String.format("p/%02d.csv", 19 - i), "x");
        }
        List<String> changes = w.poll();
        assertThat(changes).hasSize(20).doesNotHaveDuplicates();
        assertThat(w.last.stats().pages()).isEqualTo(7);
        assertThat(w.last.changes()).isSortedAccordingTo(BlobChange.REPORT_ORDER);
    }

    @Test
    void capCarriesTheRestToLaterPollsWithoutLossOrRepeat() throws Exception {
        Watcher w = new Watcher("cap", b -> b.maxChangesPerPoll(4).startPosition(StartPosition.BEGINNING));
        for (int i = 0; i < 10; i++) {
            w.put("c" + i + ".csv", "x");
        }
        List<String> first = w.poll();
        assertThat(first).hasSize(4);
        assertThat(w.last.deferred()).isEqualTo(6);
        w.put("late.csv", "x");
        List<String> second = w.poll();
        assertThat(second).hasSize(4);
        assertThat(w.last.deferred()).isEqualTo(3);
        List<String> third = w.poll();
        assertThat(third).hasSize(3);
        assertThat(w.last.deferred()).isZero();
        assertThat(w.poll()).isEmpty();
        assertThat(concat(first, second, third)).doesNotHaveDuplicates().hasSize(11).contains("late.csv");
    }

    @Test
    void definitionChangeStartsANewBaseline() throws Exception {
        Watcher w = new Watcher("fingerprint", b -> b);
        w.put("a.csv", "1");
        w.poll();
        BlobWatch changed = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(w.container.getBlobContainerName()).exclude("*.tmp")
                .startPosition(StartPosition.BEGINNING).build();
        assertThat(changed.fingerprint()).isNotEqualTo(w.watch.fingerprint());
        w.put("b.csv", "1");
        PollResult r = w.detector.poll(changed, w.state);
        assertThat(r.baseline()).contains(PollResult.Baseline.DEFINITION_CHANGED);
        assertThat(r.changes()).isEmpty();
        w.put("c.csv", "1");
        assertThat(w.detector.poll(changed, r.nextState()).changes()).extracting(BlobChange::name)
                .containsExactly("c.csv");
    }

    @Test
    void stateIsBoundedByTheWindowNotByTheContainer() throws Exception {
        Watcher w = new Watcher("window", b -> b.startPosition(StartPosition.BEGINNING), null);
        BlobWatch shortWatch = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(w.container.getBlobContainerName()).startPosition(StartPosition.BEGINNING)
                .lateArrivalMargin(Duration.ofSeconds(2)).build();
        BlobChangeDetector shortWindow = BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(shortWatch)
                .withConnectionString(AZURITE.connectionString())).build();
        for (int i = 0; i < 30; i++) {
            w.put("old-" + i, "x");
        }
        PollResult first = shortWindow.poll(shortWatch, WatchState.empty());
        assertThat(first.changes()).hasSize(30);
        java.time.Instant oldest = first.changes().get(first.changes().size() - 1).lastModified();
        PollResult later = first;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!later.nextState().windowStart().isAfter(oldest)) { // await the service clock passing the window
            assertThat(System.nanoTime()).as("window did not move within 20 s").isLessThan(deadline);
            later = shortWindow.poll(shortWatch, later.nextState());
            assertThat(later.changes()).isEmpty();
        }
        assertThat(later.nextState().seen()).isEmpty();
        String etag = w.put("old-7", "y");
        PollResult r = shortWindow.poll(shortWatch, later.nextState());
        assertThat(r.changes()).extracting(BlobChange::etag).containsExactly(etag);
        assertThat(r.nextState().seen()).hasSize(1);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
