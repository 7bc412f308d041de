package io.jenkins.plugins.azureml.blob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WatchStateStoreTest {
    @TempDir
    Path dir;

    private static WatchState sample() {
        return new WatchState("fp", Instant.parse("2025-01-01T00:01:00Z"), Instant.parse("2025-01-01T00:00:00Z"),
                Set.of(new WatchState.SeenBlob("a \"odd\"\nname ü$`", "0x8D1"), new WatchState.SeenBlob("b", "e2")));
    }

    @Test
    void missingFileIsNoStateYet() throws Exception {
        assertThat(new WatchStateStore(dir.resolve("nothing.json")).load()).isEmpty();
    }

    @Test
    void savedStateRoundTripsAndLeavesNoTempFiles() throws Exception {
        WatchStateStore store = new WatchStateStore(dir.resolve("sub/state.json"));
        store.save(WatchState.empty());
        assertThat(store.load()).contains(WatchState.empty());
        store.save(sample());
        assertThat(store.load()).contains(sample());
        assertThat(Files.list(store.file().getParent())).containsExactly(store.file());
        assertThat(WatchStateCodec.encode(sample())).isEqualTo(WatchStateCodec.encode(sample()));
    }

    @Test
    void corruptFileIsATypedErrorNamingTheFileToDelete() throws Exception {
        Path file = dir.resolve("state.json");
        for (String content : new String[] {"", "{", "[]", "{\"v\":99,\"seen\":[]}", "garbage\u0000",
                "{\"v\":1,\"fp\":\"x\",\"cursor\":\"yesterday\",\"windowStart\":null,\"seen\":[]}",
                "{\"v\":1,\"fp\":\"x\",\"cursor\":\"2025-01-01T00:00:00Z\",\"windowStart\":\"2025-01-01T00:00:00Z\","
                        + "\"seen\":[[\"only-name\"]]}"}) {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            WatchStateException e = catchThrowableOfType(WatchStateException.class,
                    () -> new WatchStateStore(file).load());
            assertThat(e).as("content %s", content).isNotNull();
            assertThat(e.getMessage()).contains("corrupt", "delete " + file.toAbsolutePath());
            assertThat(e.getFile()).isEqualTo(file.toAbsolutePath());
        }
    }

    @Test
    void failedSaveKeepsTheOldFile() throws Exception {
        Path file = dir.resolve("state.json");
        WatchStateStore store = new WatchStateStore(file);
        store.save(sample());
        Files.createDirectories(dir.resolve("blocked"));
        Files.writeString(dir.resolve("blocked/keep"), "x");
        WatchStateStore blocked = new WatchStateStore(dir.resolve("blocked"));
        assertThat(catchThrowableOfType(WatchStateException.class, () -> blocked.save(sample()))).isNotNull();
        assertThat(store.load()).contains(sample());
    }

    @Test
    void sweepStartRoundTripsAndAVersionOneFileIsStillRead() throws Exception {
        WatchState withSweep = new WatchState("fp", Instant.parse("2025-01-01T00:01:00Z"),
                Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:58Z"),
                Set.of(new WatchState.SeenBlob("b", "e2")));
        assertThat(WatchStateCodec.decode(WatchStateCodec.encode(withSweep))).isEqualTo(withSweep);
        assertThat(new String(WatchStateCodec.encode(withSweep), StandardCharsets.UTF_8)).startsWith("{\"v\":3,");
        SettledSummary summary = SettledSummary.empty();
        summary.add(SettledSummary.key("a", "e1"));
        WatchState withSummary = withSweep.withSummary(Instant.parse("2025-01-01T00:00:30Z"), summary);
        WatchState read = WatchStateCodec.decode(WatchStateCodec.encode(withSummary));
        assertThat(read).isEqualTo(withSummary);
        assertThat(read.summary().minus(SettledSummary.empty()).added())
                .containsExactly(SettledSummary.key("a", "e1"));
        Files.writeString(dir.resolve("v2.json"), "{\"v\":2,\"fp\":\"fp\",\"cursor\":\"2025-01-01T00:01:00Z\","
                + "\"windowStart\":\"2025-01-01T00:00:00Z\",\"sweepStart\":\"2025-01-01T00:00:58Z\","
                + "\"seen\":[[\"b\",\"e2\"]]}", StandardCharsets.UTF_8);
        assertThat(new WatchStateStore(dir.resolve("v2.json")).load()).contains(withSweep);
        String corrupt = new String(WatchStateCodec.encode(withSummary), StandardCharsets.UTF_8)
                .replaceAll("\"summary\":\"[^\"]*\"", "\"summary\":\"AAAA\"");
        assertThat(WatchStateCodec.decode(corrupt.getBytes(StandardCharsets.UTF_8)))
                .as("an unreadable summary is dropped, not the state").isEqualTo(withSweep);

        Path file = dir.resolve("v1.json");
        Files.writeString(file, "{\"v\":1,\"fp\":\"fp\",\"cursor\":\"2025-01-01T00:01:00Z\","
                + "\"windowStart\":\"2025-01-01T00:00:00Z\",\"seen\":[[\"b\",\"e2\"]]}", StandardCharsets.UTF_8);
        WatchState v1 = new WatchStateStore(file).load().orElseThrow();
        assertThat(v1).isEqualTo(new WatchState("fp", Instant.parse("2025-01-01T00:01:00Z"),
                Instant.parse("2025-01-01T00:00:00Z"), Set.of(new WatchState.SeenBlob("b", "e2"))));
        assertThat(v1.sweepStart()).isNull();
    }

    @Test
    void preBaselinePairsAndSweepStartBothSurviveSavingAndAVersionOnePreBaselineFileIsStillRead() throws Exception {
        Set<WatchState.SeenBlob> fired = Set.of(new WatchState.SeenBlob("early.csv", "0x1"));
        WatchState pre = WatchState.preBaseline("fp", fired);
        WatchStateStore store = new WatchStateStore(dir.resolve("pre.json"));
        store.save(pre);
        WatchState loaded = store.load().orElseThrow();
        assertThat(loaded).isEqualTo(pre);
        assertThat(loaded.isEmpty()).isTrue();
        assertThat(loaded.seen()).isEqualTo(fired);

        // Events fired meanwhile are added to a listing's state: its sweep start must stay.
        WatchState swept = new WatchState("fp", Instant.parse("2025-01-01T00:01:00Z"),
                Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:58Z"), Set.of());
        WatchState merged = swept.withSeen(fired);
        assertThat(merged.sweepStart()).isEqualTo(swept.sweepStart());
        store.save(merged);
        assertThat(store.load()).contains(merged);

        Path v1 = dir.resolve("v1-pre.json");
        Files.writeString(v1, "{\"v\":1,\"fp\":\"fp\",\"cursor\":null,\"windowStart\":null,"
                + "\"seen\":[[\"early.csv\",\"0x1\"]]}", StandardCharsets.UTF_8);
        assertThat(new WatchStateStore(v1).load()).contains(pre);
    }
}
