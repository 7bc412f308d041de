package io.jenkins.plugins.azureml.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobChangeEnvironmentTest {
    private static final String ODD = "in/\"quoted\" 'single' $HOME `whoami` \\back\nnew line\ttab ünï 数据 🚀 %41 #?+.csv";

    private static BlobChange change(String name, String etag) {
        return new BlobChange("container-1", name, "http://127.0.0.1:1/acct/container-1/x", "\"" + etag + "\"",
                Instant.parse("2025-01-31T12:00:07Z"), 42, null);
    }

    @Test
    void perBlobVariablesCarryOddNamesIntact() {
        Map<String, String> env = BlobChangeEnvironment.forChange(change(ODD, "0x8DC1"));
        assertThat(env).containsExactly(
                Map.entry("AZURE_BLOB_NAME", ODD),
                Map.entry("AZURE_BLOB_URL", "http://127.0.0.1:1/acct/container-1/x"),
                Map.entry("AZURE_BLOB_CONTAINER", "container-1"),
                Map.entry("AZURE_BLOB_ETAG", "0x8DC1"),
                Map.entry("AZURE_BLOB_LAST_MODIFIED", "2025-01-31T12:00:07Z"),
                Map.entry("AZURE_BLOB_SIZE", "42"));
    }

    @Test
    void batchManifestRoundTripsEveryField() throws Exception {
        BlobChange typed = new BlobChange("container-1", "b.csv", "http://h/b.csv", "e2",
                Instant.parse("2025-01-31T12:00:08Z"), 0, "text/csv");
        List<BlobChange> batch = List.of(change(ODD, "e1"), typed);
        Map<String, String> env = BlobChangeEnvironment.forBatch(batch);
        assertThat(env).containsOnly(Map.entry("AZURE_BLOB_COUNT", "2"), Map.entry("AZURE_BLOB_CONTAINER", "container-1"));
        String manifest = BlobChangeEnvironment.manifest(batch);
        List<BlobChange> parsed = BlobChangeEnvironment.parseManifest(manifest);
        assertThat(parsed).containsExactlyElementsOf(batch);
        assertThat(parsed.get(0).name()).isEqualTo(ODD);
        assertThat(parsed.get(0).contentType()).isNull();
        assertThat(parsed.get(1)).usingRecursiveComparison().isEqualTo(typed);
        assertThat(manifest).startsWith("{\"count\":2,\"blobs\":[{\"container\":");
    }

    @Test
    void aBuildFindsItsChangesFromItsVariablesOrItsManifestFile(@TempDir Path dir) throws Exception {
        BlobChange single = change(ODD, "e1");
        assertThat(BlobChangeEnvironment.changesOfBuild(BlobChangeEnvironment.forChange(single)))
                .singleElement().usingRecursiveComparison().isEqualTo(single);

        BlobChange typed = new BlobChange("container-1", "b.csv", "http://h/b.csv", "e2",
                Instant.parse("2025-01-31T12:00:08Z"), 3, "text/csv");
        Path manifest = dir.resolve("m.json");
        Files.writeString(manifest, BlobChangeEnvironment.manifest(List.of(single, typed)), StandardCharsets.UTF_8);
        Map<String, String> batch = new LinkedHashMap<>(BlobChangeEnvironment.forBatch(List.of(single, typed)));
        batch.put("AZURE_BLOB_MANIFEST", manifest.toString());
        List<BlobChange> changes = BlobChangeEnvironment.changesOfBuild(batch);
        assertThat(changes).containsExactly(single, typed);
        assertThat(BlobChangeEnvironment.describe(changes.get(1))).containsExactly(
                Map.entry("container", "container-1"), Map.entry("name", "b.csv"), Map.entry("url", "http://h/b.csv"),
                Map.entry("etag", "e2"), Map.entry("lastModified", "2025-01-31T12:00:08Z"), Map.entry("size", "3"),
                Map.entry("contentType", "text/csv"));
        assertThat(BlobChangeEnvironment.describe(changes.get(0))).containsEntry("name", ODD)
                .doesNotContainKey("contentType");

        assertThatThrownBy(() -> BlobChangeEnvironment.changesOfBuild(Map.of("AZURE_BLOB_NAME", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AZURE_BLOB_URL");
        Files.writeString(manifest, "not json", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> BlobChangeEnvironment.changesOfBuild(batch)).isInstanceOf(IOException.class);
    }

    @Test
    void emptyBatchIsRefused() {
        assertThatThrownBy(() -> BlobChangeEnvironment.forBatch(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void changesAreEqualOnContainerNameAndEtagOnly() {
        BlobChange a = change("n", "e");
        BlobChange sameChangeOtherDetails = new BlobChange("container-1", "n", "other", "e", Instant.EPOCH, 1, "x");
        assertThat(a).isEqualTo(sameChangeOtherDetails).hasSameHashCodeAs(sameChangeOtherDetails);
        assertThat(a).isNotEqualTo(change("n", "e2")).isNotEqualTo(change("n2", "e"));
        assertThat(a.etag()).isEqualTo("e");
    }
}
