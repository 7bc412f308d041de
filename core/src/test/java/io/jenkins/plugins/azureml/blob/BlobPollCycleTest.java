package io.jenkins.plugins.azureml.blob;

import com.azure.storage.blob.BlobContainerClient;
import io.jenkins.plugins.azureml.blob.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.jenkins.plugins.azureml.blob.testing.TestBlobs.upload;
import static org.assertj.core.api.Assertions.assertThat;

/** The trigger's poll cycle on a real Azurite, with a recording scheduler standing in for the Jenkins queue. */
class BlobPollCycleTest {
    @RegisterExtension
    static final AzuriteExtension AZURITE = new AzuriteExtension();

    @TempDir
    Path dir;

    private final List<Map<String, String>> builds = new ArrayList<>();
    private final List<List<BlobChange>> scheduledChanges = new ArrayList<>();
    private boolean schedulerFails;

    private BlobContainerClient container;

    private BlobWatch watch(UnaryOperator<BlobWatch.Builder> config) {
        if (container == null) {
            container = AZURITE.createContainer("cycle");
        }
        return config.apply(BlobWatch.builder().accountUrl(AZURITE.blobEndpoint())
                .container(container.getBlobContainerName())).build();
    }

    private BlobPollCycle cycle(BlobWatch watch, BlobPollCycle.Mode mode) {
        BlobChangeDetector detector = BlobChangeDetector.builder(BlobContainerClientFactory.forWatch(watch)
                .withConnectionString(AZURITE.connectionString())).build();
        return new BlobPollCycle(detector, new WatchStateStore(dir.resolve("state.json")), mode, (changes, env) -> {
            if (schedulerFails) {
                throw new IllegalStateException("queue refused");
            }
            builds.add(env);
            scheduledChanges.add(changes);
        });
    }

    @Test
    void perBlobModeSchedulesOneBuildPerChangeAndSavesState() {
        BlobWatch w = watch(b -> b);
        BlobPollCycle cycle = cycle(w, BlobPollCycle.Mode.PER_BLOB);
        upload(container, "existing.csv", "1");
        PollReport first = cycle.run(w);
        assertThat(first.succeeded()).isTrue();
        assertThat(first.text()).contains("baseline", "Listed 1 blob(s)", "No changes");
        assertThat(builds).isEmpty();
        upload(container, "a.csv", "1");
        upload(container, "b\nc.csv", "1");
        PollReport second = cycle.run(w);
        assertThat(second.scheduled()).isEqualTo(2);
        assertThat(builds).extracting(env -> env.get("AZURE_BLOB_NAME")).containsExactlyInAnyOrder("a.csv", "b\nc.csv");
        assertThat(second.text()).contains("2 change(s)", "a.csv", "b\\u000Ac.csv", "Scheduled 2 build(s)");
        assertThat(cycle.run(w).changes()).isEmpty();
        assertThat(builds).hasSize(2);
    }

    @Test
    void namesThatCouldReadAsOtherNamesAreEscapedInTheLogButExactInTheBuild() {
        BlobWatch w = watch(b -> b.startPosition(StartPosition.BEGINNING));
        List<String> names = List.of("invoice\u202Egpj.exe", "a\u200Bb.csv", "\uFEFFc.csv", "d\u2066e\u2069.csv",
                "f\u2028g.csv", "tag\uDB40\uDC41.csv");
        names.forEach(n -> upload(container, n, "1"));
        PollReport report = cycle(w, BlobPollCycle.Mode.PER_BLOB).run(w);
        assertThat(builds).extracting(env -> env.get("AZURE_BLOB_NAME")).containsExactlyInAnyOrderElementsOf(names);
        assertThat(report.entry().changes()).extracting(c -> c.name()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(report.text()).contains("invoice\\u202Egpj.exe", "a\\u200Bb.csv", "\\uFEFFc.csv",
                "d\\u2066e\\u2069.csv", "f\\u2028g.csv", "tag\\u{E0041}.csv");
        assertThat(report.text().codePoints()).allMatch(cp -> cp == '\n' || (cp >= 0x20 && cp < 0x7F));
    }

    @Test
    void batchModeSchedulesOneBuildWithAManifest() throws Exception {
        BlobWatch w = watch(b -> b.startPosition(StartPosition.BEGINNING));
        upload(container, "x.csv", "1");
        upload(container, "y.csv", "22");
        PollReport report = cycle(w, BlobPollCycle.Mode.BATCH).run(w);
        assertThat(report.succeeded()).isTrue();
        assertThat(builds).hasSize(1);
        assertThat(builds.get(0)).containsEntry("AZURE_BLOB_COUNT", "2");
        assertThat(scheduledChanges.get(0)).extracting(BlobChange::name).containsExactlyInAnyOrder("x.csv", "y.csv");
    }

    @Test
    void schedulerFailureDoesNotAdvanceTheState() throws Exception {
        BlobWatch w = watch(b -> b);
        BlobPollCycle cycle = cycle(w, BlobPollCycle.Mode.PER_BLOB);
        cycle.run(w);
        byte[] saved = Files.readAllBytes(dir.resolve("state.json"));
        upload(container, "new.csv", "1");
        schedulerFails = true;
        PollReport failed = cycle.run(w);
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.stateSaved()).isFalse();
        assertThat(failed.error()).contains("queue refused", "not advanced");
        assertThat(failed.text()).contains("ERROR:");
        assertThat(Files.readAllBytes(dir.resolve("state.json"))).isEqualTo(saved);
        schedulerFails = false;
        PollReport retried = cycle.run(w);
        assertThat(retried.changes()).extracting(BlobChange::name).containsExactly("new.csv");
        assertThat(builds).hasSize(1);
    }

    @Test
    void changedDefinitionStartsANewBaselineAndSaysSo() {
        BlobWatch before = watch(b -> b.prefix("in/"));
        cycle(before, BlobPollCycle.Mode.PER_BLOB).run(before);
        upload(container, "in/a.csv", "1");
        upload(container, "out/b.csv", "1");
        BlobWatch after = watch(b -> b);
        PollReport report = cycle(after, BlobPollCycle.Mode.PER_BLOB).run(after);
        assertThat(report.text()).contains("definition", "changed", "new baseline");
        assertThat(report.changes()).isEmpty();
        assertThat(builds).isEmpty();
        upload(container, "out/c.csv", "1");
        assertThat(cycle(after, BlobPollCycle.Mode.PER_BLOB).run(after).changes()).extracting(BlobChange::name)
                .containsExactly("out/c.csv");
    }

    @Test
    void corruptStateAndMissingContainerAreReportedWithoutTouchingTheState() throws Exception {
        BlobWatch w = watch(b -> b);
        Files.writeString(dir.resolve("state.json"), "{not json");
        PollReport corrupt = cycle(w, BlobPollCycle.Mode.PER_BLOB).run(w);
        assertThat(corrupt.succeeded()).isFalse();
        assertThat(corrupt.error()).contains("corrupt", "state.json");
        assertThat(Files.readString(dir.resolve("state.json"))).isEqualTo("{not json");
        Files.delete(dir.resolve("state.json"));
        BlobWatch missing = BlobWatch.builder().accountUrl(AZURITE.blobEndpoint()).container("missing-one").build();
        PollReport notFound = cycle(missing, BlobPollCycle.Mode.PER_BLOB).run(missing);
        assertThat(notFound.error()).contains("does not exist", "unchanged");
        assertThat(dir.resolve("state.json")).doesNotExist();
    }

    @Test
    void capIsReportedAsDeferred() {
        BlobWatch w = watch(b -> b.startPosition(StartPosition.BEGINNING).maxChangesPerPoll(1));
        upload(container, "one", "1");
        upload(container, "two", "1");
        BlobPollCycle cycle = cycle(w, BlobPollCycle.Mode.PER_BLOB);
        assertThat(cycle.run(w).text()).contains("1 further change(s)");
        cycle.run(w);
        assertThat(builds).extracting(env -> env.get("AZURE_BLOB_NAME")).containsExactlyInAnyOrder("one", "two");
    }
}
