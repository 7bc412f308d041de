package io.jenkins.plugins.azureml.blob;

import io.jenkins.plugins.azureml.InvalidFieldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlobWatchTest {
    private static BlobWatch.Builder valid() {
        return BlobWatch.builder().accountUrl("https://acct.blob.core.windows.net/").container("incoming");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "Upper", "-lead", "trail-", "dou--ble", "under_score", "dot.ted",
            "waytoolongwaytoolongwaytoolongwaytoolongwaytoolongwaytoolong1234"})
    void invalidContainerNamesNameTheField(String name) {
        assertThatThrownBy(() -> valid().container(name).build()).isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.getField()).isEqualTo("container"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "a-b-c", "0day", "x23456789012345678901234567890123456789012345678901234567890123"})
    void validContainerNames(String name) {
        assertThat(valid().container(name).build().container()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a url", "ftp://host/x", "http://acct.blob.core.windows.net", "https://",
            "https://acct.blob.core.windows.net/?sv=1&sig=SECRETSIG"})
    void badAccountUrlsNameTheFieldAndNeverEchoAQuery(String url) {
        assertThatThrownBy(() -> valid().accountUrl(url).build()).isInstanceOfSatisfying(InvalidFieldException.class,
                e -> {
                    assertThat(e.getField()).isEqualTo("accountUrl");
                    assertThat(e.getMessage()).doesNotContain("SECRETSIG");
                });
    }

    @Test
    void accountUrlIsNormalisedAndLoopbackHttpAllowed() {
        assertThat(valid().build().accountUrl()).isEqualTo("https://acct.blob.core.windows.net");
        assertThat(valid().accountUrl("http://127.0.0.1:10000/devstoreaccount1").build().accountUrl())
                .isEqualTo("http://127.0.0.1:10000/devstoreaccount1");
    }

    @Test
    void prefixWithLeadingSlashSaysHowToFixIt() {
        assertThatThrownBy(() -> valid().prefix("/in/").build()).isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.getProblem()).contains("'in/'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "/abs/*.csv", "a//b", "a/", "a**b", "**.csv"})
    void malformedPatterns(String glob) {
        assertThatThrownBy(() -> valid().include(glob).build()).isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.getField()).isEqualTo("include"));
        assertThatThrownBy(() -> valid().exclude(glob).build()).isInstanceOfSatisfying(InvalidFieldException.class,
                e -> assertThat(e.getField()).isEqualTo("exclude"));
    }

    @Test
    void globSemantics() {
        GlobPattern deep = GlobPattern.compile("f", "**/*.csv");
        assertThat(deep.matches("a.csv")).isTrue();
        assertThat(deep.matches("x/y/a.csv")).isTrue();
        assertThat(deep.matches("a.CSV")).as("case-sensitive").isFalse();
        GlobPattern top = GlobPattern.compile("f", "*.csv");
        assertThat(top.matches("a.csv")).isTrue();
        assertThat(top.matches("x/a.csv")).as("* does not cross /").isFalse();
        GlobPattern q = GlobPattern.compile("f", "data-?.json");
        assertThat(q.matches("data-1.json")).isTrue();
        assertThat(q.matches("data-/.json")).isFalse();
        assertThat(GlobPattern.compile("f", "a.(b)+[c]$").matches("a.(b)+[c]$")).as("regex chars literal").isTrue();
        assertThat(GlobPattern.compile("f", "in/**").matches("in/x/y")).isTrue();
        assertThat(GlobPattern.compile("f", "a/**/b").matches("a/b")).isTrue();
    }

    @Test
    void patternsApplyRelativeToThePrefixFolder() {
        BlobWatch w = valid().prefix("in/2024").include("*.csv").build();
        assertThat(w.matches("in/2024.csv")).isTrue();
        assertThat(w.matches("in/2024/x.csv")).isFalse();
        assertThat(valid().exclude("*.tmp").build().matches("a.tmp")).isFalse();
    }

    @Test
    void fingerprintCoversTheDefinitionButNotStartOrCap() {
        String base = valid().build().fingerprint();
        assertThat(valid().startPosition(StartPosition.BEGINNING).maxChangesPerPoll(3).build().fingerprint())
                .isEqualTo(base);
        assertThat(valid().prefix("p").build().fingerprint()).isNotEqualTo(base);
        assertThat(valid().container("other").build().fingerprint()).isNotEqualTo(base);
        assertThat(valid().include("*.csv").build().fingerprint()).isNotEqualTo(base);
        assertThat(valid().exclude("*.csv").build().fingerprint()).isNotEqualTo(base);
        assertThat(valid().includeSubfolders(false).build().fingerprint()).isNotEqualTo(base);
        assertThat(valid().ignoreEmptyBlobs(false).build().fingerprint()).isNotEqualTo(base);
        assertThat(valid().accountUrl("https://other.blob.core.windows.net").build().fingerprint())
                .isNotEqualTo(base);
    }

    @Test
    void negativeCapIsRejected() {
        assertThatThrownBy(() -> valid().maxChangesPerPoll(-1).build()).isInstanceOfSatisfying(
                InvalidFieldException.class, e -> assertThat(e.getField()).isEqualTo("maxChangesPerPoll"));
    }
}
